// Golden tests of the monitor / analyze / devices writers. Regenerate the files with
// JOULEBENCH_UPDATE_GOLDEN=1 and review the diff by hand.
#include "report/run_reports.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "golden_file.hpp"

namespace joulebench::report {
namespace {

using testing::expect_matches_golden;

DeviceInfo gpu_info() {
  DeviceInfo info;
  info.id = "nvml:0";
  info.sensor = "nvml";
  info.name = "NVIDIA H100 80GB HBM3";
  info.uuid = "GPU-0000";
  info.vendor = "NVIDIA";
  info.driver_version = "550.54.15";
  info.power_limit_w = 700.0;
  info.power_kind = PowerKind::instantaneous;
  info.counter_update_period_s = 0.1;
  info.capabilities[Metric::power] = {true, ""};
  info.capabilities[Metric::energy_counter] = {true, ""};
  info.capabilities[Metric::temperature] = {false, "nvmlDeviceGetTemperature: Not Supported"};
  return info;
}

Measurement two_device_measurement() {
  DeviceMeasurement gpu;
  gpu.device = gpu_info();
  gpu.method = EnergyMethod::counter;
  gpu.energy_j = 4000.0;
  gpu.counter_energy_j = 4000.0;
  gpu.integrated_energy_j = 3960.0;
  gpu.method_disagreement = 0.01;
  gpu.avg_power_w = 400.0;
  gpu.peak_power_w = 612.5;
  gpu.samples = 101;
  gpu.power_w = {101, 100.0, 400.0, 612.5, 50.0};
  gpu.throttle_events.push_back({0x40, "hw_thermal", 2.5, 3});

  DeviceMeasurement cpu;
  cpu.device.id = "rapl:package-0";
  cpu.device.sensor = "rapl";
  cpu.device.name = "package-0";
  cpu.device.vendor = "GenuineIntel";
  cpu.method = EnergyMethod::none;
  cpu.energy_reason = "no permission to read energy_uj";

  Measurement measurement;
  measurement.name = "run";
  measurement.duration_s = 10.0;
  measurement.energy_j = 4000.0;
  measurement.avg_power_w = 400.0;
  measurement.peak_power_w = 612.5;
  measurement.devices = {gpu, cpu};
  measurement.warnings = {"rapl:package-0 has no energy: no permission to read energy_uj"};
  return measurement;
}

TEST(RunReports, MonitorJsonMatchesGolden) {
  MonitorReport report;
  report.provenance.host = "testhost";
  report.provenance.start_time = "2026-11-24T10:00:00.000Z";
  report.provenance.interval_s = 0.1;
  report.provenance.sensors = {"nvml", "rapl"};
  report.command = {"python", "generate.py"};
  report.exit_code = 0;
  report.run = two_device_measurement();
  expect_matches_golden("monitor.json", monitor_json(report));
}

TEST(RunReports, MissingValuesAreNullWithAReasonNeverZero) {
  MonitorReport report;
  report.run = two_device_measurement();
  const auto document = nlohmann::json::parse(monitor_json(report));
  const auto& cpu = document["devices"][1];
  EXPECT_TRUE(cpu["energy_j"].is_null());
  EXPECT_EQ(cpu["energy_reason"], "no permission to read energy_uj");
  EXPECT_EQ(cpu["method"], "none");
  EXPECT_EQ(document["schema_version"], 1);
  EXPECT_EQ(document["provenance"]["simulated"], false);
}

TEST(RunReports, ReplaySourcesMarkTheRunSimulated) {
  MonitorReport report;
  report.provenance.replay_sources = {"tests/data/a.csv"};
  const auto document = nlohmann::json::parse(monitor_json(report));
  EXPECT_EQ(document["provenance"]["simulated"], true);
}

TEST(RunReports, MeasurementTableMatchesGolden) {
  expect_matches_golden("measurement-table.txt", measurement_table(two_device_measurement()));
}

TEST(RunReports, DevicesTableListsUnsupportedAndUnavailable) {
  DevicesReport report;
  report.devices = {gpu_info()};
  report.unavailable = {{"rapl", "no powercap RAPL zones under /sys/class/powercap"}};
  expect_matches_golden("devices-table.txt", devices_table(report));
}

}  // namespace
}  // namespace joulebench::report
