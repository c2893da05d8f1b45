#include "exporter/exporter_metrics.hpp"

#include <gtest/gtest.h>

#include "exporter/prometheus_text.hpp"

namespace joulebench::exporter {
namespace {

DeviceInfo device(int index, std::string uuid) {
  DeviceInfo info;
  info.id = "nvml:" + std::to_string(index);
  info.sensor = "nvml";
  info.name = "NVIDIA H100 80GB HBM3";
  info.uuid = std::move(uuid);
  return info;
}

// Two GPUs: gpu 0 reads everything, gpu 1 only power and has no idle baseline.
Snapshot two_gpus() {
  Snapshot snapshot;
  snapshot.rounds = 12;
  snapshot.missed_rounds = 1;
  snapshot.devices = std::make_shared<const std::vector<DeviceInfo>>(
      std::vector<DeviceInfo>{device(0, "GPU-a"), device(1, "GPU-b")});
  Sample full;
  full.power_w = 312.5;
  full.temperature_c = 61;
  full.gpu_utilization_pct = 95;
  full.memory_used_bytes = 1024;
  full.throttle_mask = throttle::kHwThermal | throttle::kSwPowerCap;
  Sample power_only;
  power_only.power_w = 80;
  snapshot.latest = {full, power_only};
  snapshot.energy_so_far_j = {1234.5, 400};
  snapshot.lost = {false, false};
  return snapshot;
}

// Value of the sample of `name` whose labels include every one of `labels`.
std::optional<double> value_of(const std::vector<ParsedSample>& samples, const std::string& name,
                               const std::vector<Label>& labels) {
  for (const auto& sample : samples) {
    if (sample.name != name) continue;
    bool all = true;
    for (const auto& label : labels) {
      const std::string* value = find_label(sample, label.name);
      all = all && value != nullptr && *value == label.value;
    }
    if (all) return sample.value;
  }
  return std::nullopt;
}

std::vector<ParsedSample> render_and_parse(const ExporterInputs& inputs) {
  auto parsed = parse_prometheus_text(render_metrics(inputs), "render");
  EXPECT_TRUE(parsed);
  return parsed ? *parsed : std::vector<ParsedSample>{};
}

TEST(ExporterMetrics, DeviceValuesWithLabelsAndAbsentFields) {
  const Snapshot snapshot = two_gpus();
  ExporterInputs inputs;
  inputs.snapshot = &snapshot;
  inputs.hostname = "node-7";
  inputs.idle_power_w = {61.0, std::nullopt};
  const auto samples = render_and_parse(inputs);
  const std::vector<Label> gpu0 = {
      {"gpu", "0"}, {"uuid", "GPU-a"}, {"name", "NVIDIA H100 80GB HBM3"}, {"hostname", "node-7"}};
  const std::vector<Label> gpu1 = {{"gpu", "1"}, {"uuid", "GPU-b"}};
  EXPECT_EQ(value_of(samples, "joulebench_gpu_power_watts", gpu0), 312.5);
  EXPECT_EQ(value_of(samples, "joulebench_gpu_power_watts", gpu1), 80);
  EXPECT_EQ(value_of(samples, "joulebench_gpu_energy_joules_total", gpu0), 1234.5);
  EXPECT_EQ(value_of(samples, "joulebench_gpu_temperature_celsius", gpu0), 61);
  EXPECT_EQ(value_of(samples, "joulebench_gpu_utilization_ratio", gpu0), 0.95);
  EXPECT_EQ(value_of(samples, "joulebench_gpu_memory_used_bytes", gpu0), 1024);
  EXPECT_EQ(value_of(samples, "joulebench_gpu_idle_power_watts", gpu0), 61);
  // Missing is absent, never 0.
  EXPECT_FALSE(value_of(samples, "joulebench_gpu_temperature_celsius", gpu1));
  EXPECT_FALSE(value_of(samples, "joulebench_gpu_idle_power_watts", gpu1));
  EXPECT_FALSE(value_of(samples, "joulebench_gpu_throttle_active", gpu1));
  auto reason = [&](const char* r) {
    auto labels = gpu0;
    labels.push_back({"reason", r});
    return value_of(samples, "joulebench_gpu_throttle_active", labels);
  };
  EXPECT_EQ(reason("hw_thermal"), 1);
  EXPECT_EQ(reason("sw_power_cap"), 1);
  EXPECT_EQ(reason("sw_thermal"), 0);
  EXPECT_EQ(value_of(samples, "joulebench_sampling_rounds_total", {}), 12);
  EXPECT_EQ(value_of(samples, "joulebench_sampling_missed_rounds_total", {}), 1);
  EXPECT_EQ(value_of(samples, "joulebench_sensor_up", {{"sensor", "nvml"}}), 1);
}

TEST(ExporterMetrics, VendorIsALabelNotAMetricName) {
  Snapshot snapshot = two_gpus();
  auto devices = *snapshot.devices;
  devices[0].vendor = "NVIDIA";
  devices[1].id = "amdsmi:0";
  devices[1].sensor = "amdsmi";
  devices[1].vendor = "AMD";
  devices[1].name = "AMD Instinct MI300X";
  snapshot.devices = std::make_shared<const std::vector<DeviceInfo>>(devices);
  ExporterInputs inputs;
  inputs.snapshot = &snapshot;
  inputs.hostname = "node-7";
  const auto samples = render_and_parse(inputs);
  EXPECT_EQ(value_of(samples, "joulebench_gpu_power_watts", {{"gpu", "0"}, {"vendor", "NVIDIA"}}),
            312.5);
  EXPECT_EQ(value_of(samples, "joulebench_gpu_power_watts",
                     {{"gpu", "amdsmi:0"}, {"vendor", "AMD"}, {"name", "AMD Instinct MI300X"}}),
            80);
  EXPECT_TRUE(value_of(samples, "joulebench_gpu_energy_joules_total", {{"vendor", "AMD"}}));
}

TEST(ExporterMetrics, ALostDeviceKeepsItsEnergyAndLosesItsGauges) {
  Snapshot snapshot = two_gpus();
  snapshot.lost = {true, true};
  ExporterInputs inputs;
  inputs.snapshot = &snapshot;
  inputs.unavailable = {{"rapl", "no powercap"}};
  const auto samples = render_and_parse(inputs);
  EXPECT_FALSE(value_of(samples, "joulebench_gpu_power_watts", {{"gpu", "0"}}));
  EXPECT_EQ(value_of(samples, "joulebench_gpu_energy_joules_total", {{"gpu", "0"}}), 1234.5);
  EXPECT_EQ(value_of(samples, "joulebench_sensor_up", {{"sensor", "nvml"}}), 0);
}

// A sensor that was never available is not "down" (alerts watch joulebench_sensor_up): it
// has no joulebench_sensor_up, and joulebench_sensor_unavailable says why.
TEST(ExporterMetrics, ASensorNeverAvailableIsNamedWithItsReasonAndIsNotDown) {
  Snapshot snapshot = two_gpus();
  ExporterInputs inputs;
  inputs.snapshot = &snapshot;
  inputs.hostname = "n1";
  inputs.unavailable = {{"rapl", "no powercap"}};
  const auto samples = render_and_parse(inputs);
  EXPECT_FALSE(value_of(samples, "joulebench_sensor_up", {{"sensor", "rapl"}}));
  EXPECT_EQ(value_of(samples, "joulebench_sensor_unavailable",
                     {{"sensor", "rapl"}, {"hostname", "n1"}, {"reason", "no powercap"}}),
            1);
  EXPECT_FALSE(value_of(samples, "joulebench_sensor_unavailable", {{"sensor", "nvml"}}));
}

TEST(ExporterMetrics, TokenFamilies) {
  ExporterInputs inputs;
  inputs.tokens.models = {{"llama", 1500, 0.25}, {"new", 10, std::nullopt}};
  inputs.tokens.sources = {{"http://127.0.0.1:8000/metrics", true}};
  const std::string text = render_metrics(inputs);
  EXPECT_NE(text.find("# TYPE joulebench_tokens_total counter\n"), std::string::npos);
  const auto samples = render_and_parse(inputs);
  EXPECT_EQ(value_of(samples, "joulebench_tokens_total", {{"model", "llama"}}), 1500);
  EXPECT_EQ(value_of(samples, "joulebench_tokens_per_joule", {{"model", "llama"}}), 0.25);
  EXPECT_FALSE(value_of(samples, "joulebench_tokens_per_joule", {{"model", "new"}}));
  EXPECT_EQ(value_of(samples, "joulebench_tokens_source_up", {}), 1);
  // No snapshot yet: no device families at all.
  EXPECT_EQ(text.find("joulebench_gpu_"), std::string::npos);
}

TEST(ExporterMetrics, CalibratedEnergyOnlyForCalibratedDevices) {
  Snapshot snapshot = two_gpus();
  snapshot.elapsed_s = 10.0;
  ExporterInputs inputs;
  inputs.snapshot = &snapshot;
  // Without --calibration the series is not there at all.
  EXPECT_EQ(render_metrics(inputs).find("calibrated_energy"), std::string::npos);
  DeviceCalibration c;
  c.device_id = (*snapshot.devices)[1].id;
  c.device_uuid = (*snapshot.devices)[1].uuid;
  c.device_name = (*snapshot.devices)[1].name;
  c.gain = 1.05;
  c.offset_w = 2.0;
  inputs.calibrations = {c};
  const auto samples = render_and_parse(inputs);
  const auto gpu1 =
      value_of(samples, "joulebench_gpu_calibrated_energy_joules_total", {{"gpu", "1"}});
  ASSERT_TRUE(gpu1);
  EXPECT_DOUBLE_EQ(*gpu1, 1.05 * 400.0 + 2.0 * 10.0);
  EXPECT_FALSE(value_of(samples, "joulebench_gpu_calibrated_energy_joules_total", {{"gpu", "0"}}));
}

TEST(ExporterMetrics, PowerAccuracyWhereStated) {
  Snapshot snapshot = two_gpus();
  auto devices = std::make_shared<std::vector<DeviceInfo>>(*snapshot.devices);
  (*devices)[0].power_accuracy_w = 5.0;
  snapshot.devices = devices;
  ExporterInputs inputs;
  inputs.snapshot = &snapshot;
  const auto samples = render_and_parse(inputs);
  EXPECT_EQ(value_of(samples, "joulebench_gpu_power_accuracy_watts", {{"gpu", "0"}}), 5.0);
  EXPECT_FALSE(value_of(samples, "joulebench_gpu_power_accuracy_watts", {{"gpu", "1"}}));
}

TEST(ExporterMetrics, EveryCounterEndsInTotal) {
  const Snapshot snapshot = two_gpus();
  ExporterInputs inputs;
  inputs.snapshot = &snapshot;
  inputs.tokens.models = {{"m", 1, 1.0}};
  std::vector<MetricFamily> all = device_families(snapshot, "h", {1.0, 2.0});
  for (auto& family : health_families(inputs)) all.push_back(family);
  all.push_back(calibrated_energy_family(snapshot, "h", {}));
  for (auto& family : token_families(inputs.tokens)) all.push_back(family);
  for (const auto& family : all) {
    const bool total = family.name.size() > 6 && family.name.ends_with("_total");
    EXPECT_EQ(family.type == MetricType::counter, total) << family.name;
    EXPECT_TRUE(family.name.starts_with("joulebench_")) << family.name;
  }
}

}  // namespace
}  // namespace joulebench::exporter
