// The report model: grouping, statistics and cost checked against values computed by hand.
#include "report/report_model.hpp"

#include <gtest/gtest.h>

#include "report_fixture.hpp"

namespace joulebench::report {
namespace {

using models::Metric;

TEST(ReportModel, GroupsRunsByLabelsAndBenchLevelsApart) {
  auto report = build_report(testing::documents(), {});
  ASSERT_TRUE(report) << report.error().what_line();
  ASSERT_EQ(report->configs.size(), 5u);  // fp16 run, nf4 run, three bench levels
  EXPECT_EQ(report->label_keys, (std::vector<std::string>{"precision", "concurrency"}));
  EXPECT_EQ(report->configs[0].name, "precision=fp16");
  EXPECT_EQ(report->configs[1].name, "precision=nf4");
  EXPECT_EQ(report->configs[4].name, "precision=fp16 concurrency=16");
  EXPECT_EQ(report->configs[4].load, 16.0);
  EXPECT_EQ(report->configs[4].load_key, "concurrency");
  EXPECT_EQ(report->configs[0].load_key, "batch");
  EXPECT_EQ(report->sources.size(), 3u);
  ASSERT_EQ(report->traces.size(), 1u);
}

TEST(ReportModel, StatisticsOfTheMeasuredIterations) {
  auto report = build_report(testing::documents(), {});
  ASSERT_TRUE(report);
  // fp16: J/token 4.0, 4.2, 4.4 (the warm-up's 9.0 left out): mean 4.2, s = 0.2,
  // 95% CI half width = t(0.975, 2) * s / sqrt(3) = 4.302652729749464 * 0.2 / 1.7320508075688772.
  const auto& j = report->configs[0].figure(Metric::j_per_output_token);
  EXPECT_EQ(j.n, 3u);
  EXPECT_NEAR(*j.mean, 4.2, 1e-12);
  const double half = 4.302652729749464 * 0.2 / 1.7320508075688772;
  EXPECT_NEAR(*j.ci_lower, 4.2 - half, 1e-9);
  EXPECT_NEAR(*j.ci_upper, 4.2 + half, 1e-9);
  EXPECT_NEAR(*j.cv, 0.2 / 4.2, 1e-12);
  // Throughput 50, 60, 70 -> 60.
  EXPECT_NEAR(*report->configs[0].figure(Metric::output_tokens_per_s).mean, 60.0, 1e-12);
  // A bench level is one sample: no CI, no CV, never 0.
  const auto& level = report->configs[2].figure(Metric::j_per_output_token);
  EXPECT_EQ(level.n, 1u);
  EXPECT_FALSE(level.ci_lower.has_value());
  EXPECT_FALSE(level.cv.has_value());
}

TEST(ReportModel, EnergyCostAtTheSeedPrices) {
  auto report = build_report(testing::documents(), {});
  ASSERT_TRUE(report);
  ASSERT_EQ(report->prices_usd_per_kwh, (std::vector<double>{0.10, 0.20, 0.30}));
  // 4.2 J/token * 1e6 tokens = 4.2e6 J = 1.1667 kWh; at $0.20: $0.23333.
  EXPECT_NEAR(*report->configs[0].energy_usd_per_million_tokens[1], 4.2e6 / 3.6e6 * 0.20, 1e-12);
  auto custom = build_report(testing::documents(), {{0.5}});
  ASSERT_TRUE(custom);
  EXPECT_NEAR(*custom->configs[1].energy_usd_per_million_tokens[0], 3.6e6 / 3.6e6 * 0.5, 1e-12);
}

TEST(ReportModel, ValidityCountsAndReasons) {
  auto report = build_report(testing::documents(), {});
  ASSERT_TRUE(report);
  EXPECT_EQ(report->configs[0].valid, 1u);
  EXPECT_EQ(report->configs[1].valid, 0u);
  EXPECT_EQ(report->configs[1].judged, 1u);
  EXPECT_EQ(report->configs[1].invalid_reasons, (std::vector<std::string>{"window shorter than 1 s"}));
  EXPECT_EQ(report->configs[2].valid, 0u);  // concurrency 1 is the invalid level
  EXPECT_EQ(report->configs[3].valid, 1u);
}

TEST(ReportModel, RunsSharingLabelsPoolTheirIterations) {
  auto a = testing::run_document("a.json", "fp16", {1.0, 2.0});
  auto b = testing::run_document("b.json", "fp16", {3.0});
  auto report = build_report({a, b}, {});
  ASSERT_TRUE(report);
  ASSERT_EQ(report->configs.size(), 1u);
  EXPECT_EQ(report->configs[0].figure(Metric::j_per_output_token).n, 3u);
  EXPECT_NEAR(*report->configs[0].figure(Metric::j_per_output_token).mean, 2.0, 1e-12);
  EXPECT_EQ(report->configs[0].name, "batch=8 precision=fp16");  // nothing varies: every label
}

TEST(ReportModel, TraceWindowsComeFromTheRun) {
  auto report = build_report(testing::documents(), {});
  ASSERT_TRUE(report);
  const auto& trace = report->traces[0];
  ASSERT_EQ(trace.power_w.size(), 1u);
  EXPECT_EQ(trace.power_w[0].size(), 9u);
  EXPECT_DOUBLE_EQ(trace.power_w[0][2].second, 600.0);
  ASSERT_EQ(trace.windows.size(), 3u);
  EXPECT_DOUBLE_EQ(trace.windows[1].start_s, 2.0);
  EXPECT_DOUBLE_EQ(trace.windows[1].end_s, 2.5);
  EXPECT_EQ(trace.windows[1].name, "iteration 3: decode");
}

TEST(ReportModel, Errors) {
  EXPECT_FALSE(build_report({}, {}));
  ResultDocument analyze{"x.json", "file", "x.json", {{"schema_version", 1}, {"kind", "analyze"}}, ""};
  auto bad = build_report({analyze}, {});
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().file, "x.json");
  auto broken = testing::run_document("t.json", "fp16", {1.0});
  broken.trace_csv = "# joulebench-trace v1\nnot a header\n";
  auto trace_error = build_report({broken}, {});
  ASSERT_FALSE(trace_error);
  EXPECT_NE(trace_error.error().what_line().find("t.json:"), std::string::npos) << trace_error.error().what_line();
}

}  // namespace
}  // namespace joulebench::report
