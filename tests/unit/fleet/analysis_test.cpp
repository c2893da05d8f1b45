// The fleet analysis against hand-computed figures.
#include "fleet/analysis.hpp"

#include <gtest/gtest.h>

#include "fleet/prometheus_client.hpp"

namespace joulebench::fleet {
namespace {

std::vector<models::GpuSpec> catalog() {
  auto loaded = models::load_gpu_catalog("");
  EXPECT_TRUE(loaded);
  return *loaded;
}

ModelHistory constant(const std::string& name, const std::string& type, int gpus, double power_w,
                      double tps, int steps) {
  ModelHistory m{name, type, gpus, {}, 60.0, {}};
  for (int i = 0; i < steps; ++i) m.points.push_back({i * 60, power_w, tps});
  return m;
}

FleetOptions options_with_catalog() {
  FleetOptions options;
  options.catalog = catalog();
  return options;
}

ModelFigures only(const FleetReport& report) {
  EXPECT_EQ(report.models.size(), 1u);
  return report.models.front();
}

TEST(FleetAnalysis, JPerTokenAndIdleAttributionFromTheFlag) {
  FleetHistory history;
  history.models.push_back(constant("gpt", "A6000", 2, 597.0, 2341.0, 3));
  auto options = options_with_catalog();
  options.idle_watts = {{"a6000", 25.0}};
  options.g_co2_per_kwh = 400.0;
  const auto& m = only(analyze_fleet(history, options));
  EXPECT_NEAR(*m.j_per_token, 597.0 / 2341.0, 1e-12);
  EXPECT_NEAR(*m.kg_co2_per_hour, 0.597 * 0.4, 1e-12);
  EXPECT_EQ(m.idle_attribution.source, "--idle-watts a6000=25");
  EXPECT_NEAR(*m.idle_attribution.fraction, 50.0 / 597.0, 1e-12);
  EXPECT_NEAR(*m.idle_attribution.idle_kg_co2_per_hour, 0.05 * 0.4, 1e-12);
  EXPECT_NEAR(*m.idle_attribution.productive_kg_co2_per_hour, 0.547 * 0.4, 1e-12);
}

TEST(FleetAnalysis, SumsBeyondTheDoubleRangeGiveNullJPerTokenWithAReason) {
  FleetHistory history;
  history.models.push_back(constant("huge", "A6000", 2, 1e308, 100.0, 3));
  const auto& m = only(analyze_fleet(history, options_with_catalog()));
  EXPECT_FALSE(m.j_per_token.has_value());
  EXPECT_NE(m.j_per_token_reason.find("out of range"), std::string::npos) << m.j_per_token_reason;
}

TEST(FleetAnalysis, IdleSourcesInOrderAndNullWithReason) {
  FleetHistory history;
  history.models.push_back(constant("a", "NVIDIA A100-SXM4-40GB", 4, 400.0, 10.0, 2));
  history.models.push_back(constant("b", "RTX-A6000", 1, 100.0, 10.0, 2));
  history.idle_baselines_w = {{"A100-SXM4-40GB", 50.0}};
  auto options = options_with_catalog();
  auto report = analyze_fleet(history, options);
  ASSERT_EQ(report.models.size(), 2u);
  const auto& a = report.models[0].model == "a" ? report.models[0] : report.models[1];
  const auto& b = report.models[0].model == "b" ? report.models[0] : report.models[1];
  EXPECT_EQ(a.idle_attribution.source, "joulebench_gpu_idle_power_watts (A100-SXM4-40GB)");
  EXPECT_NEAR(*a.idle_attribution.fraction, 0.5, 1e-12);
  EXPECT_FALSE(b.idle_attribution.fraction);  // the catalog has no A6000 idle figure
  EXPECT_NE(b.idle_attribution.reason.find("--idle-watts RTX-A6000=W"), std::string::npos)
      << b.idle_attribution.reason;
  // Without the stored baseline, the catalog's figure for the A100 40 GB (56.38 W).
  history.idle_baselines_w.clear();
  report = analyze_fleet(history, options);
  const auto& a2 = report.models[0].model == "a" ? report.models[0] : report.models[1];
  EXPECT_EQ(a2.idle_attribution.source, "catalog A100-SXM-40GB");
  EXPECT_NEAR(*a2.idle_attribution.fraction, 4 * 56.38 / 400.0, 1e-12);
  EXPECT_FALSE(a2.idle_attribution.idle_kg_co2_per_hour);  // no grid given
}

TEST(FleetAnalysis, IdleModelHasNoJPerTokenButAConsolidationSaving) {
  FleetHistory history;
  auto m = constant("kimi", "A100", 8, 300.0, 0.0, 10);
  m.points[3].tokens_per_s = 100.0;  // one busy step of ten: idle 90% of the time
  history.models.push_back(m);
  auto options = options_with_catalog();
  options.g_co2_per_kwh = 500.0;
  options.usd_per_kwh = 0.2;
  const auto& f = only(analyze_fleet(history, options));
  EXPECT_FALSE(f.idle);                    // mean 10 tok/s is not idle...
  ASSERT_TRUE(f.consolidation.candidate);  // ...but 9 of 10 steps are
  EXPECT_NEAR(*f.consolidation.idle_share, 0.9, 1e-12);
  EXPECT_NEAR(*f.consolidation.kwh_saved_per_month, 300.0 * 730.0 / 1000.0, 1e-9);
  EXPECT_NEAR(*f.consolidation.usd_saved_per_month, 219.0 * 0.2, 1e-9);
  EXPECT_NEAR(*f.consolidation.kg_co2_saved_per_month, 219.0 * 0.5, 1e-9);

  FleetHistory quiet;
  quiet.models.push_back(constant("minimax", "A100", 4, 447.0, 0.0, 3));
  const auto& q = only(analyze_fleet(quiet, options));
  EXPECT_TRUE(q.idle);
  EXPECT_FALSE(q.j_per_token);
  EXPECT_EQ(q.j_per_token_reason, "idle: below 1 tokens/s");
  EXPECT_FALSE(q.right_sizing.flagged);
}

TEST(FleetAnalysis, DiminishingReturnsAtTheFirstDoublingWorthLessThanTenPercent) {
  // J/token 20 at 10 tok/s, 11 at 20 tok/s (45% better), 10.5 at 40 tok/s (4.5% better).
  std::vector<HistoryPoint> points = {
      {0, 200.0, 10.0}, {60, 220.0, 20.0}, {120, 420.0, 40.0}, {180, 5.0, 0.0}};
  auto curve = efficiency_curve(points, 1.0, 0.10);
  ASSERT_EQ(curve.bins.size(), 3u);
  EXPECT_DOUBLE_EQ(curve.bins[0].tokens_per_s_low, 8.0);
  EXPECT_DOUBLE_EQ(curve.bins[0].tokens_per_s_high, 16.0);
  EXPECT_DOUBLE_EQ(curve.bins[1].j_per_token, 11.0);
  ASSERT_TRUE(curve.diminishing_from_tokens_per_s);
  EXPECT_DOUBLE_EQ(*curve.diminishing_from_tokens_per_s, 20.0);
  // Still improving: no point, and the reason says so.
  points[2].power_w = 300.0;  // 7.5 J/token: 32% better
  curve = efficiency_curve(points, 1.0, 0.10);
  EXPECT_FALSE(curve.diminishing_from_tokens_per_s);
  EXPECT_NE(curve.reason.find("still improves"), std::string::npos);
  EXPECT_FALSE(efficiency_curve({{0, 100.0, 5.0}}, 1.0, 0.1).diminishing_from_tokens_per_s);
}

TEST(FleetAnalysis, RightSizingHoldsTheModelAndKeepsPeakLoadLow) {
  FleetHistory history;
  history.models.push_back(constant("qwen", "A100", 8, 800.0, 18.0, 4));
  auto options = options_with_catalog();
  options.models_file = {{"qwen", {}, {}, 150.0, 80.0}};
  options.g_co2_per_kwh = 400.0;
  const auto& f = only(analyze_fleet(history, options));
  // A100 = A100-SXM-40GB in the catalog: TDP 400 W, idle 56.38 W. Peak 100 W per GPU.
  const double load = (100.0 - 56.38) / (400.0 - 56.38);
  EXPECT_NEAR(*f.right_sizing.peak_load, load, 1e-12);
  ASSERT_TRUE(f.right_sizing.flagged) << f.right_sizing.reason;
  EXPECT_EQ(*f.right_sizing.suggested_gpus, 2);  // 150 GB on 80 GB boards: 2; load x4 = 51% < 70%
  EXPECT_NEAR(*f.right_sizing.power_saved_w, 6 * 56.38, 1e-9);
  EXPECT_NEAR(*f.right_sizing.j_per_token_after, (800.0 - 6 * 56.38) / 18.0, 1e-9);
  EXPECT_NEAR(*f.right_sizing.kwh_saved_per_month, 6 * 56.38 * 0.73, 1e-9);
  EXPECT_NEAR(*f.right_sizing.kg_co2_saved_per_month, 6 * 56.38 * 0.73 * 0.4, 1e-9);

  options.max_load = 0.3;  // x2 (25%) fits, x4 (51%) does not: 4 GPUs
  EXPECT_EQ(*only(analyze_fleet(history, options)).right_sizing.suggested_gpus, 4);
  options.models_file.clear();
  const auto unknown = only(analyze_fleet(history, options)).right_sizing;
  EXPECT_FALSE(unknown.flagged);
  EXPECT_EQ(unknown.reason, "memory need unknown (give memory_gb in --models)");
}

TEST(FleetAnalysis, GapsAreNotedAndNotFilled) {
  FleetHistory history;
  ModelHistory m{"m",  "L4", 1, {{0, 50.0, 10.0}, {60, 70.0, std::nullopt}, {240, 60.0, 10.0}},
                 60.0, {}};
  history.models.push_back(m);
  const auto& f = only(analyze_fleet(history, options_with_catalog()));
  EXPECT_DOUBLE_EQ(*f.mean_power_w, 60.0);
  EXPECT_DOUBLE_EQ(*f.j_per_token, 110.0 / 20.0);  // only steps with both figures
  ASSERT_EQ(f.notes.size(), 2u);
  EXPECT_EQ(f.notes[0], "power present at 3 of 5 steps (gaps); figures cover those steps only");
}

TEST(FleetAnalysis, IdleWattsNamesAFamily) {
  FleetHistory history;
  history.models.push_back(constant("a", "NVIDIA A100-SXM4-80GB", 2, 200.0, 10.0, 2));
  auto options = options_with_catalog();
  options.idle_watts = {{"A10", 20.0}, {"A100", 60.0}};
  const auto report = analyze_fleet(history, options);
  EXPECT_EQ(report.models[0].idle_attribution.source, "--idle-watts A100=60");
  EXPECT_NEAR(*report.models[0].idle_attribution.fraction, 0.6, 1e-12);
  EXPECT_EQ(report.notes, std::vector<std::string>{"--idle-watts A10 matched no model's GPU type"});
}

TEST(FleetAnalysis, IdleWattsFlag) {
  auto parsed = parse_idle_watts({"A100=60", "A6000=25.5"});
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->size(), 2u);
  EXPECT_DOUBLE_EQ((*parsed)[1].second, 25.5);
  for (const char* bad : {"A100", "=60", "A100=x", "A100=-1"}) {
    auto result = parse_idle_watts({bad});
    ASSERT_FALSE(result) << bad;
    EXPECT_EQ(result.error().message.rfind("--idle-watts:", 0), 0u);
  }
}

QueryAnswer answer(std::vector<AnswerSeries> series) { return QueryAnswer{std::move(series), {}}; }

TEST(AssembleHistory, JoinsPerModelAndKeepsGaps) {
  PrometheusRange range;
  range.base_url = "http://p";
  range.start_s = 0;
  range.end_s = 240;
  range.step_s = 60;
  range.range_text = "4m";
  auto power = answer({{{{"model", "m"}}, {{60, 500.0}, {120, 520.0}}, 1}});
  auto allocation =
      answer({{{{"model", "m"}, {"name", "NVIDIA A100-SXM4-80GB"}}, {{60, 4.0}, {120, 4.0}}, 0}});
  auto tokens = answer({{{{"model", "m"}}, {{60, 10.0}, {120, 20.0}, {180, 5.0}}, 0},
                        {{{"model", "ghost"}}, {{60, 1.0}}, 0}});
  auto idle = answer({{{{"name", "NVIDIA A100-SXM4-80GB"}}, {{240, 61.0}}, 0}});
  auto history = assemble_history(range, {}, power, allocation, tokens, idle);
  ASSERT_TRUE(history) << history.error().message;
  ASSERT_EQ(history->models.size(), 1u);  // tokens of a model without GPUs are not a model
  const auto& m = history->models[0];
  EXPECT_EQ(m.gpu_type, "A100-SXM4-80GB");
  EXPECT_EQ(m.gpus, 4);
  ASSERT_EQ(m.points.size(), 5u);  // both ends kept, so the gaps at the edges count
  EXPECT_FALSE(m.points[0].power_w);
  EXPECT_FALSE(m.points[3].power_w);
  EXPECT_DOUBLE_EQ(*m.points[3].tokens_per_s, 5.0);
  EXPECT_EQ(m.notes.at(0), "1 NaN/Inf power values left out");
  EXPECT_EQ(history->series_received, 5u);
  EXPECT_EQ(history->points_received, 9u);
  EXPECT_EQ(history->idle_baselines_w.at(0).second, 61.0);

  auto empty = assemble_history(range, {}, answer({}), allocation, tokens, idle);
  ASSERT_FALSE(empty);
  EXPECT_NE(empty.error().message.find("--models"), std::string::npos);
}

}  // namespace
}  // namespace joulebench::fleet
