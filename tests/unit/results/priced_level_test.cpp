// priced_level over decoded bench-openai results: valid levels only, within the SLO when one
// is given, the lowest J/token; a named level is taken with warnings.
#include "results/priced_level.hpp"

#include <gtest/gtest.h>

#include "results/result_decoder.hpp"

namespace joulebench::results {
namespace {

using nlohmann::json;

json level(double concurrency, double j_per_token, const char* verdict, bool slo_met) {
  return {{"concurrency", concurrency},
          {"j_per_output_token", j_per_token},
          {"j_per_output_token_net", j_per_token / 2},
          {"slo_met", slo_met},
          {"validity", {{"verdict", verdict}}}};
}

ResultView bench(json levels, json slo = nullptr) {
  auto view = decode_result({{"schema_version", 1},
                             {"kind", "bench-openai"},
                             {"levels", std::move(levels)},
                             {"slo", slo}});
  EXPECT_TRUE(view);
  return *view;
}

TEST(PricedLevel, LowestValidLevelWithinTheSlo) {
  const ResultView result = bench({level(1, 0.9, "valid", true), level(8, 0.3, "invalid", true),
                                   level(16, 0.5, "valid", false), level(4, 0.6, "valid", true)},
                                  {{"ttft_p90_ms", 100.0}});
  const PricedLevel choice = priced_level(result);
  ASSERT_TRUE(choice.level);
  EXPECT_EQ(choice.level->load, 4.0);
  EXPECT_TRUE(choice.slo_given);
  EXPECT_EQ(choice.valid_levels, 3u);
  EXPECT_EQ(choice.levels, 4u);
  EXPECT_EQ(priced_level(bench({level(1, 0.9, "valid", true), level(16, 0.5, "valid", false)}))
                .level->load,
            16.0);  // without an SLO, slo_met does not count
}

TEST(PricedLevel, NamedLevelWarnsAndNetBasis) {
  const ResultView result = bench({level(1, 0.9, "valid", true), level(8, 0.3, "invalid", false)},
                                  {{"itl_p90_ms", 50.0}});
  const PricedLevel named = priced_level(result, 8.0, EnergyBasis::net);
  ASSERT_TRUE(named.level);
  EXPECT_EQ(j_per_output_token(named.level->figures, EnergyBasis::net), 0.15);
  ASSERT_EQ(named.warnings.size(), 2u);
  EXPECT_EQ(named.warnings[0], "concurrency 8 is not a valid measurement (see its checks)");
  EXPECT_EQ(named.warnings[1], "concurrency 8 did not meet the result's SLO");
  EXPECT_EQ(priced_level(result, 2.0, EnergyBasis::net).why_none,
            "no level 2 with a j_per_output_token_net figure");
}

TEST(PricedLevel, WhyNone) {
  EXPECT_EQ(priced_level(bench(nullptr)).why_none, "the result has no levels");
  EXPECT_EQ(priced_level(bench({level(1, 0.9, "invalid", true)})).why_none,
            "none of its 1 level(s) is valid");
  EXPECT_EQ(priced_level(bench({level(1, 0.9, "valid", false)}, {{"ttft_p90_ms", 1.0}})).why_none,
            "none of its 1 valid level(s) met the SLO");
}

}  // namespace
}  // namespace joulebench::results
