#include "core/cycle_periodicity.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>

#include "core/device_accumulator.hpp"
#include "core/splitmix64.hpp"

namespace joulebench {
namespace {

constexpr TimeNs kMs = 1'000'000;
constexpr double kCycleS = 0.1;  // A100/H100: 25 ms of every 100 ms

// Feeds power(t) sampled every `step_ms` for `duration_ms`.
CyclePeriodicity detect(const std::function<double(double)>& power, TimeNs duration_ms,
                        TimeNs step_ms) {
  CyclePeriodicityDetector detector(kCycleS);
  for (TimeNs t = 0; t <= duration_ms; t += step_ms)
    detector.add(t * kMs, power(1e-3 * static_cast<double>(t)));
  return detector.result();
}

double pulse(double t_s, double period_s, double busy_s) {
  return std::fmod(t_s, period_s) < busy_s ? 400.0 : 100.0;
}

TEST(CyclePeriodicity, APulseEvery100MsWarns) {
  // 25 ms busy of every 100 ms, sampled at 10 ms: the load an A100's sensor aliases.
  auto found = detect([](double t) { return pulse(t, 0.1, 0.025); }, 10'000, 10);
  EXPECT_EQ(found.blocks, 4u);  // 1001 samples: 3 full blocks of 256 + 233
  EXPECT_EQ(found.aligned_blocks, found.blocks);
  ASSERT_TRUE(found.period_s);
  EXPECT_NEAR(*found.period_s, 0.1, 0.005);
}

TEST(CyclePeriodicity, APeriodOfThreeCyclesWarnsAtTheDefaultInterval) {
  // A 300 ms step pattern is visible to 100 ms sampling (the default interval).
  auto found = detect([](double t) { return pulse(t, 0.3, 0.1); }, 60'000, 100);
  EXPECT_GT(found.aligned_blocks, 0u);
  ASSERT_TRUE(found.period_s);
  EXPECT_NEAR(*found.period_s, 0.3, 0.01);
}

TEST(CyclePeriodicity, FiftyFiftyDutyAtOneSecondDoesNotWarn) {
  // Periodic, but at 10 cycles: the 25 ms windows see ten phases of it, no aliasing.
  auto found = detect([](double t) { return pulse(t, 1.0, 0.5); }, 20'000, 10);
  EXPECT_GT(found.blocks, 0u);
  EXPECT_EQ(found.aligned_blocks, 0u);
  EXPECT_FALSE(found.period_s);
}

TEST(CyclePeriodicity, NoiseDoesNotWarn) {
  std::uint64_t state = 7;
  auto found =
      detect([&](double) { return 300.0 + 60.0 * (splitmix64_unit(state) - 0.5); }, 20'000, 10);
  EXPECT_GT(found.blocks, 0u);
  EXPECT_EQ(found.aligned_blocks, 0u);
}

TEST(CyclePeriodicity, SteadyPowerDoesNotWarn) {
  auto found = detect([](double) { return 250.0; }, 10'000, 10);
  EXPECT_EQ(found.aligned_blocks, 0u);
}

TEST(CyclePeriodicity, TooFewSamplesAreNotAnalysed) {
  auto found = detect([](double t) { return pulse(t, 0.1, 0.025); }, 200, 10);
  EXPECT_EQ(found.blocks, 0u);
  EXPECT_FALSE(found.period_s);
}

TEST(CyclePeriodicity, SeriesPeriodFindsTheFundamentalNotAHarmonic) {
  std::vector<double> series;
  for (int i = 0; i < 200; ++i) series.push_back(pulse(0.01 * i, 0.2, 0.05));
  auto period = series_period(series, 0.01, 0.5);
  ASSERT_TRUE(period);
  EXPECT_NEAR(period->period_s, 0.2, 1e-9);
  EXPECT_GT(period->correlation, 0.8);
}

TEST(CyclePeriodicity, AccumulatorWarnsOnlyForPartTimeSensors) {
  for (const bool part_time : {false, true}) {
    DeviceInfo device;
    device.id = "nvml:0";
    if (part_time) device.part_time_cycle_s = kCycleS;
    DeviceAccumulator accumulator(device, 0);
    for (TimeNs t = 0; t <= 5'000; t += 10) {
      Sample sample;
      sample.time_ns = t * kMs;
      sample.power_w = pulse(1e-3 * static_cast<double>(t), 0.1, 0.025);
      accumulator.add(sample);
    }
    const DeviceMeasurement out = accumulator.finish(5'000 * kMs);
    EXPECT_EQ(out.cycle_aligned_period_s.has_value(), part_time);
    EXPECT_EQ(out.cycle_aligned_blocks > 0, part_time);
  }
}

}  // namespace
}  // namespace joulebench
