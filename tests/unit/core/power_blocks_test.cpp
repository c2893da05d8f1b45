#include "core/power_blocks.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace joulebench {
namespace {

constexpr TimeNs kMs = 1'000'000;

// Feeds power(t) sampled every `step_ms` for `duration_ms` from t = 0.
PowerBlocks blocks_of(double (*power)(double), TimeNs duration_ms, TimeNs step_ms) {
  PowerBlocks blocks(0);
  for (TimeNs t = step_ms; t <= duration_ms; t += step_ms) {
    const TimeNs t0 = (t - step_ms) * kMs;
    blocks.add_segment(t0, power(static_cast<double>(t0) * 1e-9), t * kMs,
                       power(static_cast<double>(t * kMs) * 1e-9));
  }
  return blocks;
}

TEST(PowerBlocks, RippleFasterThanABlockIsSmoothedAway) {
  // 200 W +- 100 W ripple of 200 ms period: a 35% sample CV, but every 1 s block holds whole
  // periods, so the steady-state CV is ~0.
  const auto ripple = [](double t) { return 200.0 + 100.0 * std::sin(2.0 * M_PI * t / 0.2); };
  auto blocks = blocks_of(+ripple, 10'000, 50);
  EXPECT_EQ(blocks.complete_blocks(), 10u);
  ASSERT_TRUE(blocks.cv());
  EXPECT_LT(*blocks.cv(), 0.02);
}

TEST(PowerBlocks, ALoadThatChangesLevelIsNotSteady) {
  // 5 s at 100 W then 5 s at 300 W: block means 100 x5, 300 x5 -> mean 200, s = 105.4: CV 52.7%.
  const auto step = [](double t) { return t < 5.0 ? 100.0 : 300.0; };
  auto blocks = blocks_of(+step, 10'000, 100);
  ASSERT_TRUE(blocks.cv());
  EXPECT_NEAR(*blocks.cv(), std::sqrt(10.0 * 10000.0 / 9.0) / 200.0, 0.02);
}

TEST(PowerBlocks, SegmentsAreSplitExactlyAtBlockEdges) {
  // A ramp 0 -> 300 W over 3 s in one segment: block means 50, 150, 250 W.
  PowerBlocks blocks(0);
  blocks.add_segment(0, 0.0, 3'000 * kMs, 300.0);
  EXPECT_EQ(blocks.complete_blocks(), 3u);
  ASSERT_TRUE(blocks.cv());
  EXPECT_NEAR(*blocks.cv(), 100.0 / 150.0, 1e-12);  // s of {50,150,250} = 100
}

TEST(PowerBlocks, FewerThanThreeBlocksOrGapsGiveNoCv) {
  PowerBlocks short_window(0);
  short_window.add_segment(0, 100.0, 2'500 * kMs, 100.0);
  EXPECT_EQ(short_window.complete_blocks(), 2u);
  EXPECT_FALSE(short_window.cv());

  PowerBlocks gappy(0);
  gappy.add_segment(0, 100.0, 1'000 * kMs, 100.0);
  gappy.add_segment(1'500 * kMs, 100.0, 5'000 * kMs, 100.0);  // block 1 half covered: skipped
  EXPECT_EQ(gappy.complete_blocks(), 4u);
}

}  // namespace
}  // namespace joulebench
