#include "workloads/command/phase_spread.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace joulebench {
namespace {

const std::vector<std::string> kH100 = {"nvml:0 (NVIDIA H100 80GB HBM3) samples power part-time"};

TEST(PhaseSpread, ModesParseAndOthersAreRefusedNamingTheFlag) {
  EXPECT_EQ(*parse_phase_spread_mode("auto"), PhaseSpreadMode::automatic);
  EXPECT_EQ(*parse_phase_spread_mode("on"), PhaseSpreadMode::on);
  EXPECT_EQ(*parse_phase_spread_mode("off"), PhaseSpreadMode::off);
  auto bad = parse_phase_spread_mode("yes");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().message, "--spread-phases: 'yes' is not one of auto, on, off");
}

TEST(PhaseSpread, AutoSpreadsExactlyWhenADeviceSamplesPartTime) {
  auto with = plan_phase_spreading(PhaseSpreadMode::automatic, kH100, 0.1, 1);
  EXPECT_TRUE(with.enabled);
  EXPECT_NE(with.reason.find("H100"), std::string::npos);
  auto without = plan_phase_spreading(PhaseSpreadMode::automatic, {}, std::nullopt, 1);
  EXPECT_FALSE(without.enabled);
  EXPECT_EQ(without.mode, "auto");
  EXPECT_FALSE(plan_phase_spreading(PhaseSpreadMode::off, kH100, 0.1, 1).enabled);
  auto forced = plan_phase_spreading(PhaseSpreadMode::on, {}, std::nullopt, 1);
  EXPECT_TRUE(forced.enabled);
  EXPECT_DOUBLE_EQ(forced.cycle_s, kDefaultSensorCycleS);
}

TEST(PhaseSpread, DelaysAreSeededUniformInTheCycleAndRecorded) {
  auto a = plan_phase_spreading(PhaseSpreadMode::on, kH100, 0.1, 42);
  auto b = a;
  PhaseSpreader first(a);
  PhaseSpreader second(b);
  double sum_s = 0.0;
  std::size_t low = 0;
  for (int i = 0; i < 1000; ++i) {
    const double delay_s = first.next_delay_s();
    EXPECT_EQ(delay_s, second.next_delay_s());  // same seed, same delays
    EXPECT_GE(delay_s, 0.0);
    EXPECT_LT(delay_s, 0.1);
    sum_s += delay_s;
    if (delay_s < 0.05) ++low;
  }
  EXPECT_EQ(a.delays, 1000u);
  EXPECT_NEAR(a.total_delay_s, sum_s, 1e-9);
  EXPECT_NEAR(sum_s / 1000.0, 0.05, 0.005);  // uniform: mean half the cycle
  EXPECT_NEAR(static_cast<double>(low), 500.0, 60.0);
}

TEST(PhaseSpread, OffMeansNoDelay) {
  auto off = plan_phase_spreading(PhaseSpreadMode::off, kH100, 0.1, 42);
  PhaseSpreader spreader(off);
  EXPECT_EQ(spreader.next_delay_s(), 0.0);
  EXPECT_EQ(off.delays, 0u);
}

}  // namespace
}  // namespace joulebench
