// The hwmon sensor on the fake sysfs tree in tests/data/hwmon (copied, so values can change):
// which directories become devices, the channel chosen, units, PCI mapping, lost devices.
#include "sensors/hwmon/hwmon_sensor.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include <cerrno>
#include <filesystem>
#include <fstream>

#include "sensors/device_dedup.hpp"
#include "sensors/hwmon/hwmon_devices.hpp"

namespace joulebench {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::Not;

const fs::path kTree = JOULEBENCH_SOURCE_DIR "/tests/data/hwmon/root";

class HwmonSensorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "jb-hwmon-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    root_ = fs::path(pattern) / "root";
    fs::copy(kTree, root_, fs::copy_options::recursive | fs::copy_options::copy_symlinks);
  }
  void TearDown() override { fs::remove_all(root_.parent_path()); }

  void write(const std::string& file, const std::string& text) const {
    std::ofstream(root_ / file, std::ios::trunc) << text << "\n";
  }

  std::unique_ptr<Sensor> open() const {
    HwmonOptions options;
    options.root = root_.string();
    auto sensor = open_hwmon_sensor(options);
    EXPECT_TRUE(sensor) << sensor.error().message;
    return sensor ? std::move(sensor.value()) : nullptr;
  }

  const DeviceInfo* find(const Sensor& sensor, const std::string& id) const {
    for (const auto& device : sensor.devices()) {
      if (device.id == id) return &device;
    }
    return nullptr;
  }

  fs::path root_;
};

TEST_F(HwmonSensorTest, PciDevicesWithEnergyOrPowerBecomeDevices) {
  auto sensor = open();
  ASSERT_TRUE(sensor);
  EXPECT_EQ(sensor->name(), "hwmon");
  std::vector<std::string> ids;
  for (const auto& device : sensor->devices()) ids.push_back(device.id);
  // hwmon0 has only a temperature; hwmon4 is an ACPI meter, not PCI.
  EXPECT_EQ(ids, (std::vector<std::string>{"hwmon:hwmon1", "hwmon:hwmon2", "hwmon:hwmon3"}));
}

TEST_F(HwmonSensorTest, AmdgpuPowerInputIsPreferredOverTheAverage) {
  auto sensor = open();
  ASSERT_TRUE(sensor);
  const DeviceInfo* gpu = find(*sensor, "hwmon:hwmon1");
  ASSERT_NE(gpu, nullptr);
  EXPECT_EQ(gpu->vendor, "AMD");
  EXPECT_EQ(dynamic_cast<const PciDeviceSensor&>(*sensor).pci_bus_id(0), "0000:03:00.0");
  EXPECT_EQ(gpu->name, "amdgpu 0000:03:00.0");
  EXPECT_EQ(gpu->power_kind, PowerKind::instantaneous);
  EXPECT_THAT(gpu->capabilities.at(Metric::power).reason, HasSubstr("power1_input (\"PPT\")"));
  EXPECT_FALSE(gpu->supports(Metric::energy_counter));
  const Reading reading = sensor->read(0, 5);
  ASSERT_EQ(reading.status, ReadStatus::ok) << reading.error;
  EXPECT_DOUBLE_EQ(*reading.sample.power_w, 645.0);  // µW -> W
  EXPECT_FALSE(reading.sample.energy_counter_j);
}

TEST_F(HwmonSensorTest, AverageIsUsedAndSaidWhenThereIsNoInput) {
  fs::remove(root_ / "hwmon1/power1_input");
  auto sensor = open();
  ASSERT_TRUE(sensor);
  const DeviceInfo* gpu = find(*sensor, "hwmon:hwmon1");
  ASSERT_NE(gpu, nullptr);
  EXPECT_EQ(gpu->power_kind, PowerKind::unknown);
  EXPECT_THAT(gpu->capabilities.at(Metric::power).reason, HasSubstr("power1_average"));
  EXPECT_THAT(gpu->capabilities.at(Metric::power).reason, HasSubstr("averaged"));
  EXPECT_DOUBLE_EQ(*sensor->read(0, 1).sample.power_w, 640.0);
}

TEST_F(HwmonSensorTest, XeCardCounterIsTakenNotThePackageInsideIt) {
  auto sensor = open();
  ASSERT_TRUE(sensor);
  const DeviceInfo* gpu = find(*sensor, "hwmon:hwmon2");
  ASSERT_NE(gpu, nullptr);
  EXPECT_EQ(gpu->vendor, "Intel");
  EXPECT_EQ(dynamic_cast<const PciDeviceSensor&>(*sensor).pci_bus_id(1), "0000:4d:00.0");
  EXPECT_THAT(gpu->capabilities.at(Metric::energy_counter).reason,
              HasSubstr("energy1_input (\"card\")"));
  EXPECT_EQ(gpu->power_kind, PowerKind::derived);  // power1_max is a limit, not a reading
  const Reading first = sensor->read(1, 0);
  ASSERT_EQ(first.status, ReadStatus::ok);
  EXPECT_DOUBLE_EQ(*first.sample.energy_counter_j, 183541.220703);  // µJ -> J
  EXPECT_FALSE(first.sample.power_w);                               // no base yet
  write("hwmon2/energy1_input", "183551220703");                    // +10 J
  const Reading second = sensor->read(1, 100'000'000);              // 0.1 s later
  EXPECT_NEAR(*second.sample.power_w, 100.0, 1e-9);
}

TEST_F(HwmonSensorTest, I915UnlabelledCounterIsChannelOne) {
  auto sensor = open();
  ASSERT_TRUE(sensor);
  const DeviceInfo* gpu = find(*sensor, "hwmon:hwmon3");
  ASSERT_NE(gpu, nullptr);
  EXPECT_EQ(gpu->vendor, "Intel");
  EXPECT_THAT(gpu->capabilities.at(Metric::energy_counter).reason, HasSubstr("energy1_input"));
  EXPECT_FALSE(gpu->supports(Metric::temperature));
}

TEST_F(HwmonSensorTest, AnUnreadableValueFailsTheReadAndNamesTheFile) {
  auto sensor = open();
  ASSERT_TRUE(sensor);
  write("hwmon3/energy1_input", "garbage");  // in place: the open descriptor sees it
  const Reading reading = sensor->read(2, 1);
  EXPECT_EQ(reading.status, ReadStatus::failed);
  EXPECT_THAT(reading.error, HasSubstr("hwmon3/energy1_input"));
  EXPECT_FALSE(reading.sample.energy_counter_j);
  write("hwmon3/energy1_input", "9876543211");
  EXPECT_EQ(sensor->read(2, 2).status, ReadStatus::ok);
}

TEST_F(HwmonSensorTest, UnreadableFilesAreReasonsAndNoDeviceIsAnError) {
  HwmonOptions options;
  options.root = root_.string();
  options.open_read_only = [](const std::string&) { return -EACCES; };
  auto sensor = open_hwmon_sensor(options);
  ASSERT_FALSE(sensor);
  EXPECT_THAT(sensor.error().message, HasSubstr("no hwmon device with a readable energy"));
  EXPECT_THAT(sensor.error().message, HasSubstr("no permission to read"));
  EXPECT_THAT(sensor.error().message, Not(HasSubstr("CVE")));
  EXPECT_THAT(sensor.error().message, HasSubstr("hwmon:hwmon4: power_meter: not a PCI device"));
  options.root = "/nonexistent/hwmon";
  options.open_read_only = nullptr;
  auto missing = open_hwmon_sensor(options);
  ASSERT_FALSE(missing);
  EXPECT_THAT(missing.error().message,
              HasSubstr("cannot list hwmon devices in /nonexistent/hwmon"));
}

TEST(HwmonDevices, PciAddressesAreRecognisedAndLowerCased) {
  EXPECT_EQ(hwmon::pci_address("0000:C1:00.0"), "0000:c1:00.0");
  EXPECT_FALSE(hwmon::pci_address("ACPI000D:00"));
  EXPECT_FALSE(hwmon::pci_address("0000:c1:00"));
  EXPECT_FALSE(hwmon::pci_address("000g:c1:00.0"));
}

TEST(HwmonDevices, EnvironmentNamesTheRoot) {
  ::setenv("JOULEBENCH_HWMON_ROOT", kTree.c_str(), 1);
  auto sensor = open_hwmon_sensor();
  ::unsetenv("JOULEBENCH_HWMON_ROOT");
  ASSERT_TRUE(sensor) << sensor.error().message;
  EXPECT_EQ((*sensor)->devices().size(), 3u);
}

}  // namespace
}  // namespace joulebench
