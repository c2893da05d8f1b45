// The writers over the issue's fleet (tests/data/fleet/seed.csv with models.yaml), against
// tests/golden/fleet/. Regenerate with JOULEBENCH_UPDATE_GOLDEN=1 and review the diff by hand.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "fleet/fleet_writers.hpp"
#include "platform/files.hpp"

namespace joulebench::fleet {
namespace {

std::string source(const std::string& relative) { return std::string(JOULEBENCH_SOURCE_DIR) + "/" + relative; }

void expect_golden(const std::string& name, const std::string& actual) {
  const std::string path = source("tests/golden/fleet/" + name);
  if (std::getenv("JOULEBENCH_UPDATE_GOLDEN") != nullptr) std::ofstream(path) << actual;
  auto expected = platform::read_file(path);
  ASSERT_TRUE(expected) << expected.error().what_line();
  EXPECT_EQ(actual, *expected) << name;
}

FleetReport seed_report() {
  auto text = platform::read_file(source("tests/data/fleet/seed.csv"));
  EXPECT_TRUE(text);
  // A path relative to the source tree, so the golden files do not depend on the checkout.
  auto history = parse_history_csv(*text, "tests/data/fleet/seed.csv");
  EXPECT_TRUE(history) << history.error().what_line();
  auto models_text = platform::read_file(source("tests/data/fleet/models.yaml"));
  auto entries = parse_models_file(*models_text, "models.yaml");
  EXPECT_TRUE(entries);
  FleetOptions options;
  options.catalog = *models::load_gpu_catalog("");
  options.models_file = *entries;
  options.idle_watts = {{"A6000", 25.0}};
  options.g_co2_per_kwh = 369.0;
  options.intensity_source = "--grid-gco2-kwh";
  return analyze_fleet(*history, options);
}

// The issue's table, figure by figure, before any formatting.
TEST(FleetSeed, FiguresAreTheIssues) {
  const auto report = seed_report();
  ASSERT_EQ(report.models.size(), 5u);
  const char* order[] = {"gpt-oss-120b", "gemma-4-31B", "Qwen3.5-397B", "Kimi-K2.5", "MiniMax-M2.5"};
  for (std::size_t i = 0; i < 5; ++i) EXPECT_EQ(report.models[i].model, order[i]);
  const auto& gpt = report.models[0];
  EXPECT_DOUBLE_EQ(*gpt.mean_power_w, 597.0);
  EXPECT_DOUBLE_EQ(*gpt.tokens_per_s, 2341.0);
  EXPECT_NEAR(*gpt.j_per_token, 0.26, 0.005);
  EXPECT_NEAR(*report.models[1].j_per_token, 1.60, 0.005);
  EXPECT_NEAR(*report.models[2].j_per_token, 43.5, 0.05);
  EXPECT_EQ(report.models[2].gpus, 8);
  EXPECT_TRUE(report.models[2].right_sizing.flagged);
  EXPECT_FALSE(report.models[0].right_sizing.flagged);
  EXPECT_FALSE(report.models[1].right_sizing.flagged);
  for (std::size_t i : {3u, 4u}) {
    EXPECT_TRUE(report.models[i].idle) << report.models[i].model;
    EXPECT_TRUE(report.models[i].consolidation.candidate) << report.models[i].model;
  }
  for (std::size_t i : {0u, 1u, 2u}) EXPECT_FALSE(report.models[i].consolidation.candidate);
}

TEST(FleetSeed, Table) { expect_golden("seed-table.txt", fleet_table(seed_report())); }
TEST(FleetSeed, Markdown) { expect_golden("seed.md", fleet_markdown(seed_report())); }
TEST(FleetSeed, Html) { expect_golden("seed.html", fleet_html(seed_report())); }
TEST(FleetSeed, Json) { expect_golden("seed.json", fleet_json(seed_report())); }

}  // namespace
}  // namespace joulebench::fleet
