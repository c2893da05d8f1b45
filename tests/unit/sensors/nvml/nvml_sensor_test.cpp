// The real NvmlSensor against the fake NVML library. Expected numbers are worked out by hand
// from the scenario's piecewise-linear power profile.
#include "sensors/nvml/nvml_sensor.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "fake_nvml_fixture.hpp"

namespace joulebench::testing {
namespace {

using ::testing::HasSubstr;

// 100 W rising linearly to 300 W over the first second, 300 W for a second, then a step to
// 500 W. Integral: 0..1 s = 200 J, 1..2 s = 300 J, then 500 J per second.
constexpr const char* kProfile = R"([[0, 100], [1, 300], [2, 300], [2, 500]])";

std::string h100_scenario(const std::string& extra_device_fields = "") {
  return std::string(R"({"driver_version": "550.54.15", "devices": [{
      "name": "NVIDIA H100 80GB HBM3", "uuid": "GPU-8f3a0000-1111-2222-3333-444455556666",
      "architecture": 9, "power_limit_w": 700, "energy_start_mj": 1000000,
      "temperature_c": 55, "gpu_utilization_pct": 87, "sm_clock_mhz": 1755,
      "memory_used_bytes": 1073741824, "power_w": )") +
         kProfile + extra_device_fields + "}]}";
}

class NvmlSensorTest : public FakeNvmlTest {};

TEST_F(NvmlSensorTest, ReportsDeviceInfo) {
  write_scenario(h100_scenario());
  auto sensor = open();
  ASSERT_TRUE(sensor);
  EXPECT_EQ(sensor->name(), "nvml");
  ASSERT_EQ(sensor->devices().size(), 1U);
  const DeviceInfo& device = sensor->devices()[0];
  EXPECT_EQ(device.id, "nvml:0");
  EXPECT_EQ(device.sensor, "nvml");
  EXPECT_EQ(device.vendor, "NVIDIA");
  EXPECT_EQ(device.name, "NVIDIA H100 80GB HBM3");
  EXPECT_EQ(device.uuid, "GPU-8f3a0000-1111-2222-3333-444455556666");
  EXPECT_EQ(device.driver_version, "550.54.15");
  EXPECT_EQ(device.power_limit_w, 700.0);
  EXPECT_EQ(device.power_kind, PowerKind::instantaneous);
  EXPECT_EQ(device.counter_update_period_s, 0.1);
  for (Metric metric :
       {Metric::power, Metric::energy_counter, Metric::temperature, Metric::gpu_utilization,
        Metric::sm_clock, Metric::memory_used, Metric::throttle_mask}) {
    EXPECT_TRUE(device.supports(metric)) << static_cast<int>(metric);
  }
  EXPECT_THAT(device.capabilities.at(Metric::power).reason, HasSubstr("field 186"));
}

TEST_F(NvmlSensorTest, ReadsInstantPowerAndTheCounterAtItsLastUpdateTick) {
  write_scenario(h100_scenario());
  auto sensor = open();
  ASSERT_TRUE(sensor);

  // t = 0.55 s: power 100 + 200 * 0.55 = 210 W; counter at the 0.5 s tick:
  // 1000 J + (100 * 0.5 + 100 * 0.5^2) J = 1075 J.
  Reading reading = read_at(*sensor, 0, 0.55);
  ASSERT_EQ(reading.status, ReadStatus::ok) << reading.error;
  EXPECT_EQ(reading.sample.time_ns, s_to_ns(0.55));
  EXPECT_DOUBLE_EQ(*reading.sample.power_w, 210.0);
  EXPECT_DOUBLE_EQ(*reading.sample.energy_counter_j, 1075.0);
  EXPECT_DOUBLE_EQ(*reading.sample.temperature_c, 55.0);
  EXPECT_DOUBLE_EQ(*reading.sample.gpu_utilization_pct, 87.0);
  EXPECT_DOUBLE_EQ(*reading.sample.sm_clock_mhz, 1755.0);
  EXPECT_EQ(*reading.sample.memory_used_bytes, 1073741824U);
  EXPECT_EQ(*reading.sample.throttle_mask, 0U);

  // t = 1.25 s: 300 W; tick 1.2 s: 1000 + 200 + 300 * 0.2 = 1260 J.
  reading = read_at(*sensor, 0, 1.25);
  EXPECT_DOUBLE_EQ(*reading.sample.power_w, 300.0);
  EXPECT_DOUBLE_EQ(*reading.sample.energy_counter_j, 1260.0);

  // t = 2.0 s is on the step: 500 W; tick 2.0 s: 1000 + 500 = 1500 J.
  reading = read_at(*sensor, 0, 2.0);
  EXPECT_DOUBLE_EQ(*reading.sample.power_w, 500.0);
  EXPECT_DOUBLE_EQ(*reading.sample.energy_counter_j, 1500.0);

  // t = 2.35 s: tick 2.3 s: 1500 + 500 * 0.3 = 1650 J.
  reading = read_at(*sensor, 0, 2.35);
  EXPECT_DOUBLE_EQ(*reading.sample.energy_counter_j, 1650.0);
}

TEST_F(NvmlSensorTest, CounterDoesNotMoveBetweenUpdateTicks) {
  write_scenario(h100_scenario());
  auto sensor = open();
  ASSERT_TRUE(sensor);
  const double at_1_21 = *read_at(*sensor, 0, 1.21).sample.energy_counter_j;
  const double at_1_29 = *read_at(*sensor, 0, 1.29).sample.energy_counter_j;
  EXPECT_DOUBLE_EQ(at_1_21, 1260.0);
  EXPECT_DOUBLE_EQ(at_1_29, 1260.0);
}

TEST_F(NvmlSensorTest, PowerUsageIsAOneSecondAverageOnAdaWithoutTheInstantField) {
  write_scenario(R"({"devices": [{"name": "NVIDIA L40S", "architecture": 8,
      "power_instant_field": false, "power_usage_average_s": 1, "energy_start_mj": 1000000,
      "power_w": )" +
                 std::string(kProfile) + "}]}");
  auto sensor = open();
  ASSERT_TRUE(sensor);
  const DeviceInfo& device = sensor->devices()[0];
  EXPECT_EQ(device.power_kind, PowerKind::average_1s);
  EXPECT_THAT(device.capabilities.at(Metric::power).reason, HasSubstr("nvmlDeviceGetPowerUsage"));
  EXPECT_THAT(device.capabilities.at(Metric::power).reason, HasSubstr("Not Supported"));

  // Average over [0.5, 1.5]: (100 * 0.5 + 100 * (1 - 0.25)) + 300 * 0.5 = 275 W.
  Reading reading = read_at(*sensor, 0, 1.5);
  EXPECT_DOUBLE_EQ(*reading.sample.power_w, 275.0);
  // The counter comes from nvmlDeviceGetTotalEnergyConsumption here: tick 1.5 s:
  // 1000 + 200 + 300 * 0.5 = 1350 J.
  EXPECT_DOUBLE_EQ(*reading.sample.energy_counter_j, 1350.0);
  // Over [1.5, 2.5]: 300 * 0.5 + 500 * 0.5 = 400 W.
  EXPECT_DOUBLE_EQ(*read_at(*sensor, 0, 2.5).sample.power_w, 400.0);
  // Over [-0.75, 0.25]: 100 * 0.75 (constant before the first point) + 100 * 0.25 +
  // 100 * 0.25^2 = 106.25 W.
  EXPECT_DOUBLE_EQ(*read_at(*sensor, 0, 0.25).sample.power_w, 106.25);
}

TEST_F(NvmlSensorTest, PowerUsageIsInstantaneousOnGa100AndUnknownWithoutArchitecture) {
  write_scenario(R"({"devices": [
      {"name": "NVIDIA A100-SXM4-80GB", "architecture": 7, "power_instant_field": false},
      {"name": "NVIDIA Mystery", "power_instant_field": false,
       "unsupported": ["nvmlDeviceGetArchitecture"]},
      {"name": "NVIDIA Tesla V100-SXM2-32GB", "architecture": 5, "power_instant_field": false}
  ]})");
  auto sensor = open();
  ASSERT_TRUE(sensor);
  ASSERT_EQ(sensor->devices().size(), 3U);
  EXPECT_EQ(sensor->devices()[0].power_kind, PowerKind::instantaneous);
  EXPECT_EQ(sensor->devices()[1].power_kind, PowerKind::unknown);
  EXPECT_EQ(sensor->devices()[2].power_kind, PowerKind::instantaneous);
  EXPECT_DOUBLE_EQ(*read_at(*sensor, 1, 1.0).sample.power_w, 100.0);
}

TEST_F(NvmlSensorTest, UnsupportedMetricsCarryTheirReasonAndReadAsMissing) {
  write_scenario(h100_scenario(R"(, "energy_counter": false,
      "unsupported": ["nvmlDeviceGetTemperature", "nvmlDeviceGetUtilizationRates"],
      "failures": [{"function": "nvmlDeviceGetMemoryInfo", "error": "NO_PERMISSION"}])"));
  auto sensor = open();
  ASSERT_TRUE(sensor);
  const DeviceInfo& device = sensor->devices()[0];
  const auto reason = [&](Metric metric) { return device.capabilities.at(metric).reason; };
  EXPECT_FALSE(device.supports(Metric::temperature));
  EXPECT_EQ(reason(Metric::temperature), "nvmlDeviceGetTemperature: Not Supported (NOT_SUPPORTED)");
  EXPECT_FALSE(device.supports(Metric::gpu_utilization));
  EXPECT_FALSE(device.supports(Metric::memory_used));
  EXPECT_EQ(reason(Metric::memory_used),
            "nvmlDeviceGetMemoryInfo: Insufficient Permissions (NO_PERMISSION)");
  EXPECT_FALSE(device.supports(Metric::energy_counter));
  EXPECT_EQ(reason(Metric::energy_counter),
            "nvmlDeviceGetTotalEnergyConsumption: Not Supported (NOT_SUPPORTED)");
  EXPECT_FALSE(device.counter_update_period_s.has_value());
  EXPECT_TRUE(device.supports(Metric::power));

  const Reading reading = read_at(*sensor, 0, 1.0);
  ASSERT_EQ(reading.status, ReadStatus::ok);
  EXPECT_DOUBLE_EQ(*reading.sample.power_w, 300.0);
  EXPECT_FALSE(reading.sample.energy_counter_j.has_value());
  EXPECT_FALSE(reading.sample.temperature_c.has_value());
  EXPECT_FALSE(reading.sample.gpu_utilization_pct.has_value());
  EXPECT_FALSE(reading.sample.memory_used_bytes.has_value());
  EXPECT_TRUE(reading.sample.sm_clock_mhz.has_value());
}

TEST_F(NvmlSensorTest, ThrottleBitsFollowTheIntervals) {
  write_scenario(h100_scenario(R"(, "throttle": [[1.0, 2.0, 4], [1.5, 3.0, 64]])"));
  auto sensor = open();
  ASSERT_TRUE(sensor);
  EXPECT_EQ(*read_at(*sensor, 0, 0.5).sample.throttle_mask, 0U);
  EXPECT_EQ(*read_at(*sensor, 0, 1.25).sample.throttle_mask, throttle::kSwPowerCap);
  EXPECT_EQ(*read_at(*sensor, 0, 1.75).sample.throttle_mask,
            throttle::kSwPowerCap | throttle::kHwThermal);
  EXPECT_EQ(*read_at(*sensor, 0, 2.5).sample.throttle_mask, throttle::kHwThermal);
  EXPECT_EQ(*read_at(*sensor, 0, 3.0).sample.throttle_mask, 0U);
}

TEST_F(NvmlSensorTest, ThrottleFallsBackToTheOlderFunction) {
  write_scenario(h100_scenario(R"(, "throttle": [[0, 10, 8]],
      "unsupported": ["nvmlDeviceGetCurrentClocksEventReasons"])"));
  auto sensor = open();
  ASSERT_TRUE(sensor);
  const Capability& capability = sensor->devices()[0].capabilities.at(Metric::throttle_mask);
  EXPECT_TRUE(capability.supported);
  EXPECT_THAT(capability.reason, HasSubstr("nvmlDeviceGetCurrentClocksThrottleReasons"));
  EXPECT_EQ(*read_at(*sensor, 0, 1.0).sample.throttle_mask, throttle::kHwSlowdown);
}

TEST_F(NvmlSensorTest, TransientPowerFailureLeavesPowerMissingAndTheRunGoesOn) {
  write_scenario(h100_scenario(R"(, "failures": [
      {"function": "nvmlDeviceGetFieldValues", "error": "UNKNOWN", "from_s": 1, "to_s": 2}])"));
  auto sensor = open();
  ASSERT_TRUE(sensor);
  Reading reading = read_at(*sensor, 0, 1.5);
  ASSERT_EQ(reading.status, ReadStatus::ok);
  EXPECT_FALSE(reading.sample.power_w.has_value());
  EXPECT_FALSE(reading.sample.energy_counter_j.has_value());  // same call as the power
  EXPECT_DOUBLE_EQ(*reading.sample.temperature_c, 55.0);

  reading = read_at(*sensor, 0, 2.5);
  ASSERT_EQ(reading.status, ReadStatus::ok);
  EXPECT_DOUBLE_EQ(*reading.sample.power_w, 500.0);
  EXPECT_DOUBLE_EQ(*reading.sample.energy_counter_j, 1750.0);  // 1000 + 500 + 500 * 0.5
}

TEST_F(NvmlSensorTest, ReadFailsWhenEveryCallFails) {
  write_scenario(R"({"devices": [{"energy_counter": false,
      "unsupported": ["nvmlDeviceGetTemperature", "nvmlDeviceGetUtilizationRates",
                      "nvmlDeviceGetClockInfo", "nvmlDeviceGetMemoryInfo",
                      "nvmlDeviceGetCurrentClocksEventReasons",
                      "nvmlDeviceGetCurrentClocksThrottleReasons"],
      "failures": [{"function": "nvmlDeviceGetFieldValues", "error": 999, "from_s": 1}]}]})");
  auto sensor = open();
  ASSERT_TRUE(sensor);
  EXPECT_EQ(read_at(*sensor, 0, 0.5).status, ReadStatus::ok);
  const Reading reading = read_at(*sensor, 0, 1.5);
  EXPECT_EQ(reading.status, ReadStatus::failed);
  EXPECT_EQ(reading.error, "nvmlDeviceGetFieldValues: Unknown Error (UNKNOWN)");
}

TEST_F(NvmlSensorTest, LostGpuIsReportedAndStaysLost) {
  write_scenario(h100_scenario(R"(, "lost_at_s": 2)"));
  auto sensor = open();
  ASSERT_TRUE(sensor);
  EXPECT_EQ(read_at(*sensor, 0, 1.0).status, ReadStatus::ok);
  Reading reading = read_at(*sensor, 0, 2.5);
  EXPECT_EQ(reading.status, ReadStatus::lost);
  EXPECT_EQ(reading.error, "nvmlDeviceGetFieldValues: GPU is lost (GPU_IS_LOST)");
  EXPECT_FALSE(reading.sample.power_w.has_value());
  // Lost is final, even if the (fake) device would answer again.
  reading = read_at(*sensor, 0, 1.0);
  EXPECT_EQ(reading.status, ReadStatus::lost);
}

TEST_F(NvmlSensorTest, GpuLostBeforeOpenIsListedAndReadsAsLost) {
  write_scenario(R"({"devices": [{"lost_at_s": 0}, {}]})");
  auto sensor = open();
  ASSERT_TRUE(sensor);
  ASSERT_EQ(sensor->devices().size(), 2U);
  const DeviceInfo& lost = sensor->devices()[0];
  EXPECT_EQ(lost.id, "nvml:0");
  EXPECT_FALSE(lost.supports(Metric::power));
  EXPECT_THAT(lost.capabilities.at(Metric::power).reason, HasSubstr("GPU_IS_LOST"));
  const Reading reading = read_at(*sensor, 0, 1.0);
  EXPECT_EQ(reading.status, ReadStatus::lost);
  EXPECT_EQ(reading.error, "nvmlDeviceGetHandleByIndex_v2: GPU is lost (GPU_IS_LOST)");
  EXPECT_EQ(read_at(*sensor, 1, 1.0).status, ReadStatus::ok);
}

TEST_F(NvmlSensorTest, ReadOfAnUnknownIndexFails) {
  write_scenario(R"({"devices": [{}]})");
  auto sensor = open();
  ASSERT_TRUE(sensor);
  EXPECT_EQ(sensor->read(1, 0).status, ReadStatus::failed);
}

TEST_F(NvmlSensorTest, LoadDrivenPowerIsIntegratedBetweenCalls) {
  write_file("load.txt", "0");
  write_scenario(R"({"devices": [{"load_file": ")" + path("load.txt") +
                 R"(", "idle_power_w": 50, "power_per_load_w": 100}]})");
  auto sensor = open();  // t = 0: load 0, 50 W
  ASSERT_TRUE(sensor);
  write_file("load.txt", "2");
  // At 0.25 s the fake still holds 50 W until its 0.2 s tick (10 J), then sees 250 W.
  Reading reading = read_at(*sensor, 0, 0.25);
  EXPECT_DOUBLE_EQ(*reading.sample.power_w, 250.0);
  EXPECT_DOUBLE_EQ(*reading.sample.energy_counter_j, 10.0);
  write_file("load.txt", "1");
  // Up to 0.25 s: 12.5 J; 250 W until the 0.6 s tick: 12.5 + 87.5 = 100 J; then 150 W.
  reading = read_at(*sensor, 0, 0.65);
  EXPECT_DOUBLE_EQ(*reading.sample.power_w, 150.0);
  EXPECT_DOUBLE_EQ(*reading.sample.energy_counter_j, 100.0);
  // Up to 0.65 s: 112.5 J; 150 W until the 1.0 s tick: 112.5 + 52.5 = 165 J.
  reading = read_at(*sensor, 0, 1.0);
  EXPECT_DOUBLE_EQ(*reading.sample.energy_counter_j, 165.0);
}

TEST_F(NvmlSensorTest, TwoSensorsShareTheLibraryUntilTheLastCloses) {
  write_scenario(h100_scenario());
  auto first = open();
  auto second = open();
  ASSERT_TRUE(first && second);
  first.reset();  // nvmlShutdown once: NVML stays initialised for the second
  const Reading reading = read_at(*second, 0, 1.25);
  ASSERT_EQ(reading.status, ReadStatus::ok) << reading.error;
  EXPECT_DOUBLE_EQ(*reading.sample.energy_counter_j, 1260.0);
}

// --- GPU selection through the sensor ---------------------------------------------------

constexpr const char* kFourGpus = R"({"devices": [
    {"uuid": "GPU-00aa0000-0000-0000-0000-000000000000"},
    {"uuid": "GPU-11bb0000-0000-0000-0000-000000000000"},
    {"uuid": "GPU-22cc0000-0000-0000-0000-000000000000"},
    {"uuid": "GPU-33dd0000-0000-0000-0000-000000000000"}]})";

std::vector<std::string> ids(const Sensor& sensor) {
  std::vector<std::string> result;
  for (const auto& device : sensor.devices()) result.push_back(device.id);
  return result;
}

TEST_F(NvmlSensorTest, MeasuresEveryGpuWithoutSelection) {
  write_scenario(kFourGpus);
  auto sensor = open();
  ASSERT_TRUE(sensor);
  EXPECT_EQ(ids(*sensor), (std::vector<std::string>{"nvml:0", "nvml:1", "nvml:2", "nvml:3"}));
}

TEST_F(NvmlSensorTest, CudaVisibleDevicesSelectsByIndexAndUuid) {
  write_scenario(kFourGpus);
  ScopedEnv visible("CUDA_VISIBLE_DEVICES", "2,GPU-33dd");
  auto sensor = open();
  ASSERT_TRUE(sensor);
  EXPECT_EQ(ids(*sensor), (std::vector<std::string>{"nvml:2", "nvml:3"}));
  EXPECT_EQ(sensor->devices()[1].uuid, "GPU-33dd0000-0000-0000-0000-000000000000");
}

TEST_F(NvmlSensorTest, GpusOptionWinsOverCudaVisibleDevices) {
  write_scenario(kFourGpus);
  ScopedEnv visible("CUDA_VISIBLE_DEVICES", "2");
  NvmlOptions options;
  options.gpus = std::vector<std::string>{"11bb", "0"};
  auto sensor = open(options);
  ASSERT_TRUE(sensor);
  EXPECT_EQ(ids(*sensor), (std::vector<std::string>{"nvml:1", "nvml:0"}));
}

TEST_F(NvmlSensorTest, UnknownGpuInGpusOptionIsAnError) {
  write_scenario(kFourGpus);
  NvmlOptions options;
  options.gpus = std::vector<std::string>{"5"};
  EXPECT_EQ(open_error(options), "--gpus: no GPU with index 5 (4 GPUs found)");
}

TEST_F(NvmlSensorTest, CudaVisibleDevicesSelectingNothingIsAnError) {
  write_scenario(kFourGpus);
  ScopedEnv visible("CUDA_VISIBLE_DEVICES", "-1");
  EXPECT_EQ(open_error(), "CUDA_VISIBLE_DEVICES='-1' selects no GPU (4 GPUs found)");
}

// --- why the sensor cannot open ---------------------------------------------------------

TEST_F(NvmlSensorTest, MissingLibraryNamesThePathAndTheVariable) {
  NvmlOptions options;
  options.library_path = "/nonexistent/libnvidia-ml.so.1";
  const std::string error = open_error(options);
  EXPECT_THAT(error, HasSubstr("NVML library not found"));
  EXPECT_THAT(error, HasSubstr("/nonexistent/libnvidia-ml.so.1"));
  EXPECT_THAT(error, HasSubstr("JOULEBENCH_NVML_LIBRARY"));
}

TEST_F(NvmlSensorTest, LibraryPathComesFromTheEnvironmentWhenNotGiven) {
  write_scenario(R"({"devices": [{}]})");
  ScopedEnv library("JOULEBENCH_NVML_LIBRARY", kFakeNvmlPath);
  auto sensor = open_nvml_sensor({});
  ASSERT_TRUE(sensor) << sensor.error().message;
  EXPECT_EQ((*sensor)->devices().size(), 1U);
}

TEST_F(NvmlSensorTest, FileThatIsNotALibraryKeepsTheLoaderReason) {
  write_scenario(R"({"devices": [{}]})");
  NvmlOptions options;
  options.library_path = path("scenario.json");
  const std::string error = open_error(options);
  EXPECT_THAT(error, HasSubstr("NVML library not found"));
  EXPECT_THAT(error, HasSubstr("scenario.json: "));  // dlopen's reason (not an ELF file)
}

TEST_F(NvmlSensorTest, LibraryWithoutNvmlSymbolsIsRejected) {
  NvmlOptions options;
  options.library_path = "libm.so.6";
  EXPECT_EQ(open_error(options),
            "libm.so.6 is not a usable NVML library: nvmlInit_v2 not exported");
}

TEST_F(NvmlSensorTest, InitFailureNamesTheError) {
  write_scenario(R"({"init_error": "DRIVER_NOT_LOADED", "devices": []})");
  EXPECT_EQ(open_error(),
            "nvmlInit_v2 failed: Driver Not Loaded (DRIVER_NOT_LOADED); is the NVIDIA driver "
            "loaded?");
}

TEST_F(NvmlSensorTest, ZeroGpusIsAnError) {
  write_scenario(R"({"driver_version": "535.104.05", "devices": []})");
  EXPECT_EQ(open_error(), "NVML reports no GPU (driver 535.104.05)");
}

TEST_F(NvmlSensorTest, BrokenScenarioSurfacesThroughTheInitError) {
  write_scenario(R"({"devices": [{"power_wats": 100}]})");
  const std::string error = open_error();
  EXPECT_THAT(error, HasSubstr("nvmlInit_v2 failed"));
  EXPECT_THAT(error, HasSubstr("devices[0]: unknown field 'power_wats'"));
}

// --- the minimal library: symbols missing ------------------------------------------------

TEST_F(NvmlSensorTest, MissingSymbolsMakeMetricsUnsupportedWithReasons) {
  write_scenario(h100_scenario());
  NvmlOptions options;
  options.library_path = kMinimalFakeNvmlPath;
  auto sensor = open(options);
  ASSERT_TRUE(sensor);
  const DeviceInfo& device = sensor->devices()[0];
  EXPECT_EQ(device.name, "NVIDIA H100 80GB HBM3");
  EXPECT_EQ(device.driver_version, "");
  EXPECT_FALSE(device.power_limit_w.has_value());
  EXPECT_TRUE(device.supports(Metric::power));
  EXPECT_EQ(device.power_kind, PowerKind::unknown);  // no nvmlDeviceGetArchitecture
  const auto reason = [&](Metric metric) { return device.capabilities.at(metric).reason; };
  EXPECT_FALSE(device.supports(Metric::energy_counter));
  EXPECT_EQ(reason(Metric::energy_counter),
            "nvmlDeviceGetTotalEnergyConsumption not exported by " + kMinimalFakeNvmlPath);
  EXPECT_EQ(reason(Metric::temperature),
            "nvmlDeviceGetTemperature not exported by " + kMinimalFakeNvmlPath);
  EXPECT_FALSE(device.supports(Metric::throttle_mask));
  EXPECT_THAT(reason(Metric::throttle_mask),
              HasSubstr("nvmlDeviceGetCurrentClocksThrottleReasons not exported"));

  const Reading reading = read_at(*sensor, 0, 0.55);
  ASSERT_EQ(reading.status, ReadStatus::ok);
  EXPECT_DOUBLE_EQ(*reading.sample.power_w, 210.0);
  EXPECT_FALSE(reading.sample.energy_counter_j.has_value());
  EXPECT_FALSE(reading.sample.temperature_c.has_value());
}

TEST_F(NvmlSensorTest, ErrorsAreNamedWithoutNvmlErrorString) {
  write_scenario(h100_scenario(R"(, "lost_at_s": 1)"));
  NvmlOptions options;
  options.library_path = kMinimalFakeNvmlPath;
  auto sensor = open(options);
  ASSERT_TRUE(sensor);
  const Reading reading = read_at(*sensor, 0, 1.5);
  EXPECT_EQ(reading.status, ReadStatus::lost);
  EXPECT_EQ(reading.error, "nvmlDeviceGetPowerUsage: GPU_IS_LOST");
}

}  // namespace
}  // namespace joulebench::testing
