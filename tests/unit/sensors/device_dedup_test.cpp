// One device seen by two sensors is measured once: find_duplicate_devices' choice, the
// filtered sensor's index mapping, and the registry opening amdsmi (fake library) beside
// hwmon (fake sysfs tree) on the same GPU.
#include "sensors/device_dedup.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>

#include "sensors/registry.hpp"
#include "support/scripted_sensor.hpp"

namespace joulebench {
namespace {

using ::testing::HasSubstr;

PciDevice device(const std::string& id, const std::string& sensor, const std::string& bus_id,
                 bool counter) {
  DeviceInfo info;
  info.id = id;
  info.sensor = sensor;
  info.capabilities[Metric::energy_counter] = {counter, ""};
  return {info, bus_id};
}

TEST(FindDuplicateDevices, TheCopyWithTheCounterIsKept) {
  const auto duplicates =
      find_duplicate_devices({{device("amdsmi:0", "amdsmi", "0000:03:00.0", true)},
                              {device("hwmon:hwmon1", "hwmon", "0000:03:00.0", false),
                               device("hwmon:hwmon2", "hwmon", "0000:4d:00.0", true)}});
  ASSERT_EQ(duplicates.size(), 1u);
  EXPECT_EQ(duplicates[0].dropped.sensor, 1u);
  EXPECT_EQ(duplicates[0].dropped.device, 0u);
  EXPECT_EQ(duplicates[0].report.id, "hwmon:hwmon1");
  EXPECT_EQ(duplicates[0].report.kept_id, "amdsmi:0");
  EXPECT_THAT(duplicates[0].report.reason, HasSubstr("same PCI device 0000:03:00.0"));
  EXPECT_THAT(duplicates[0].report.reason, HasSubstr("energy counter"));
}

TEST(FindDuplicateDevices, HwmonsCounterWinsOverALibraryWithout) {
  const auto duplicates =
      find_duplicate_devices({{device("amdsmi:0", "amdsmi", "0000:03:00.0", false)},
                              {device("hwmon:hwmon1", "hwmon", "0000:03:00.0", true)}});
  ASSERT_EQ(duplicates.size(), 1u);
  EXPECT_EQ(duplicates[0].report.id, "amdsmi:0");
  EXPECT_EQ(duplicates[0].report.kept_id, "hwmon:hwmon1");
}

TEST(FindDuplicateDevices, TheLibraryWinsATieAndUnknownBusIdsNeverMatch) {
  const auto duplicates =
      find_duplicate_devices({{device("hwmon:hwmon1", "hwmon", "0000:03:00.0", true),
                               device("hwmon:hwmon7", "hwmon", "", true)},
                              {device("amdsmi:0", "amdsmi", "0000:03:00.0", true),
                               device("amdsmi:1", "amdsmi", "", true)}});
  ASSERT_EQ(duplicates.size(), 1u);
  EXPECT_EQ(duplicates[0].report.id, "hwmon:hwmon1");
  EXPECT_THAT(duplicates[0].report.reason, HasSubstr("vendor library (amdsmi)"));
}

TEST(HideDevices, ReadsGoToTheOriginalIndex) {
  std::vector<std::size_t> read_indices;
  auto inner = std::make_unique<testing::ScriptedSensor>(
      std::vector<DeviceInfo>{device("s:0", "s", "", true).info, device("s:1", "s", "", true).info,
                              device("s:2", "s", "", true).info},
      [&](std::size_t index, TimeNs) {
        read_indices.push_back(index);
        return Reading{};
      });
  auto filtered = hide_devices(std::move(inner), {1});
  ASSERT_EQ(filtered->devices().size(), 2u);
  EXPECT_EQ(filtered->devices()[1].id, "s:2");
  filtered->read(1, 0);
  EXPECT_EQ(read_indices, std::vector<std::size_t>{2});
  EXPECT_EQ(filtered->read(2, 0).status, ReadStatus::failed);
}

TEST(OpenSensors, AmdsmiAndHwmonOnOneGpuMeasureItOnce) {
  const std::string scenario =
      (std::filesystem::temp_directory_path() / "jb-dedup-scenario.json").string();
  std::ofstream(scenario) << R"({"sockets": [{"processors": [{"bdf": "0000:03:00.0"}]}]})";
  ::setenv("JOULEBENCH_FAKE_AMDSMI_SCENARIO", scenario.c_str(), 1);
  ::setenv("JOULEBENCH_AMDSMI_LIBRARY", JOULEBENCH_BINARY_DIR "/tests/libjoulebench_fake_amdsmi.so",
           1);
  ::setenv("JOULEBENCH_HWMON_ROOT", JOULEBENCH_SOURCE_DIR "/tests/data/hwmon/root", 1);
  SensorSelection selection;
  selection.specs = {"hwmon", "amdsmi"};  // hwmon named first: the counter still decides
  auto opened = open_sensors(selection);
  ::unsetenv("JOULEBENCH_FAKE_AMDSMI_SCENARIO");
  ::unsetenv("JOULEBENCH_AMDSMI_LIBRARY");
  ::unsetenv("JOULEBENCH_HWMON_ROOT");
  std::filesystem::remove(scenario);
  ASSERT_TRUE(opened);
  ASSERT_EQ(opened->sensors.size(), 2u);
  std::vector<std::string> ids;
  for (const auto& sensor : opened->sensors) {
    for (const auto& info : sensor->devices()) ids.push_back(info.id);
  }
  EXPECT_EQ(ids, (std::vector<std::string>{"hwmon:hwmon2", "hwmon:hwmon3", "amdsmi:0"}));
  ASSERT_EQ(opened->dropped.size(), 1u);
  EXPECT_EQ(opened->dropped[0].id, "hwmon:hwmon1");
  EXPECT_EQ(opened->dropped[0].kept_id, "amdsmi:0");
  EXPECT_TRUE(open_sensors_problems(*opened).empty());
}

TEST(OpenSensors, UnknownSpecListsTheNewSensors) {
  SensorSelection selection;
  selection.specs = {"rocm"};
  auto opened = open_sensors(selection);
  ASSERT_FALSE(opened);
  EXPECT_THAT(opened.error().message, HasSubstr("amdsmi, rapl, hwmon"));
}

}  // namespace
}  // namespace joulebench
