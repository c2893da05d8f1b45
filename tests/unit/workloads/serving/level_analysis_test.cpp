#include "workloads/serving/level_analysis.hpp"

#include <gtest/gtest.h>

namespace joulebench {
namespace {

constexpr TimeNs kS = 1'000'000'000;

RequestRecord streaming(TimeNs start, TimeNs end, std::vector<TimeNs> chunks, bool ok = true) {
  RequestRecord r;
  r.start_ns = start;
  r.end_ns = end;
  r.chunk_ns = std::move(chunks);
  r.output_tokens = static_cast<std::int64_t>(r.chunk_ns.size());
  if (!r.chunk_ns.empty()) r.first_token_ns = r.chunk_ns.front();
  if (!ok) {
    r.failure = FailureReason::kHttpStatus;
    r.http_status = 500;
    r.error = "HTTP 500: boom";
  }
  return r;
}

LevelWindow window_of(double energy_j) {
  LevelWindow window{10 * kS, 20 * kS, {}};
  window.measurement.duration_s = 10.0;
  window.measurement.energy_j = energy_j;
  return window;
}

// A stall: 2 tokens arrived in the window, but no request completed in it. 175 J/token from
// that was once the "most efficient" level.
TEST(LevelAnalysis, NoCompletedRequestMeansNoJoulesPerToken) {
  LoadRunResult load;
  load.requests.push_back(streaming(9 * kS, 40 * kS, {11 * kS, 12 * kS}));
  const auto level = analyze_level(LoadMode::concurrency, 2, load, window_of(351.3), {});
  EXPECT_EQ(level.requests_completed, 0u);
  EXPECT_DOUBLE_EQ(*level.energy.energy_j, 351.3);
  EXPECT_FALSE(level.energy.j_per_output_token);
  EXPECT_FALSE(level.energy.tokens_per_j);
  EXPECT_NE(level.energy.reason.find("No request completed inside the window."), std::string::npos);
}

TEST(LevelAnalysis, TotalTokensPerSecondIsNullWithAReasonWithoutPromptUsage) {
  LoadRunResult load;
  load.requests.push_back(streaming(11 * kS, 12 * kS, {11 * kS + 1}));  // no prompt_tokens
  const auto without = analyze_level(LoadMode::concurrency, 1, load, window_of(100), {});
  EXPECT_FALSE(without.total_tokens_per_s);
  EXPECT_NE(without.total_tokens_reason.find("usage.prompt_tokens"), std::string::npos);
  load.requests[0].prompt_tokens = 99;
  const auto with = analyze_level(LoadMode::concurrency, 1, load, window_of(100), {});
  EXPECT_DOUBLE_EQ(*with.total_tokens_per_s, 10.0);  // (99 + 1) tokens / 10 s
  EXPECT_TRUE(with.total_tokens_reason.empty());
}

TEST(LevelAnalysis, FirstDistinctErrorsAreKept) {
  LoadRunResult load;
  load.requests.push_back(streaming(11 * kS, 12 * kS, {11 * kS + 1}));
  for (int i = 0; i < 5; ++i) load.requests.push_back(streaming(12 * kS, 13 * kS, {}, false));
  auto other = streaming(13 * kS, 14 * kS, {}, false);
  other.error = "connect: refused";
  load.requests.push_back(other);
  const auto level = analyze_level(LoadMode::concurrency, 2, load, window_of(100), {});
  EXPECT_EQ(level.failed_requests, 6u);
  EXPECT_EQ(level.first_errors, (std::vector<std::string>{"HTTP 500: boom", "connect: refused"}));
  ASSERT_TRUE(level.energy.j_per_output_token);
}

}  // namespace
}  // namespace joulebench
