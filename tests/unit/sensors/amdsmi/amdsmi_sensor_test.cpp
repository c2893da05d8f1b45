// The amdsmi sensor against the fake libamd_smi (tests/fake_amdsmi): identity, capabilities,
// the energy counter with its resolution and wrap, power layouts, partitions, a lost GPU,
// missing fields and GPU selection.
#include "sensors/amdsmi/amdsmi_sensor.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "core/energy_counter.hpp"
#include "sensors/device_dedup.hpp"
#include "support/scoped_env.hpp"

namespace joulebench::testing {
namespace {

using ::testing::HasSubstr;

const std::string kFakeAmdSmiPath = JOULEBENCH_BINARY_DIR "/tests/libjoulebench_fake_amdsmi.so";
const std::string kMinimalFakeAmdSmiPath =
    JOULEBENCH_BINARY_DIR "/tests/libjoulebench_fake_amdsmi_minimal.so";

class AmdSmiSensorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (std::filesystem::temp_directory_path() / "jb-amdsmi-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    scenario_env_.emplace("JOULEBENCH_FAKE_AMDSMI_SCENARIO", (dir_ / "scenario.json").string());
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  void write_scenario(const std::string& json) const {
    std::ofstream(dir_ / "scenario.json") << json;
  }

  std::unique_ptr<Sensor> open(AmdSmiOptions options = {}) const {
    if (!options.library_path) options.library_path = kFakeAmdSmiPath;
    auto sensor = open_amdsmi_sensor(options);
    EXPECT_TRUE(sensor) << sensor.error().message;
    return sensor ? std::move(sensor.value()) : nullptr;
  }

  std::string open_error(AmdSmiOptions options = {}) const {
    if (!options.library_path) options.library_path = kFakeAmdSmiPath;
    auto sensor = open_amdsmi_sensor(options);
    EXPECT_FALSE(sensor) << "opened although an error was expected";
    return sensor ? std::string() : sensor.error().message;
  }

 private:
  std::filesystem::path dir_;
  std::optional<ScopedEnv> scenario_env_;
  ScopedEnv rocr_{"ROCR_VISIBLE_DEVICES", std::nullopt};
  ScopedEnv hip_{"HIP_VISIBLE_DEVICES", std::nullopt};
  ScopedEnv library_env_{"JOULEBENCH_AMDSMI_LIBRARY", std::nullopt};
};

constexpr const char* kTwoGpus = R"({"sockets": [
  {"processors": [{"name": "AMD Instinct MI300X", "uuid": "aaaa1111-0000", "bdf": "0000:0c:00.0",
                   "power_w": 640, "average_power_w": 600, "energy_per_read_j": 10,
                   "temperature_c": 61, "activity_pct": 87, "memory_used_bytes": 1000,
                   "gfx_clock_mhz": 2000, "violation_ppt": true}]},
  {"processors": [{"name": "AMD Instinct MI325X", "uuid": "bbbb2222-0000", "bdf": "0000:2B:00.0"}]}]})";

TEST_F(AmdSmiSensorTest, ReportsIdentityAndEveryMetric) {
  write_scenario(kTwoGpus);
  auto sensor = open();
  ASSERT_TRUE(sensor);
  EXPECT_EQ(sensor->name(), "amdsmi");
  ASSERT_EQ(sensor->devices().size(), 2u);
  const DeviceInfo& gpu = sensor->devices()[0];
  EXPECT_EQ(gpu.id, "amdsmi:0");
  EXPECT_EQ(gpu.vendor, "AMD");
  EXPECT_EQ(gpu.name, "AMD Instinct MI300X");
  EXPECT_EQ(gpu.uuid, "aaaa1111-0000");
  const auto* pci = dynamic_cast<const PciDeviceSensor*>(sensor.get());
  ASSERT_NE(pci, nullptr);
  EXPECT_EQ(pci->pci_bus_id(0), "0000:0c:00.0");
  EXPECT_EQ(pci->pci_bus_id(1), "0000:2b:00.0");  // sysfs spelling: lower case
  EXPECT_EQ(gpu.driver_version, "6.8.5");
  EXPECT_EQ(gpu.power_kind, PowerKind::instantaneous);
  for (Metric metric :
       {Metric::power, Metric::energy_counter, Metric::temperature, Metric::gpu_utilization,
        Metric::sm_clock, Metric::memory_used, Metric::throttle_mask}) {
    EXPECT_TRUE(gpu.supports(metric))
        << to_string(metric) << ": " << gpu.capabilities.at(metric).reason;
  }
  EXPECT_THAT(gpu.capabilities.at(Metric::power).reason, HasSubstr("current_socket_power"));

  const Reading reading = sensor->read(0, 123);
  ASSERT_EQ(reading.status, ReadStatus::ok) << reading.error;
  EXPECT_EQ(reading.sample.time_ns, 123);
  EXPECT_EQ(reading.sample.power_w, 640.0);
  EXPECT_EQ(reading.sample.temperature_c, 61.0);
  EXPECT_EQ(reading.sample.gpu_utilization_pct, 87.0);
  EXPECT_EQ(reading.sample.memory_used_bytes, 1000u);
  EXPECT_EQ(reading.sample.sm_clock_mhz, 2000.0);
  EXPECT_EQ(reading.sample.throttle_mask, throttle::kSwPowerCap);
}

TEST_F(AmdSmiSensorTest, CounterStepsAreResolutionTimesAccumulator) {
  write_scenario(kTwoGpus);
  auto sensor = open();
  ASSERT_TRUE(sensor);
  // The probe made the first call (0 J); each read adds 10 J in 15.259 uJ steps.
  const auto first = sensor->read(0, 0).sample.energy_counter_j;
  const auto second = sensor->read(0, 1).sample.energy_counter_j;
  ASSERT_TRUE(first && second);
  EXPECT_NEAR(*second - *first, 10.0, 20e-6);
}

TEST_F(AmdSmiSensorTest, CounterWrapAtTwoToThe64IsUnwrapped) {
  // 1.5e7 steps (15 J) before the 64-bit accumulator wraps; each read adds 10 J (1e7 steps),
  // so the probe reads the start, the first read 10 J on, the second is past the wrap.
  write_scenario(R"({"sockets": [{"processors": [{"energy_start": 18446744073694551616,
                     "resolution_uj": 1.0, "energy_per_read_j": 10}]}]})");
  auto sensor = open();
  ASSERT_TRUE(sensor);
  const DeviceInfo& gpu = sensor->devices()[0];
  ASSERT_TRUE(gpu.counter_max_j);
  EXPECT_NEAR(*gpu.counter_max_j, std::ldexp(1.0, 64) * 1e-6, 1.0);
  const auto before = sensor->read(0, 0).sample.energy_counter_j;
  const auto after = sensor->read(0, 1).sample.energy_counter_j;
  ASSERT_TRUE(before && after);
  EXPECT_LT(*after, *before);  // the raw value wrapped
  const CounterDelta delta = counter_delta(*before, *after, gpu.counter_max_j);
  EXPECT_EQ(delta.step, CounterStep::wrapped);
  EXPECT_NEAR(delta.delta_j, 10.0, 0.1);  // doubles near 1.8e13 J keep ~4 mJ
}

TEST_F(AmdSmiSensorTest, LostGpuIsReportedLostAndStaysLost) {
  write_scenario(R"({"sockets": [{"processors": [{"lost_after_energy_reads": 2}]}]})");
  auto sensor = open();
  ASSERT_TRUE(sensor);
  EXPECT_EQ(sensor->read(0, 1).status, ReadStatus::ok);  // the probe was read 1
  const Reading lost = sensor->read(0, 2);
  EXPECT_EQ(lost.status, ReadStatus::lost);
  EXPECT_THAT(lost.error, HasSubstr("amdsmi_get_energy_count"));
  EXPECT_THAT(lost.error, HasSubstr("NOT_FOUND"));
  EXPECT_FALSE(lost.sample.power_w);
  EXPECT_EQ(sensor->read(0, 3).status, ReadStatus::lost);
}

TEST_F(AmdSmiSensorTest, MissingFieldsAreNullWithAReason) {
  write_scenario(R"({"sockets": [{"processors": [
      {"missing": ["temperature", "violation", "current_power", "memory"]}]}]})");
  auto sensor = open();
  ASSERT_TRUE(sensor);
  const DeviceInfo& gpu = sensor->devices()[0];
  EXPECT_FALSE(gpu.supports(Metric::temperature));
  EXPECT_THAT(gpu.capabilities.at(Metric::temperature).reason,
              HasSubstr("amdsmi_get_temp_metric: Feature not supported (NOT_SUPPORTED)"));
  EXPECT_FALSE(gpu.supports(Metric::throttle_mask));
  // Without the current power, the average is used and said to be one.
  EXPECT_TRUE(gpu.supports(Metric::power));
  EXPECT_EQ(gpu.power_kind, PowerKind::unknown);
  EXPECT_THAT(gpu.capabilities.at(Metric::power).reason, HasSubstr("average_socket_power"));
  const Reading reading = sensor->read(0, 1);
  ASSERT_EQ(reading.status, ReadStatus::ok);
  EXPECT_FALSE(reading.sample.temperature_c);
  EXPECT_FALSE(reading.sample.memory_used_bytes);
  EXPECT_FALSE(reading.sample.throttle_mask);
  EXPECT_EQ(reading.sample.power_w, 300.0);
}

TEST_F(AmdSmiSensorTest, OldLibraryLayoutHasOnlyTheAverage) {
  write_scenario(R"({"version": [23, 3, 0], "sockets": [{"processors": [
      {"power_w": 500, "average_power_w": 450}]}]})");
  auto sensor = open();
  ASSERT_TRUE(sensor);
  EXPECT_EQ(sensor->devices()[0].power_kind, PowerKind::unknown);
  EXPECT_EQ(sensor->read(0, 1).sample.power_w, 450.0);
}

TEST_F(AmdSmiSensorTest, RocmSevenLibraryReadsTheCurrentPowerBehindSocketPower) {
  write_scenario(R"({"version": [26, 1, 0], "sockets": [{"processors": [
      {"power_w": 640, "average_power_w": 600}]}]})");
  auto sensor = open();
  ASSERT_TRUE(sensor);
  EXPECT_EQ(sensor->devices()[0].power_kind, PowerKind::instantaneous);
  EXPECT_EQ(sensor->read(0, 1).sample.power_w, 640.0);
}

TEST_F(AmdSmiSensorTest, UnknownLibraryLayoutLeavesPowerOutButKeepsTheCounter) {
  write_scenario(R"({"version": [22, 1, 0], "sockets": [{"processors": [{}]}]})");
  auto sensor = open();
  ASSERT_TRUE(sensor);
  const DeviceInfo& gpu = sensor->devices()[0];
  EXPECT_FALSE(gpu.supports(Metric::power));
  EXPECT_THAT(gpu.capabilities.at(Metric::power).reason, HasSubstr("library 22.1.0"));
  EXPECT_TRUE(gpu.supports(Metric::energy_counter));
  EXPECT_FALSE(sensor->read(0, 1).sample.power_w);
}

TEST_F(AmdSmiSensorTest, PartitionsShareTheSocketPowerDomain) {
  write_scenario(R"({"sockets": [{"processors": [
      {"partition": "CPX", "bdf": "0000:0c:00.0"}, {"partition": "CPX", "bdf": "0000:0c:00.1"},
      {"partition": "CPX", "bdf": "0000:0c:00.2"}]}]})");
  auto sensor = open();
  ASSERT_TRUE(sensor);
  ASSERT_EQ(sensor->devices().size(), 3u);
  EXPECT_TRUE(sensor->devices()[0].supports(Metric::energy_counter));
  for (std::size_t i = 1; i < 3; ++i) {
    const DeviceInfo& partition = sensor->devices()[i];
    EXPECT_EQ(partition.name, "AMD Instinct MI300X (CPX partition)");
    EXPECT_FALSE(partition.supports(Metric::energy_counter));
    EXPECT_FALSE(partition.supports(Metric::power));
    EXPECT_THAT(partition.capabilities.at(Metric::power).reason, HasSubstr("first partition"));
    EXPECT_TRUE(partition.supports(Metric::gpu_utilization));
    EXPECT_FALSE(sensor->read(i, 1).sample.energy_counter_j);
  }
}

TEST_F(AmdSmiSensorTest, MinimalLibraryNamesEverySymbolItLacks) {
  write_scenario(kTwoGpus);
  AmdSmiOptions options;
  options.library_path = kMinimalFakeAmdSmiPath;
  auto sensor = open(options);
  ASSERT_TRUE(sensor);
  const DeviceInfo& gpu = sensor->devices()[0];
  EXPECT_TRUE(gpu.supports(Metric::energy_counter));
  EXPECT_THAT(gpu.capabilities.at(Metric::power).reason,
              HasSubstr("amdsmi_get_power_info not exported by"));
  EXPECT_THAT(gpu.capabilities.at(Metric::temperature).reason,
              HasSubstr("amdsmi_get_temp_metric not exported"));
  EXPECT_TRUE(sensor->read(0, 1).sample.energy_counter_j);
}

TEST_F(AmdSmiSensorTest, OpenErrorsSayWhy) {
  AmdSmiOptions missing;
  missing.library_path = "/nonexistent/libamd_smi.so";
  EXPECT_THAT(open_error(missing), HasSubstr("set JOULEBENCH_AMDSMI_LIBRARY"));
  write_scenario(R"({"init_status": 34, "sockets": []})");
  EXPECT_THAT(open_error(), HasSubstr("amdsmi_init failed: Driver not loaded"));
  write_scenario(R"({"sockets": []})");
  EXPECT_THAT(open_error(), HasSubstr("amdsmi reports no GPU"));
  write_scenario(R"({"sockets": [], "bogus": 1})");
  EXPECT_THAT(open_error(), HasSubstr("unknown field 'bogus'"));
}

TEST_F(AmdSmiSensorTest, EnvironmentNamesTheLibrary) {
  write_scenario(kTwoGpus);
  ScopedEnv library("JOULEBENCH_AMDSMI_LIBRARY", kFakeAmdSmiPath);
  auto sensor = open_amdsmi_sensor();
  ASSERT_TRUE(sensor) << sensor.error().message;
  EXPECT_EQ((*sensor)->devices().size(), 2u);
}

TEST_F(AmdSmiSensorTest, GpusOptionAndVisibleDevicesSelect) {
  write_scenario(kTwoGpus);
  AmdSmiOptions options;
  options.gpus = std::vector<std::string>{"bbbb"};
  auto by_uuid = open(options);
  ASSERT_TRUE(by_uuid);
  ASSERT_EQ(by_uuid->devices().size(), 1u);
  EXPECT_EQ(by_uuid->devices()[0].id, "amdsmi:1");
  {
    ScopedEnv rocr("ROCR_VISIBLE_DEVICES", std::string("GPU-bbbb,0"));
    auto sensor = open();
    ASSERT_TRUE(sensor);
    ASSERT_EQ(sensor->devices().size(), 2u);
    EXPECT_EQ(sensor->devices()[0].id, "amdsmi:1");
    ScopedEnv hip("HIP_VISIBLE_DEVICES", std::string("1"));
    auto narrowed = open();
    ASSERT_TRUE(narrowed);
    ASSERT_EQ(narrowed->devices().size(), 1u);
    EXPECT_EQ(narrowed->devices()[0].id, "amdsmi:0");  // position 1 of ROCR's list
  }
  ScopedEnv none("ROCR_VISIBLE_DEVICES", std::string("7"));
  EXPECT_THAT(open_error(), HasSubstr("ROCR_VISIBLE_DEVICES='7' selects no GPU (2 GPUs found)"));
}

}  // namespace
}  // namespace joulebench::testing
