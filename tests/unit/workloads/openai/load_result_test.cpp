#include "workloads/openai/load_result.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace joulebench {
namespace {

RequestRecord with_chunks(std::vector<TimeNs> chunks, TokenCountSource source,
                          std::int64_t tokens) {
  RequestRecord r;
  r.chunk_ns = std::move(chunks);
  r.token_count_source = source;
  r.output_tokens = tokens;
  if (!r.chunk_ns.empty()) r.first_token_ns = r.chunk_ns.front();
  return r;
}

TEST(RequestRecord, TokensPerChunk) {
  EXPECT_DOUBLE_EQ(with_chunks({1, 2, 3, 4}, TokenCountSource::kUsage, 12).tokens_per_chunk(), 3.0);
  EXPECT_DOUBLE_EQ(with_chunks({1, 2, 3}, TokenCountSource::kUsage, 10).tokens_per_chunk(),
                   10.0 / 3.0);
  EXPECT_DOUBLE_EQ(with_chunks({1, 2, 3}, TokenCountSource::kChunks, 3).tokens_per_chunk(), 1.0);
  // Usage below the chunk count (e.g. chunks of reasoning text) never shrinks a chunk.
  EXPECT_DOUBLE_EQ(with_chunks({1, 2, 3}, TokenCountSource::kUsage, 2).tokens_per_chunk(), 1.0);
  EXPECT_DOUBLE_EQ(with_chunks({}, TokenCountSource::kUsage, 5).tokens_per_chunk(), 1.0);
}

TEST(FailureLabel, NamesHttpStatusesAndReasons) {
  RequestRecord r;
  EXPECT_EQ(failure_label(r), "");
  r.failure = FailureReason::kHttpStatus;
  r.http_status = 429;
  EXPECT_EQ(failure_label(r), "http_429");
  r.failure = FailureReason::kStreamCut;
  EXPECT_EQ(failure_label(r), "stream_cut");
  EXPECT_EQ(failure_reason_name(FailureReason::kMalformedJson), "malformed_json");
  EXPECT_EQ(failure_reason_name(FailureReason::kStopped), "stopped");
  EXPECT_EQ(token_count_source_name(TokenCountSource::kUsage), "usage");
  EXPECT_EQ(token_count_source_name(TokenCountSource::kChunks), "chunks");
}

LoadRunResult two_requests() {
  LoadRunResult result;
  // 8 tokens by usage over 4 chunks: 2 tokens per chunk.
  RequestRecord a = with_chunks({10, 20, 30, 40}, TokenCountSource::kUsage, 8);
  a.start_ns = 4;
  a.end_ns = 50;
  RequestRecord b = with_chunks({15, 25}, TokenCountSource::kChunks, 2);
  b.start_ns = 5;
  b.end_ns = 30;
  b.failure = FailureReason::kStreamCut;
  result.requests = {a, b};
  return result;
}

TEST(OutputTokensBetween, CountsChunksInAHalfOpenWindow) {
  const LoadRunResult result = two_requests();
  EXPECT_DOUBLE_EQ(output_tokens_between(result, 0, 100), 10.0);
  EXPECT_DOUBLE_EQ(output_tokens_between(result, 15, 30), 2.0 + 2.0);  // a@20, b@15 and b@25
  EXPECT_DOUBLE_EQ(output_tokens_between(result, 10, 20), 2.0 + 1.0);  // a@10, b@15
  EXPECT_DOUBLE_EQ(output_tokens_between(result, 41, 100), 0.0);
  // Adjacent windows partition the run.
  EXPECT_DOUBLE_EQ(output_tokens_between(result, 0, 25) + output_tokens_between(result, 25, 100),
                   10.0);
}

TEST(Latencies, OnlySuccessfulRequestsInSeconds) {
  const LoadRunResult result = two_requests();
  EXPECT_THAT(ttft_s(result), ::testing::ElementsAre(::testing::DoubleEq(6e-9)));
  EXPECT_THAT(e2e_latency_s(result), ::testing::ElementsAre(::testing::DoubleEq(46e-9)));
  // Gaps of 10 ns between chunks of 2 tokens: 5 ns per token.
  const std::vector<double> itl = inter_token_latency_s(result);
  ASSERT_EQ(itl.size(), 3u);
  for (double gap : itl) EXPECT_DOUBLE_EQ(gap, 5e-9);
}

TEST(Latencies, NoFirstTokenMeansNoTtft) {
  LoadRunResult result;
  RequestRecord r;
  r.start_ns = 1;
  r.end_ns = 2;
  result.requests = {r};
  EXPECT_TRUE(ttft_s(result).empty());
  EXPECT_EQ(e2e_latency_s(result).size(), 1u);
  EXPECT_TRUE(inter_token_latency_s(result).empty());
}

}  // namespace
}  // namespace joulebench
