#include "sensors/remote/energy_series.hpp"

#include <gtest/gtest.h>

#include "sensors/remote/remote_readers.hpp"

namespace joulebench::remote {
namespace {

TEST(EnergySeries, AWindowIsInterpolatedAtBothEnds) {
  EnergySeries series;
  for (int i = 0; i <= 10; ++i) series.add_counter(i, 1000.0 + 100.0 * i);  // 100 W
  auto window = window_energy(series, 2.5, 7.25, false, 3.0);
  ASSERT_TRUE(window.energy_j) << window.reason;
  EXPECT_DOUBLE_EQ(*window.energy_j, 475.0);
  EXPECT_EQ(window.readings_inside, 5u);  // 3, 4, 5, 6, 7
  EXPECT_DOUBLE_EQ(*series.recent_power_w(), 100.0);
  series.add_counter(10.5, 2000.0 + 100.0);  // 200 W over the last half second
  EXPECT_DOUBLE_EQ(*series.recent_power_w(), 200.0);
  EXPECT_NEAR(*series.recent_power_w(1.0), 200.0 / 1.5, 1e-9);  // back to the reading at 9 s
}

TEST(EnergySeries, RepeatedValuesAreNotNewReadings) {
  EnergySeries series;
  series.add_counter(0.0, 10.0);
  series.add_counter(0.4, 10.0);  // the source has not updated yet
  series.add_counter(1.0, 20.0);
  ASSERT_EQ(series.points().size(), 2u);
  EXPECT_DOUBLE_EQ(*series.energy_at(0.5), 5.0);
}

TEST(EnergySeries, AWindowNeedsReadingsAroundIt) {
  EnergySeries series;
  series.add_counter(1.0, 0.0);
  series.add_counter(2.0, 100.0);
  EXPECT_NE(window_energy(series, 0.5, 1.5, false, 3).reason.find("first reading came 0.50 s"),
            std::string::npos);
  const auto open_end = window_energy(series, 1.0, 2.5, false, 3);
  EXPECT_FALSE(open_end.energy_j);
  EXPECT_NE(open_end.reason.find("no reading after the window closed"), std::string::npos);
  EXPECT_EQ(window_energy(EnergySeries{}, 0, 1, false, 3).reason, "no reading at all");
}

TEST(EnergySeries, ACounterRestartInsideTheWindowLeavesItWithoutEnergy) {
  EnergySeries series;
  series.add_counter(0.0, 500.0);
  series.add_counter(1.0, 600.0);
  series.add_counter(2.0, 50.0);  // the exporter restarted
  series.add_counter(3.0, 150.0);
  EXPECT_EQ(series.restarts(), 1u);
  auto across = window_energy(series, 0.5, 2.5, false, 3);
  EXPECT_FALSE(across.energy_j);
  EXPECT_NE(across.reason.find("restarted"), std::string::npos);
  // After the restart the cumulative energy goes on from what was counted.
  auto after = window_energy(series, 2.0, 3.0, false, 3);
  ASSERT_TRUE(after.energy_j) << after.reason;
  EXPECT_DOUBLE_EQ(*after.energy_j, 100.0);
}

TEST(EnergySeries, PowerOnlyIsIntegratedAndLongGapsRefused) {
  EnergySeries series;
  series.add_power(0.0, 100.0);
  series.add_power(1.0, 300.0);
  series.add_power(2.0, 300.0);
  series.add_power(10.0, 300.0);
  auto first = window_energy(series, 0.0, 2.0, true, 3.0);
  ASSERT_TRUE(first.energy_j);
  EXPECT_DOUBLE_EQ(*first.energy_j, 200.0 + 300.0);
  auto gap = window_energy(series, 1.0, 9.0, true, 3.0);
  EXPECT_FALSE(gap.energy_j);
  EXPECT_NE(gap.reason.find("no power reading for 8.00 s"), std::string::npos);
}

TEST(EnergySeries, OldReadingsAreDroppedButOneBeforeIsKept) {
  EnergySeries series;
  for (int i = 0; i < 10; ++i) series.add_counter(i, i * 10.0);
  series.forget_before(5.5);
  ASSERT_EQ(series.points().front().time_s, 5.0);
  EXPECT_DOUBLE_EQ(*series.energy_at(5.5), 55.0);
}

TEST(RemoteReaders, MedianSpacingAndPercentEncoding) {
  EXPECT_DOUBLE_EQ(*median_spacing({0.0, 1.0, 2.0, 2.5, 3.5}), 1.0);
  EXPECT_FALSE(median_spacing({1.0}));
  EXPECT_EQ(percent_encode("a{b=\"c\"}[5m]"), "a%7Bb%3D%22c%22%7D%5B5m%5D");
}

}  // namespace
}  // namespace joulebench::remote
