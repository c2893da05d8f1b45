#include "core/device_accumulator.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>

#include "support/scripted_sensor.hpp"

namespace joulebench {
namespace {

using testing::scripted_device;

constexpr TimeNs kSecond = 1'000'000'000;

// Feeds power(t) sampled every `step_ns` over [0, duration_ns], with a counter that holds
// the exact integral when `counter` is given.
DeviceMeasurement integrate(const DeviceInfo& device, const std::function<double(double)>& power,
                            TimeNs duration_ns, TimeNs step_ns,
                            const std::function<double(double)>& counter = nullptr) {
  DeviceAccumulator accumulator(device, 0);
  for (TimeNs t = 0; t <= duration_ns; t += step_ns) {
    Sample sample;
    sample.time_ns = t;
    sample.power_w = power(ns_to_s(t));
    if (counter) sample.energy_counter_j = 1000.0 + counter(ns_to_s(t));
    accumulator.add(sample);
  }
  return accumulator.finish(duration_ns);
}

TEST(DeviceAccumulator, ConstantPowerIsExact) {
  const auto device = scripted_device("d", false);
  const auto m = integrate(
      device, [](double) { return 250.0; }, 10 * kSecond, kSecond / 10);
  EXPECT_EQ(m.method, EnergyMethod::integrated);
  EXPECT_DOUBLE_EQ(*m.energy_j, 2500.0);
  EXPECT_DOUBLE_EQ(*m.avg_power_w, 250.0);
  EXPECT_EQ(m.samples, 101u);
  EXPECT_FALSE(m.counter_energy_j);
}

TEST(DeviceAccumulator, RampIsExactWithTheTrapezoidRule) {
  // P(t) = 100 + 30 t over 0..10 s: integral = 1000 + 15 * 100 = 2500 J.
  const auto device = scripted_device("d", false);
  const auto m = integrate(
      device, [](double t) { return 100.0 + 30.0 * t; }, 10 * kSecond, kSecond / 4);
  EXPECT_NEAR(*m.energy_j, 2500.0, 1e-9);
  EXPECT_DOUBLE_EQ(*m.peak_power_w, 400.0);
  EXPECT_DOUBLE_EQ(*m.power_w.min, 100.0);
}

TEST(DeviceAccumulator, SquareWaveSampledAtItsEdgesIsExact) {
  // 100 W and 300 W alternating each second; samples on the edges (both levels at each edge
  // time as nvidia-smi would show them a microsecond apart) give the exact 2000 J over 10 s.
  const auto device = scripted_device("d", false);
  DeviceAccumulator accumulator(device, 0);
  for (int second = 0; second < 10; ++second) {
    const double level = second % 2 == 0 ? 100.0 : 300.0;
    for (TimeNs t : {second * kSecond, (second + 1) * kSecond - 1000}) {
      Sample sample;
      sample.time_ns = t;
      sample.power_w = level;
      accumulator.add(sample);
    }
  }
  const auto m = accumulator.finish(10 * kSecond - 1000);
  EXPECT_NEAR(*m.energy_j, 2000.0, 0.002);  // the 1 us edges contribute at most 0.2 mJ each
  EXPECT_NEAR(*m.power_w.mean, 200.0, 1e-9);
  EXPECT_NEAR(*m.power_w.stddev, 100.0 * std::sqrt(20.0 / 19.0), 1e-9);
}

TEST(DeviceAccumulator, CounterIsPreferredAndDisagreementReported) {
  const auto device = scripted_device("d", true);
  // Power reads a constant 200 W but the counter says 210 W: 5% apart.
  const auto m = integrate(
      device, [](double) { return 200.0; }, 10 * kSecond, kSecond / 10,
      [](double t) { return 210.0 * t; });
  EXPECT_EQ(m.method, EnergyMethod::counter);
  EXPECT_NEAR(*m.energy_j, 2100.0, 1e-6);
  EXPECT_NEAR(*m.integrated_energy_j, 2000.0, 1e-9);
  EXPECT_NEAR(*m.method_disagreement, 100.0 / 2100.0, 1e-9);
}

// A counter that moves every 100 ms, read over a 10 ms window that straddles an update: its
// difference holds a whole update (100 ms of 195 W), which made the average (19.5 J / 0.01 s)
// read far above the 195 W peak. Such a window takes integrated power, with the reason.
TEST(DeviceAccumulator, WindowShorterThanTwentyCounterUpdatesUsesIntegratedPower) {
  auto device = scripted_device("d", true);
  device.counter_update_period_s = 0.1;
  const auto stepped = [](double t) { return 195.0 * 0.1 * std::floor(t / 0.1); };
  DeviceAccumulator accumulator(device, 95 * kSecond / 1000);
  for (TimeNs t : {TimeNs{95'000'000}, TimeNs{100'000'000}, TimeNs{105'000'000}}) {
    Sample sample;
    sample.time_ns = t;
    sample.power_w = 195.0;
    sample.energy_counter_j = 1000.0 + stepped(ns_to_s(t) + 1e-12);
    accumulator.add(sample);
  }
  const auto m = accumulator.finish(105'000'000);
  EXPECT_EQ(m.method, EnergyMethod::integrated);
  ASSERT_TRUE(m.avg_power_w);
  EXPECT_LE(*m.avg_power_w, *m.peak_power_w + 1e-9);
  EXPECT_NE(m.energy_reason.find("fewer than 20 updates"), std::string::npos) << m.energy_reason;
  EXPECT_NEAR(*m.counter_energy_j, 19.5, 1e-9);  // the counter's figure is still kept
}

TEST(DeviceAccumulator, LongWindowKeepsTheCounter) {
  auto device = scripted_device("d", true);
  device.counter_update_period_s = 0.1;
  const auto m = integrate(
      device, [](double) { return 200.0; }, 10 * kSecond, kSecond / 10,
      [](double t) { return 200.0 * t; });
  EXPECT_EQ(m.method, EnergyMethod::counter);
  EXPECT_TRUE(m.energy_reason.empty()) << m.energy_reason;
}

TEST(DeviceAccumulator, WrapsAndResetsAreCounted) {
  auto device = scripted_device("rapl", true);
  device.counter_max_j = 100.0;
  DeviceAccumulator accumulator(device, 0);
  const double readings[] = {90.0, 99.0, 4.0, 10.0};  // wraps once between 99 and 4
  TimeNs t = 0;
  for (double counter_j : readings) {
    Sample sample;
    sample.time_ns = t += kSecond;
    sample.energy_counter_j = counter_j;
    accumulator.add(sample);
  }
  const auto m = accumulator.finish(t);
  EXPECT_NEAR(*m.energy_j, 9.0 + 5.0 + 6.0, 1e-9);
  EXPECT_EQ(m.counter_wraps, 1u);
  EXPECT_EQ(m.counter_resets, 0u);
}

TEST(DeviceAccumulator, NoPowerAndNoCounterIsNullWithAReasonNeverZero) {
  DeviceInfo device;
  device.id = "blind";
  DeviceAccumulator accumulator(device, 0);
  Sample sample;
  sample.temperature_c = 50.0;
  accumulator.add(sample);
  const auto m = accumulator.finish(kSecond);
  EXPECT_EQ(m.method, EnergyMethod::none);
  EXPECT_FALSE(m.energy_j);
  EXPECT_FALSE(m.avg_power_w);
  EXPECT_FALSE(m.energy_reason.empty());
  EXPECT_EQ(*m.temperature_c.max, 50.0);
}

TEST(DeviceAccumulator, LostDeviceKeepsEnergyUpToTheLossAndIgnoresLaterSamples) {
  const auto device = scripted_device("d", false);
  DeviceAccumulator accumulator(device, 0);
  for (TimeNs t = 0; t <= 2 * kSecond; t += kSecond / 2) {
    Sample sample;
    sample.time_ns = t;
    sample.power_w = 100.0;
    accumulator.add(sample);
  }
  accumulator.mark_lost(2 * kSecond);
  Sample late;
  late.time_ns = 3 * kSecond;
  late.power_w = 999.0;
  accumulator.add(late);
  const auto m = accumulator.finish(4 * kSecond);
  EXPECT_TRUE(m.lost);
  EXPECT_DOUBLE_EQ(*m.lost_at_s, 2.0);
  EXPECT_DOUBLE_EQ(*m.energy_j, 200.0);
  EXPECT_DOUBLE_EQ(*m.avg_power_w, 100.0);  // averaged over the 2 s the device was there
  EXPECT_DOUBLE_EQ(*m.peak_power_w, 100.0);
}

TEST(DeviceAccumulator, ThrottleEventsRecordFirstSightingAndCount) {
  const auto device = scripted_device("d", false);
  DeviceAccumulator accumulator(device, 0);
  const std::uint64_t masks[] = {0, throttle::kHwThermal,
                                 throttle::kHwThermal | throttle::kSwPowerCap, 0};
  TimeNs t = 0;
  for (auto mask : masks) {
    Sample sample;
    sample.time_ns = t;
    sample.throttle_mask = mask;
    accumulator.add(sample);
    t += kSecond;
  }
  const auto m = accumulator.finish(t);
  ASSERT_EQ(m.throttle_events.size(), 2u);
  EXPECT_EQ(m.throttle_events[0].reason, "sw_power_cap");
  EXPECT_DOUBLE_EQ(m.throttle_events[0].first_seen_s, 2.0);
  EXPECT_EQ(m.throttle_events[1].reason, "hw_thermal");
  EXPECT_EQ(m.throttle_events[1].samples, 2u);
  EXPECT_DOUBLE_EQ(m.throttle_events[1].first_seen_s, 1.0);
}

}  // namespace
}  // namespace joulebench
