#include "workloads/command/iteration_plan.hpp"

#include <gtest/gtest.h>

namespace joulebench {
namespace {

IterationResult iteration(bool warmup, double seconds, int exit_code = 0) {
  IterationResult it;
  it.warmup = warmup;
  it.exit_code = exit_code;
  it.energy.duration_s = seconds;
  return it;
}

TEST(IterationPlan, DefaultRepeatsUntilCountAndTimeAreBothMet) {
  ValidityThresholds thresholds;
  thresholds.min_iterations = 3;
  thresholds.min_duration_s = 10.0;
  const auto plan = plan_iterations(std::nullopt, 1, thresholds);
  RunResult run;
  EXPECT_TRUE(wants_another_iteration(plan, run));   // the warm-up
  run.iterations.push_back(iteration(true, 100.0));  // a warm-up's time does not count
  for (int i = 0; i < 3; ++i) {
    EXPECT_TRUE(wants_another_iteration(plan, run));
    run.iterations.push_back(iteration(false, 3.0));
  }
  EXPECT_TRUE(wants_another_iteration(plan, run));  // 3 iterations, 9 s: time not met
  run.iterations.push_back(iteration(false, 3.0));
  EXPECT_FALSE(wants_another_iteration(plan, run));
  EXPECT_EQ(describe(plan), "until 3 iterations and 10 s measured (the validity criteria)");
}

TEST(IterationPlan, FixedCountIgnoresTheCriteria) {
  const auto plan = plan_iterations(2, 0, ValidityThresholds{});
  RunResult run;
  run.iterations = {iteration(false, 0.1), iteration(false, 0.1)};
  EXPECT_FALSE(wants_another_iteration(plan, run));
  EXPECT_EQ(describe(plan), "2 iteration(s)");
}

TEST(IterationPlan, ACommandThatKeepsFailingStops) {
  const auto plan = plan_iterations(std::nullopt, 0, ValidityThresholds{});
  RunResult run;
  run.iterations = {iteration(false, 0.1, 1), iteration(false, 0.1, 1)};
  EXPECT_TRUE(wants_another_iteration(plan, run));
  run.iterations.push_back(iteration(false, 0.1, 1));
  EXPECT_FALSE(wants_another_iteration(plan, run));
}

}  // namespace
}  // namespace joulebench
