#include "models/result_figures.hpp"

#include <gtest/gtest.h>

namespace joulebench::models {
namespace {

ResultDocument document(nlohmann::json json) {
  return ResultDocument{"r1", "file", "r1.json", std::move(json), ""};
}

const nlohmann::json kValid = {"validity", {{"verdict", "valid"}}};

ResultDocument bench_document() {
  return document({{"schema_version", 1},
                   {"kind", "bench-openai"},
                   {"levels",
                    {{{"concurrency", 1},
                      {"j_per_output_token", 2.0},
                      {"j_per_output_token_net", 1.0},
                      {"output_tokens_per_s", 50.0},
                      kValid},
                     {{"concurrency", 16},
                      {"j_per_output_token", 0.5},
                      {"j_per_output_token_net", 0.4},
                      {"output_tokens_per_s", 800.0},
                      kValid},
                     {{"concurrency", 32},
                      {"j_per_output_token", nullptr},
                      {"output_tokens_per_s", 790.0},
                      kValid}}}});
}

// An invalid level is never "the most efficient": it is priced only when asked for, with a
// warning; with an SLO only the levels that met it count.
TEST(ResultFigures, BenchSkipsInvalidLevelsAndLevelsOverTheSlo) {
  auto doc = bench_document();
  doc.document["levels"][1]["validity"]["verdict"] = "invalid";
  auto best = result_figures(doc, {});
  ASSERT_TRUE(best) << best.error().message;
  EXPECT_EQ(best->j_per_token, 2.0);
  auto named = result_figures(doc, {16.0, std::nullopt, false});
  ASSERT_TRUE(named);
  EXPECT_EQ(named->j_per_token, 0.5);
  ASSERT_EQ(named->warnings.size(), 1u);
  EXPECT_EQ(named->warnings[0], "concurrency 16 is not a valid measurement (see its checks)");

  auto slo = bench_document();
  slo.document["slo"] = {{"ttft_p90_ms", 500.0}, {"itl_p90_ms", nullptr}};
  slo.document["levels"][0]["slo_met"] = true;
  slo.document["levels"][1]["slo_met"] = false;
  auto within = result_figures(slo, {});
  ASSERT_TRUE(within);
  EXPECT_EQ(within->j_per_token, 2.0);
  EXPECT_NE(within->taken_from.find("most efficient within the SLO"), std::string::npos);
}

TEST(ResultFigures, BenchTakesTheMostEfficientLevelOrTheOneAskedFor) {
  auto best = result_figures(bench_document(), {});
  ASSERT_TRUE(best) << best.error().message;
  EXPECT_EQ(best->j_per_token, 0.5);
  EXPECT_EQ(*best->tokens_per_s, 800.0);
  EXPECT_NE(best->taken_from.find("most efficient"), std::string::npos);
  EXPECT_NE(best->taken_from.find("gross"), std::string::npos);

  auto first = result_figures(bench_document(), {1.0, std::nullopt, true});
  ASSERT_TRUE(first);
  EXPECT_EQ(first->j_per_token, 1.0);
  EXPECT_NE(first->taken_from.find("net"), std::string::npos);

  auto missing = result_figures(bench_document(), {32.0, std::nullopt, false});  // a null J/token
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find("--level"), std::string::npos);
}

TEST(ResultFigures, RunTakesTheMeansOfItsSummary) {
  auto run = document(
      {{"schema_version", 1},
       {"kind", "run"},
       {"summary",
        {{"j_per_output_token", {{"mean", 3.5}}}, {"output_tokens_per_s", {{"mean", 94.9}}}}}});
  auto figures = result_figures(run, {});
  ASSERT_TRUE(figures);
  EXPECT_EQ(figures->j_per_token, 3.5);
  EXPECT_EQ(*figures->tokens_per_s, 94.9);
  EXPECT_FALSE(result_figures(run, {std::nullopt, std::nullopt, true}));  // no net figure
}

TEST(ResultFigures, MonitorNeedsTokens) {
  auto monitor = document(
      {{"schema_version", 1}, {"kind", "monitor"}, {"energy_j", 1000.0}, {"duration_s", 10.0}});
  auto without = result_figures(monitor, {});
  ASSERT_FALSE(without);
  EXPECT_NE(without.error().message.find("--tokens"), std::string::npos);
  auto figures = result_figures(monitor, {std::nullopt, 500.0, false});
  ASSERT_TRUE(figures);
  EXPECT_EQ(figures->j_per_token, 2.0);
  EXPECT_EQ(*figures->tokens_per_s, 50.0);
  EXPECT_FALSE(result_figures(document({{"schema_version", 1}, {"kind", "devices"}}), {}));
}

}  // namespace
}  // namespace joulebench::models
