#include "core/window.hpp"

#include <gtest/gtest.h>

#include "core/offline.hpp"
#include "support/scripted_sensor.hpp"

namespace joulebench {
namespace {

using testing::scripted_device;
constexpr TimeNs kSecond = 1'000'000'000;

Sample power_at(TimeNs t, double power_w) {
  Sample sample;
  sample.time_ns = t;
  sample.power_w = power_w;
  return sample;
}

TEST(WindowAccumulator, TotalsPeakOfSumAndStartRelativeToOrigin) {
  const std::vector<DeviceInfo> devices = {scripted_device("a", false),
                                           scripted_device("b", false)};
  WindowAccumulator window("decode", devices, 0, 2 * kSecond);
  // a: 100, 300, 100 W; b: 300, 100, 300 W -> sums 400, 400, 400; per-device peak 300.
  const double a[] = {100, 300, 100};
  const double b[] = {300, 100, 300};
  for (int i = 0; i < 3; ++i) {
    const TimeNs t = 2 * kSecond + i * kSecond;
    window.add(0, power_at(t, a[i]));
    window.add(1, power_at(t, b[i]));
    window.end_round();
  }
  const Measurement m = window.finish(4 * kSecond);
  EXPECT_EQ(m.name, "decode");
  EXPECT_DOUBLE_EQ(m.start_s, 2.0);
  EXPECT_DOUBLE_EQ(m.duration_s, 2.0);
  EXPECT_DOUBLE_EQ(*m.energy_j, 400.0 + 400.0);
  EXPECT_DOUBLE_EQ(*m.avg_power_w, 400.0);
  EXPECT_DOUBLE_EQ(*m.peak_power_w, 400.0);  // not 600: the peaks never coincided
  EXPECT_TRUE(m.warnings.empty());
}

TEST(WindowAccumulator, DeviceWithoutEnergyIsLeftOutOfTheTotalWithAWarning) {
  std::vector<DeviceInfo> devices = {scripted_device("gpu", false), DeviceInfo{}};
  devices[1].id = "blind";
  WindowAccumulator window("w", devices, 0, 0);
  window.add(0, power_at(0, 100));
  window.add(0, power_at(kSecond, 100));
  window.end_round();
  const Measurement m = window.finish(kSecond);
  EXPECT_DOUBLE_EQ(*m.energy_j, 100.0);
  bool warned = false;
  for (const auto& w : m.warnings)
    warned = warned || w.find("blind has no energy") != std::string::npos;
  EXPECT_TRUE(warned);
}

TEST(WindowAccumulator, NoDeviceWithEnergyMeansNullTotal) {
  std::vector<DeviceInfo> devices = {DeviceInfo{}};
  WindowAccumulator window("w", devices, 0, 0);
  const Measurement m = window.finish(kSecond);
  EXPECT_FALSE(m.energy_j);
  EXPECT_FALSE(m.avg_power_w);
}

TEST(WindowAccumulator, ShortWindowOnACounterAloneIsWarned) {
  // A device with a counter and no power: the counter is all there is, and over 20 ms it did
  // not move.
  const std::vector<DeviceInfo> devices = {scripted_device("nvml:0", true, 0.1)};
  WindowAccumulator window("tiny", devices, 0, 0);
  Sample first;
  first.energy_counter_j = 10.0;
  Sample second;
  second.time_ns = kSecond / 50;
  second.energy_counter_j = 10.0;
  window.add(0, first);
  window.add(0, second);
  const Measurement m = window.finish(kSecond / 50);
  ASSERT_FALSE(m.warnings.empty());
  EXPECT_NE(m.warnings[0].find("shorter than the 0.1 s energy-counter update period of nvml:0"),
            std::string::npos)
      << m.warnings[0];
}

TEST(WindowAccumulator, ShortWindowWithPowerIsIntegratedNotReadAsZero) {
  const std::vector<DeviceInfo> devices = {scripted_device("nvml:0", true, 0.1)};
  WindowAccumulator window("tiny", devices, 0, 0);
  Sample first = power_at(0, 100);
  first.energy_counter_j = 10.0;
  Sample second = power_at(kSecond / 50, 100);
  second.energy_counter_j = 10.0;  // the counter has not moved in 20 ms
  window.add(0, first);
  window.add(0, second);
  const Measurement m = window.finish(kSecond / 50);
  EXPECT_EQ(m.devices[0].method, EnergyMethod::integrated);
  EXPECT_NEAR(*m.energy_j, 2.0, 1e-9);
  for (const auto& warning : m.warnings)
    EXPECT_EQ(warning.find("may read 0"), std::string::npos) << warning;
}

TEST(OfflineSummarizer, MatchesHandComputedValuesAndClips) {
  const std::vector<DeviceInfo> devices = {scripted_device("replay:0", false)};
  // 100 W for 0..4 s, then 200 W for 4..10 s, sampled every second (a step between 4 and 5 s).
  const auto feed = [&](OfflineSummarizer& summarizer) {
    for (int s = 0; s <= 10; ++s) summarizer.add(0, power_at(s * kSecond, s <= 4 ? 100.0 : 200.0));
  };
  OfflineSummarizer whole(devices, std::nullopt, std::nullopt);
  feed(whole);
  const Measurement all = whole.finish("analyze");
  EXPECT_DOUBLE_EQ(all.duration_s, 10.0);
  EXPECT_DOUBLE_EQ(*all.energy_j, 400.0 + 150.0 + 1000.0);
  EXPECT_DOUBLE_EQ(*all.peak_power_w, 200.0);

  OfflineSummarizer clipped(devices, 5.0, 8.0);
  feed(clipped);
  const Measurement part = clipped.finish("analyze");
  EXPECT_DOUBLE_EQ(part.start_s, 5.0);
  EXPECT_DOUBLE_EQ(part.duration_s, 3.0);
  EXPECT_DOUBLE_EQ(*part.energy_j, 600.0);
}

TEST(OfflineSummarizer, InterleavedDevicesFormRoundsForThePeakOfTheSum) {
  const std::vector<DeviceInfo> devices = {scripted_device("replay:0", false),
                                           scripted_device("replay:1", false)};
  OfflineSummarizer summarizer(devices, std::nullopt, std::nullopt);
  // Round 1: 100 + 100; round 2: 300 + 50; round 3: 50 + 300. Peak of a round's sum: 350.
  const double a[] = {100, 300, 50};
  const double b[] = {100, 50, 300};
  for (int r = 0; r < 3; ++r) {
    summarizer.add(0, power_at(r * kSecond, a[r]));
    summarizer.add(1, power_at(r * kSecond + 1000, b[r]));
  }
  EXPECT_DOUBLE_EQ(*summarizer.finish("analyze").peak_power_w, 350.0);
}

TEST(OfflineSummarizer, EmptyInputGivesNullEnergy) {
  const std::vector<DeviceInfo> devices = {scripted_device("replay:0", false)};
  OfflineSummarizer summarizer(devices, std::nullopt, std::nullopt);
  const Measurement m = summarizer.finish("analyze");
  EXPECT_FALSE(m.energy_j);
  EXPECT_EQ(m.devices[0].samples, 0u);
}

}  // namespace
}  // namespace joulebench
