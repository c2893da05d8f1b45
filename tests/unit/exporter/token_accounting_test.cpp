#include "exporter/token_accounting.hpp"

#include <gtest/gtest.h>

#include "exporter/token_ledger.hpp"

namespace joulebench::exporter {
namespace {

TEST(MonotonicCounter, AddsDeltasAndCountsAResetFromTheNewValue) {
  // Table: readings of an engine's counter -> our total after each.
  const struct {
    std::vector<double> readings;
    double total;
    std::size_t resets;
  } cases[] = {
      {{100}, 100, 0},                       // first reading counts in full
      {{100, 150, 150, 400}, 400, 0},        // plain increases
      {{100, 150, 20}, 170, 1},              // restart: 150 before, 20 since
      {{100, 150, 20, 50, 0, 5}, 205, 2},    // two restarts
      {{100, -5, 120}, 120, 0},              // a negative reading is ignored
  };
  for (const auto& c : cases) {
    MonotonicCounter counter;
    for (const double raw : c.readings) counter.observe(raw);
    EXPECT_DOUBLE_EQ(counter.total(), c.total);
    EXPECT_EQ(counter.resets(), c.resets);
  }
}

TEST(TokensPerJouleWindow, RatioOverTheWindowOnly) {
  TokensPerJouleWindow window(10.0);
  EXPECT_FALSE(window.tokens_per_joule());
  window.add(0, 0, 0);
  EXPECT_FALSE(window.tokens_per_joule());  // one point: no span yet
  // 100 tokens/s and 400 W for 5 s, then 300 tokens/s at 600 W.
  for (int t = 1; t <= 5; ++t) window.add(t, 100.0 * t, 400.0 * t);
  EXPECT_DOUBLE_EQ(*window.tokens_per_joule(), 500.0 / 2000.0);
  for (int t = 6; t <= 30; ++t) window.add(t, 500 + 300.0 * (t - 5), 2000 + 600.0 * (t - 5));
  // Only the last 10 s count: 3000 tokens over 6000 J.
  EXPECT_DOUBLE_EQ(*window.tokens_per_joule(), 0.5);
  EXPECT_DOUBLE_EQ(window.span_s(), 10.0);
}

TEST(TokensPerJouleWindow, NoEnergyIsNull) {
  TokensPerJouleWindow window(60.0);
  window.add(0, 0, 50);
  window.add(1, 10, 50);
  EXPECT_FALSE(window.tokens_per_joule());
}

TEST(TokenMetrics, DefaultsInOrderAndSumsPerModel) {
  auto parsed = parse_prometheus_text(
      "sglang:generation_tokens_total{model_name=\"b\"} 7\n"
      "vllm:generation_tokens_total{model_name=\"a\",engine=\"0\"} 10\n"
      "vllm:generation_tokens_total{model_name=\"a\",engine=\"1\"} 5\n"
      "vllm:generation_tokens_total{model=\"c\"} 1\n"
      "vllm:generation_tokens_total 2\n"
      "vllm:generation_tokens_total{model_name=\"a\"} NaN\n",
      "t");
  ASSERT_TRUE(parsed);
  EXPECT_EQ(pick_token_metric(*parsed, default_token_metrics()), "vllm:generation_tokens_total");
  EXPECT_EQ(pick_token_metric(*parsed, {"tgi_request_generated_tokens_sum"}), std::nullopt);
  const auto per_model = tokens_per_model(*parsed, "vllm:generation_tokens_total");
  const std::map<std::string, double> expected = {{"a", 15}, {"c", 1}, {"unknown", 2}};
  EXPECT_EQ(per_model, expected);
}

TEST(TokenLedger, SumsSourcesPerModelAndKeepsTotalsWhileASourceIsDown) {
  TokenLedger ledger({"http://a/metrics", "http://b/metrics"}, 60.0);
  ledger.record(0, std::map<std::string, double>{{"m", 100}});
  ledger.record(1, std::map<std::string, double>{{"m", 50}});
  ledger.close_round(0.0, 1000.0);
  ledger.record(0, std::map<std::string, double>{{"m", 300}});
  ledger.record(1, std::nullopt);  // b is down
  ledger.close_round(1.0, 1400.0);
  const TokenFigures figures = ledger.figures();
  ASSERT_EQ(figures.models.size(), 1u);
  EXPECT_EQ(figures.models[0].model, "m");
  EXPECT_DOUBLE_EQ(figures.models[0].tokens_total, 350.0);
  EXPECT_DOUBLE_EQ(*figures.models[0].tokens_per_joule, 200.0 / 400.0);
  ASSERT_EQ(figures.sources.size(), 2u);
  EXPECT_TRUE(figures.sources[0].up);
  EXPECT_FALSE(figures.sources[1].up);
}

}  // namespace
}  // namespace joulebench::exporter
