#include "sweep_progress.hpp"

#include <gtest/gtest.h>

namespace joulebench::cli {
namespace {

TEST(SweepProgress, TheSweepIsAnnouncedWithItsExpectedLength) {
  SweepPlan plan;
  plan.levels = 7;
  plan.warmup_s = 10;
  plan.duration_s = 60;
  plan.cooldown_s = 5;
  plan.idle_s = 10;
  // 10 + 7 x 70 + 6 x 5 = 530 s.
  EXPECT_EQ(expected_sweep_s(plan), 530.0);
  EXPECT_EQ(plan_announcement(plan), "7 levels, about 8 min 50 s");
  plan.duration_s.reset();
  EXPECT_FALSE(expected_sweep_s(plan));
  EXPECT_EQ(plan_announcement(plan), "7 levels, each until its request count");
}

TEST(SweepProgress, DurationsInWords) {
  EXPECT_EQ(duration_words(45.2), "45 s");
  EXPECT_EQ(duration_words(490), "8 min 10 s");
  EXPECT_EQ(duration_words(3780), "1 h 3 min");
  EXPECT_EQ(duration_words(-3), "0 s");
}

}  // namespace
}  // namespace joulebench::cli
