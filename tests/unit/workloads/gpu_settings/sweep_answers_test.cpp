#include "workloads/gpu_settings/sweep_answers.hpp"

#include <gtest/gtest.h>

namespace joulebench::gpu_settings {
namespace {

using models::Metric;

// Samples per metric in kAllMetrics order: J/token, tokens/J, tokens/s, W.
SettingResult result(std::optional<unsigned> limit_w, std::vector<double> tokens_per_s,
                     std::vector<double> power_w) {
  SettingResult out;
  out.setting.power_limit = KnobValue{Knob::power_limit, limit_w};
  out.samples.values.resize(4);
  for (std::size_t i = 0; i < tokens_per_s.size(); ++i) {
    const double tokens_per_j = tokens_per_s[i] / power_w[i];
    out.samples.values[0].push_back(1.0 / tokens_per_j);
    out.samples.values[1].push_back(tokens_per_j);
    out.samples.values[2].push_back(tokens_per_s[i]);
    out.samples.values[3].push_back(power_w[i]);
  }
  return out;
}

std::vector<SettingResult> sweep() {
  return {result(300, {70, 71, 69}, {300, 301, 299}),  // -40% speed, most tokens/J
          result(400, {90, 91, 89}, {400, 401, 399}),  // -10% speed
          result(std::nullopt, {100, 101, 99}, {600, 602, 598})};
}

TEST(SweepAnswers, NamesTheMostEfficientOverallAndWithinTheSlowdown) {
  const auto results = sweep();
  const auto answers = answer(results, 10.0);
  EXPECT_EQ(answers.baseline, 2U);
  EXPECT_EQ(answers.most_efficient, 0U);
  EXPECT_EQ(answers.within_slowdown, 1U);
  EXPECT_FALSE(answers.within_slo);
  ASSERT_EQ(answers.comparison_lines.size(), 2U);
  EXPECT_EQ(answers.comparison_lines[1],
            "power-limit 400 W: power -33% (p < 0.001), throughput -10% (p < 0.001), tokens/J "
            "+35% (p < 0.001)");
}

TEST(SweepAnswers, WithinTheSloAmongSettingsThatMetIt) {
  auto results = sweep();
  results[0].slo_met = false;
  results[1].slo_met = true;
  results[2].slo_met = true;
  EXPECT_EQ(answer(results, std::nullopt).within_slo, 1U);
}

TEST(SweepAnswers, WithoutADefaultSettingThereIsNoComparison) {
  auto results = sweep();
  results.pop_back();
  const auto answers = answer(results, 10.0);
  EXPECT_FALSE(answers.baseline);
  EXPECT_FALSE(answers.within_slowdown);
  EXPECT_TRUE(answers.comparison_lines.empty());
  EXPECT_NE(answers.reason.find("No default setting"), std::string::npos);
  EXPECT_EQ(answers.most_efficient, 0U);
}

TEST(SweepAnswers, StatisticsPerSetting) {
  const auto stats = metric_stats(sweep()[2], Metric::output_tokens_per_s);
  EXPECT_EQ(stats.n, 3U);
  EXPECT_DOUBLE_EQ(*stats.mean, 100.0);
  EXPECT_LT(*stats.ci_lower, 100.0);
  EXPECT_GT(*stats.ci_upper, 100.0);
}

TEST(FormatChange, SaysNaWithTheReason) {
  MeanComparison empty;
  empty.reason = "no samples";
  EXPECT_EQ(format_change(empty), "n/a (no samples)");
  MeanComparison some;
  some.difference_pct = 14.2;
  some.p_value = 0.0312;
  EXPECT_EQ(format_change(some), "+14% (p = 0.0312)");
}

}  // namespace
}  // namespace joulebench::gpu_settings
