#include "workloads/serving/serving_result.hpp"

#include <gtest/gtest.h>

namespace joulebench {
namespace {

LevelResult level(double concurrency, std::optional<double> j_per_token, bool valid,
                  std::optional<double> ttft_p90_ms = 100.0) {
  LevelResult out;
  out.level = concurrency;
  out.energy.j_per_output_token = j_per_token;
  out.validity.valid = valid;
  ValidityCheck check;
  check.name = "duration";
  check.status = valid ? ValidityCheck::Status::pass : ValidityCheck::Status::fail;
  check.message = valid ? "ok" : "duration 2.0 s < 60 s minimum";
  out.validity.checks.push_back(check);
  out.ttft.p90_ms = ttft_p90_ms;
  return out;
}

TEST(ServingResult, AnInvalidLevelIsNeverMostEfficient) {
  ServingBenchResult result;
  result.levels = {level(1, 2.0, true), level(8, 0.5, false), level(16, 0.9, true)};
  choose_most_efficient(result);
  EXPECT_EQ(result.most_efficient_level, 2u);
  EXPECT_FALSE(run_failure(result));
}

TEST(ServingResult, WithinTheSloAmongValidLevels) {
  ServingBenchResult result;
  result.slo.ttft_p90_ms = 500;
  result.levels = {level(1, 2.0, true, 100), level(8, 0.9, true, 300), level(32, 0.5, true, 1362)};
  choose_most_efficient(result);
  EXPECT_EQ(result.most_efficient_level, 2u);
  EXPECT_EQ(result.most_efficient_level_in_slo, 1u);
}

TEST(ServingResult, NoValidLevelIsARunFailureNamingEachLevel) {
  ServingBenchResult result;
  result.levels = {level(1, 2.0, false), level(4, std::nullopt, true)};
  result.levels[1].energy.reason = "No request completed inside the window.";
  choose_most_efficient(result);
  EXPECT_FALSE(result.most_efficient_level);
  EXPECT_EQ(run_failure(result),
            "no level is valid: c 1: duration 2.0 s < 60 s minimum; c 4: No request completed "
            "inside the window.");
}

TEST(ServingResult, RequestOutcomesCountTheWholeLevelWithoutTheCutOnes) {
  LevelResult l;
  l.requests_issued = 110;
  l.failed_requests = 3;
  l.cut_at_end = 7;
  l.first_errors = {"HTTP 500: boom"};
  const RequestOutcomes outcomes = request_outcomes(l);
  EXPECT_EQ(outcomes.completed, 100u);
  EXPECT_EQ(outcomes.failed, 3u);
  EXPECT_EQ(outcomes.first_errors, l.first_errors);
}

DeviceMeasurement gpu(const std::string& id, std::optional<double> utilization, double watts) {
  DeviceMeasurement d;
  d.device.id = id;
  d.gpu_utilization_pct.mean = utilization;
  d.gpu_utilization_pct.count = utilization ? 10 : 0;
  d.avg_power_w = watts;
  return d;
}

TEST(ServingResult, AnIdleGpuBesideBusyOnesIsNamedWithTheGpusToKeep) {
  Measurement window;
  window.devices = {gpu("nvml:0", 92.0, 400), gpu("nvml:1", 0.0, 61), gpu("nvml:2", 88.0, 390)};
  const auto warnings = idle_device_warnings(window);
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_EQ(warnings[0],
            "nvml:1 stayed idle through this level (utilization 0.0%, 61 W) and its draw is in "
            "the J/token: --gpus 0,2 would leave it out");
  window.devices = {gpu("nvml:0", 0.0, 60)};  // alone: nothing to leave it out for
  EXPECT_TRUE(idle_device_warnings(window).empty());
  window.devices = {gpu("nvml:0", 90.0, 300), gpu("rapl:package-0", std::nullopt, 50)};
  EXPECT_TRUE(idle_device_warnings(window).empty());
}

}  // namespace
}  // namespace joulebench
