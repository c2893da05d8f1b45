#include "core/energy_uncertainty.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "core/device_accumulator.hpp"
#include "support/scripted_sensor.hpp"

namespace joulebench {
namespace {

constexpr TimeNs kSecond = 1'000'000'000;

DeviceMeasurement device_with(EnergyMethod method, double energy_j, double duration_s) {
  DeviceMeasurement d;
  d.device.id = "nvml:0";
  d.device.power_accuracy_w = 5.0;
  d.device.power_accuracy_source = "vendor: +-5 W";
  d.device.counter_update_period_s = 0.1;
  d.method = method;
  d.energy_j = d.raw_energy_j = energy_j;
  d.avg_power_w = energy_j / duration_s;
  d.samples = 100;
  return d;
}

Measurement window_of(std::vector<DeviceMeasurement> devices, double duration_s) {
  Measurement m;
  m.duration_s = duration_s;
  double total = 0.0;
  for (const auto& d : devices) total += *d.energy_j;
  m.energy_j = total;
  m.devices = std::move(devices);
  return m;
}

const UncertaintySource* source_named(const EnergyUncertainty& u, const std::string& name) {
  for (const auto& s : u.sources)
    if (s.name == name) return &s;
  return nullptr;
}

double half_width(const EnergyUncertainty& u) { return 0.5 * (*u.ci95_high_j - *u.ci95_low_j); }

TEST(EnergyUncertainty, SensorAccuracyAndIntegrationAddInQuadrature) {
  auto d = device_with(EnergyMethod::integrated, 3000.0, 10.0);
  d.integration_half_width_j = 20.0;
  auto m = window_of({d}, 10.0);
  add_energy_uncertainty(m);
  const auto& u = m.devices[0].energy_uncertainty;
  EXPECT_DOUBLE_EQ(source_named(u, "sensor accuracy")->half_width_j.value(), 50.0);  // 5 W x 10 s
  EXPECT_DOUBLE_EQ(source_named(u, "integration")->half_width_j.value(), 20.0);
  EXPECT_EQ(source_named(u, "window edges"), nullptr);  // edges fall on readings
  EXPECT_NEAR(half_width(u), std::hypot(50.0, 20.0), 1e-9);
  EXPECT_TRUE(u.complete);
  EXPECT_NEAR(half_width(m.energy_uncertainty), half_width(u), 1e-9);
}

TEST(EnergyUncertainty, TheCountersUpdatePeriodAtBothEdges) {
  auto m = window_of({device_with(EnergyMethod::counter, 3000.0, 10.0)}, 10.0);
  add_energy_uncertainty(m);
  const auto* edges = source_named(m.devices[0].energy_uncertainty, "window edges");
  ASSERT_NE(edges, nullptr);
  // 300 W x 0.1 s of possible staleness per edge, uniform, two edges, 95%.
  EXPECT_NEAR(edges->half_width_j.value(), 1.96 * 300.0 * 0.1 * std::sqrt(2.0 / 12.0), 1e-9);
}

TEST(EnergyUncertainty, AnUndocumentedSensorIsUnknownNotZero) {
  auto d = device_with(EnergyMethod::integrated, 1000.0, 10.0);
  d.device.power_accuracy_w.reset();
  d.device.power_accuracy_source = "Intel documents no accuracy figure";
  d.integration_half_width_j = 3.0;
  auto m = window_of({d}, 10.0);
  add_energy_uncertainty(m);
  const auto& u = m.devices[0].energy_uncertainty;
  const auto* sensor = source_named(u, "sensor accuracy");
  ASSERT_NE(sensor, nullptr);
  EXPECT_FALSE(sensor->half_width_j);
  EXPECT_EQ(sensor->basis, "Intel documents no accuracy figure");
  EXPECT_FALSE(u.complete);
  EXPECT_FALSE(m.energy_uncertainty.complete);
  EXPECT_NEAR(half_width(u), 3.0, 1e-9);  // only what is stated
}

TEST(EnergyUncertainty, ACalibrationReplacesTheSensorsAccuracy) {
  auto d = device_with(EnergyMethod::integrated, 3150.0, 10.0);
  d.calibration =
      AppliedCalibration{"cal.json", "PMD", "2026-12-05", 1.05, 0.0, 3150.0, 3140.0, 3160.0, {}};
  auto m = window_of({d}, 10.0);
  add_energy_uncertainty(m);
  const auto& u = m.devices[0].energy_uncertainty;
  EXPECT_EQ(source_named(u, "sensor accuracy"), nullptr);
  EXPECT_DOUBLE_EQ(source_named(u, "calibration")->half_width_j.value(), 10.0);
}

TEST(EnergyUncertainty, PartTimeSamplingOfAPeriodicLoadIsUnbounded) {
  auto steady = device_with(EnergyMethod::counter, 3000.0, 10.0);
  steady.device.part_time_cycle_s = 0.1;
  steady.power_w.stddev = 4.0;
  auto periodic = steady;
  periodic.cycle_aligned_period_s = 0.1;
  auto m = window_of({steady, periodic}, 10.0);
  add_energy_uncertainty(m);
  const auto* seen = source_named(m.devices[0].energy_uncertainty, "part-time sampling");
  ASSERT_NE(seen, nullptr);
  // 100 cycles, 75% unseen each, 4 W spread.
  EXPECT_NEAR(seen->half_width_j.value(), 1.96 * 4.0 * 0.1 * 0.75 * 10.0, 1e-9);
  const auto* aliased = source_named(m.devices[1].energy_uncertainty, "part-time sampling");
  ASSERT_NE(aliased, nullptr);
  EXPECT_FALSE(aliased->half_width_j);
  EXPECT_FALSE(m.devices[1].energy_uncertainty.complete);
  EXPECT_TRUE(m.devices[0].energy_uncertainty.complete);
}

TEST(EnergyUncertainty, DevicesCombineInQuadratureAndNullEnergyHasNone) {
  auto a = device_with(EnergyMethod::integrated, 3000.0, 10.0);
  auto b = device_with(EnergyMethod::integrated, 1000.0, 10.0);
  DeviceMeasurement missing;
  missing.device.id = "nvml:2";
  auto m = window_of({a, b}, 10.0);
  m.devices.push_back(missing);
  add_energy_uncertainty(m);
  EXPECT_NEAR(half_width(m.energy_uncertainty), std::hypot(50.0, 50.0), 1e-9);
  EXPECT_FALSE(m.devices[2].energy_uncertainty.ci95_low_j);
  EXPECT_NEAR(*relative_half_width(m.energy_uncertainty, 4000.0), std::hypot(50.0, 50.0) / 4000.0,
              1e-12);
}

TEST(EnergyUncertainty, TheAccumulatorBoundsItsTrapezoids) {
  // 100 W and 300 W alternating each second: every interval's step is 200 W x 1 s.
  const auto device = testing::scripted_device("d", false);
  DeviceAccumulator accumulator(device, 0);
  for (int i = 0; i <= 4; ++i) {
    Sample sample;
    sample.time_ns = i * kSecond;
    sample.power_w = i % 2 == 0 ? 100.0 : 300.0;
    accumulator.add(sample);
  }
  const auto m = accumulator.finish(4 * kSecond);
  EXPECT_NEAR(m.integration_half_width_j.value(), 1.96 * std::sqrt(4 * 200.0 * 200.0 / 12.0), 1e-9);
}

}  // namespace
}  // namespace joulebench
