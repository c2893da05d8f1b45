// The load generator against the in-process test LLM server on a free loopback port.
// Token delays are small and no assertion depends on wall-clock time.
#include "workloads/openai/load_generator.hpp"

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmath>
#include <fstream>
#include <thread>

#include "test_llm_server.hpp"
#include "workloads/openai/poisson_arrivals.hpp"

namespace joulebench {
namespace {

using test_server::FailMode;
using test_server::TestLlmServer;
using test_server::TestLlmServerOptions;

class LoadGeneratorTest : public ::testing::Test {
 protected:
  // Starts the server and points `options_` at it.
  void serve(TestLlmServerOptions server_options = {}) {
    if (server_options.token_delay_ms == TestLlmServerOptions{}.token_delay_ms) {
      server_options.token_delay_ms = 1.0;
    }
    server_ = std::make_unique<TestLlmServer>(server_options);
    auto port = server_->start();
    ASSERT_TRUE(port) << port.error().what_line();
    options_.base_url = "http://127.0.0.1:" + std::to_string(*port);
  }

  LoadRunResult run(std::size_t prompts = 3) {
    auto result = run_load(options_, synthetic_prompts(prompts, 8, 1), &progress_);
    EXPECT_TRUE(result) << (result ? "" : result.error().what_line());
    return result ? std::move(*result) : LoadRunResult{};
  }

  static std::int64_t total_tokens(const LoadRunResult& result) {
    std::int64_t tokens = 0;
    for (const RequestRecord& r : result.requests) tokens += r.output_tokens;
    return tokens;
  }

  void SetUp() override {
    options_.request.model = "test";
    options_.request.max_tokens = 10;
    options_.max_requests = 12;
    options_.arrivals = ClosedLoop{3};
  }

  std::unique_ptr<TestLlmServer> server_;
  LoadOptions options_;
  LoadProgress progress_;
};

TEST_F(LoadGeneratorTest, CountsExactlyTheTokensTheServerSentByUsage) {
  serve();
  const LoadRunResult result = run();
  ASSERT_EQ(result.requests.size(), 12u);
  EXPECT_EQ(result.succeeded, 12u);
  EXPECT_EQ(result.failed, 0u);
  EXPECT_TRUE(result.failures_by_reason.empty());
  for (std::size_t i = 0; i < result.requests.size(); ++i) {
    const RequestRecord& r = result.requests[i];
    EXPECT_TRUE(r.ok()) << r.error;
    EXPECT_EQ(r.index, i);
    EXPECT_EQ(r.prompt_index, i % 3);
    EXPECT_EQ(r.http_status, 200);
    EXPECT_EQ(r.output_tokens, 10);
    EXPECT_EQ(r.token_count_source, TokenCountSource::kUsage);
    EXPECT_EQ(r.chunk_ns.size(), 10u);
    EXPECT_EQ(r.prompt_tokens, 6);  // 8 tokens -> 6 words; the server counts words
    ASSERT_TRUE(r.first_token_ns);
    EXPECT_LE(r.start_ns, *r.first_token_ns);
    EXPECT_LE(r.chunk_ns.back(), r.end_ns);
    EXPECT_GE(r.start_ns, result.start_ns);
    EXPECT_LE(r.end_ns, result.end_ns);
  }
  EXPECT_EQ(total_tokens(result), 120);
  EXPECT_EQ(static_cast<std::int64_t>(server_->stats().tokens_sent), 120);
  EXPECT_DOUBLE_EQ(output_tokens_between(result, result.start_ns, result.end_ns + 1), 120.0);
  EXPECT_EQ(progress_.issued.load(), 12u);
  EXPECT_EQ(progress_.succeeded.load(), 12u);
  EXPECT_EQ(progress_.failed.load(), 0u);
  EXPECT_EQ(progress_.in_flight.load(), 0u);
  EXPECT_EQ(progress_.output_tokens.load(), 120u);
  // Keep-alive: three slots need three connections, not one per request.
  EXPECT_EQ(server_->stats().connections, 3u);
}

TEST_F(LoadGeneratorTest, WithoutUsageTokensAreCountedFromChunks) {
  TestLlmServerOptions server;
  server.generation.send_usage = false;
  serve(server);
  options_.request.api = ApiKind::kCompletions;
  const LoadRunResult result = run();
  EXPECT_EQ(result.succeeded, 12u);
  for (const RequestRecord& r : result.requests) {
    EXPECT_EQ(r.token_count_source, TokenCountSource::kChunks);
    EXPECT_EQ(r.output_tokens, 10);
    EXPECT_FALSE(r.prompt_tokens);
  }
  EXPECT_EQ(static_cast<std::int64_t>(server_->stats().tokens_sent), total_tokens(result));
}

TEST_F(LoadGeneratorTest, SeveralTokensPerChunkUsageVersusChunks) {
  TestLlmServerOptions server;
  server.tokens_per_chunk = 4;  // 10 tokens arrive as chunks of 4, 4 and 2
  serve(server);
  LoadRunResult result = run();
  for (const RequestRecord& r : result.requests) {
    EXPECT_EQ(r.chunk_ns.size(), 3u);
    EXPECT_EQ(r.output_tokens, 10);
    EXPECT_EQ(r.token_count_source, TokenCountSource::kUsage);
    EXPECT_DOUBLE_EQ(r.tokens_per_chunk(), 10.0 / 3.0);
  }
  EXPECT_DOUBLE_EQ(output_tokens_between(result, result.start_ns, result.end_ns + 1), 120.0);
  EXPECT_EQ(progress_.output_tokens.load(), 120u);

  options_.request.include_usage = false;  // the server sends usage only when asked
  progress_.output_tokens = 0;
  result = run();
  for (const RequestRecord& r : result.requests) {
    EXPECT_EQ(r.output_tokens, 3);
    EXPECT_EQ(r.token_count_source, TokenCountSource::kChunks);
  }
  EXPECT_EQ(progress_.output_tokens.load(), 36u);
}

TEST_F(LoadGeneratorTest, ClosedLoopKeepsExactlyCInFlight) {
  TestLlmServerOptions server;
  server.token_delay_ms = 5.0;
  serve(server);
  options_.request.max_tokens = 30;  // >= 150 ms per request: all C overlap
  options_.arrivals = ClosedLoop{5};
  options_.max_requests = 15;
  const LoadRunResult result = run();
  EXPECT_EQ(result.succeeded, 15u);
  EXPECT_EQ(result.max_in_flight, 5u);
  EXPECT_EQ(server_->stats().max_in_flight, 5u);
  EXPECT_EQ(server_->stats().requests, 15u);
}

TEST_F(LoadGeneratorTest, BatchLimitQueuesTheRestAndTheLoadFileFollows) {
  char dir[] = "/tmp/jb_load_XXXXXX";
  ASSERT_NE(mkdtemp(dir), nullptr);
  const std::string load_file = std::string(dir) + "/load";
  TestLlmServerOptions server;
  server.token_delay_ms = 5.0;
  server.batch_limit = 2;
  server.load_file = load_file;
  serve(server);
  options_.request.max_tokens = 20;
  options_.arrivals = ClosedLoop{4};
  options_.max_requests = 8;
  std::atomic<bool> done{false};
  std::atomic<int> max_load{0};
  std::thread watcher([&] {
    while (!done) {
      int load = 0;
      if (std::ifstream(load_file) >> load) max_load = std::max(max_load.load(), load);
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  });
  const LoadRunResult result = run();
  done = true;
  watcher.join();
  EXPECT_EQ(result.succeeded, 8u);
  EXPECT_EQ(server_->stats().max_running, 2u);
  EXPECT_EQ(server_->stats().max_in_flight, 4u);
  EXPECT_LE(max_load.load(), 2);
  server_->stop();
  server_.reset();  // joins: the last load is written
  int final_load = -1;
  std::ifstream(load_file) >> final_load;
  EXPECT_EQ(final_load, 0);
  unlink(load_file.c_str());
  rmdir(dir);
}

struct FailureCase {
  FailMode mode;
  std::string label;
  std::int64_t tokens_of_failed;  // what the client receives before the failure
};

class FailureTest : public LoadGeneratorTest, public ::testing::WithParamInterface<FailureCase> {};

TEST_P(FailureTest, EveryOtherRequestFailsAndTheRunGoesOn) {
  TestLlmServerOptions server;
  server.fail_every = 2;
  server.fail_mode = GetParam().mode;
  serve(server);
  options_.arrivals = ClosedLoop{2};
  options_.max_requests = 10;
  const LoadRunResult result = run();
  ASSERT_EQ(result.requests.size(), 10u);
  EXPECT_EQ(result.succeeded, 5u);
  EXPECT_EQ(result.failed, 5u);
  EXPECT_EQ(result.failures_by_reason, (std::map<std::string, std::size_t>{{GetParam().label, 5}}));
  EXPECT_EQ(progress_.failed.load(), 5u);
  for (const RequestRecord& r : result.requests) {
    if (r.ok()) {
      EXPECT_EQ(r.output_tokens, 10);
      continue;
    }
    EXPECT_EQ(failure_label(r), GetParam().label);
    EXPECT_FALSE(r.error.empty());
    EXPECT_EQ(r.output_tokens, GetParam().tokens_of_failed) << r.error;
  }
}

INSTANTIATE_TEST_SUITE_P(
    Modes, FailureTest,
    ::testing::Values(FailureCase{FailMode::kHttp429, "http_429", 0},
                      FailureCase{FailMode::kHttp500, "http_500", 0},
                      FailureCase{FailMode::kMalformedSse, "malformed_json", 5},
                      FailureCase{FailMode::kDropMidStream, "stream_cut", 5},
                      FailureCase{FailMode::kErrorInStream, "server_error", 5}),
    [](const auto& test) { return test.param.label; });

TEST_F(LoadGeneratorTest, HttpErrorsKeepTheServersMessage) {
  TestLlmServerOptions server;
  server.mode = FailMode::kHttp429;
  serve(server);
  options_.max_requests = 1;
  const LoadRunResult result = run();
  ASSERT_EQ(result.requests.size(), 1u);
  EXPECT_EQ(result.requests[0].http_status, 429);
  EXPECT_EQ(result.requests[0].error, "HTTP 429: rate limited (simulated)");
}

TEST_F(LoadGeneratorTest, BearerKeyIsSent) {
  TestLlmServerOptions server;
  server.api_key = "secret";
  serve(server);
  options_.max_requests = 2;
  options_.api_key = "wrong";
  EXPECT_EQ(run().failures_by_reason, (std::map<std::string, std::size_t>{{"http_401", 2}}));
  options_.api_key = "secret";
  EXPECT_EQ(run().succeeded, 2u);
}

TEST_F(LoadGeneratorTest, ConnectionRefusedIsCountedAsConnect) {
  // A port that was free a moment ago: bind to 0, read the port, close.
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  socklen_t length = sizeof address;
  getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  close(fd);
  options_.base_url = "http://127.0.0.1:" + std::to_string(ntohs(address.sin_port));
  options_.max_requests = 3;
  options_.arrivals = ClosedLoop{1};
  const LoadRunResult result = run();
  EXPECT_EQ(result.failures_by_reason, (std::map<std::string, std::size_t>{{"connect", 3}}));
  EXPECT_EQ(result.requests.at(0).http_status, 0);
}

TEST_F(LoadGeneratorTest, StalledStreamsTimeOut) {
  TestLlmServerOptions server;
  server.mode = FailMode::kStall;
  serve(server);
  options_.request.max_tokens = 4;  // 2 tokens, then silence
  options_.request_timeout = std::chrono::milliseconds(300);
  options_.max_requests = 2;
  options_.arrivals = ClosedLoop{2};
  const LoadRunResult result = run();
  EXPECT_EQ(result.failures_by_reason, (std::map<std::string, std::size_t>{{"timeout", 2}}));
  for (const RequestRecord& r : result.requests) EXPECT_EQ(r.output_tokens, 2);
}

TEST_F(LoadGeneratorTest, StopFlagEndsTheRunAndAbandonsRequests) {
  TestLlmServerOptions server;
  server.token_delay_ms = 10.0;
  serve(server);
  options_.request.max_tokens = 100000;  // would take 1000 s
  options_.max_requests.reset();
  options_.duration = std::chrono::hours(1);
  std::atomic<bool> stop{false};
  options_.stop = &stop;
  std::thread stopper([&] {
    while (progress_.output_tokens.load() < 6) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    stop = true;
  });
  const LoadRunResult result = run();
  stopper.join();
  EXPECT_TRUE(result.stopped);
  EXPECT_EQ(result.requests.size(), 3u);
  EXPECT_EQ(result.failures_by_reason, (std::map<std::string, std::size_t>{{"stopped", 3}}));
  EXPECT_GE(total_tokens(result), 6);
  for (const RequestRecord& r : result.requests) EXPECT_LT(r.output_tokens, 100000);
}

TEST_F(LoadGeneratorTest, DurationEndsIssuingAndWaitsForInFlight) {
  serve();
  options_.max_requests.reset();
  options_.duration = std::chrono::milliseconds(200);
  options_.request.max_tokens = 5;
  const LoadRunResult result = run();
  ASSERT_FALSE(result.requests.empty());
  EXPECT_EQ(result.failed, 0u);
  for (const RequestRecord& r : result.requests) {
    EXPECT_LT(r.start_ns, result.start_ns + 200'000'000);
  }
}

TEST_F(LoadGeneratorTest, AbandonAtEndCutsRequestsInFlight) {
  TestLlmServerOptions server;
  server.token_delay_ms = 10.0;
  serve(server);
  options_.max_requests.reset();
  options_.duration = std::chrono::milliseconds(100);
  options_.request.max_tokens = 100000;
  options_.at_end = AtEnd::kAbandonInFlight;
  const LoadRunResult result = run();
  EXPECT_FALSE(result.stopped);
  EXPECT_EQ(result.failures_by_reason, (std::map<std::string, std::size_t>{{"stopped", 3}}));
}

TEST_F(LoadGeneratorTest, PoissonArrivalsFollowTheSeededSchedule) {
  serve();
  options_.request.max_tokens = 2;
  options_.max_requests.reset();
  options_.duration = std::chrono::milliseconds(500);
  options_.arrivals = OpenLoop{200.0, 99, 64};
  const LoadRunResult result = run();
  // The arrivals before the deadline are a pure function of the seed.
  PoissonArrivals arrivals(200.0, 99);
  std::size_t expected = 0;
  for (TimeNs t = arrivals.next_gap_ns(); t < 500'000'000; t += arrivals.next_gap_ns()) ++expected;
  // Mean 100 and standard deviation 10: the seed must not give an extreme schedule.
  EXPECT_GT(expected, 50u);
  EXPECT_LT(expected, 150u);
  ASSERT_EQ(result.requests.size(), expected);
  EXPECT_EQ(result.succeeded, expected);
  for (std::size_t i = 0; i < result.requests.size(); ++i) {
    const RequestRecord& r = result.requests[i];
    EXPECT_GE(r.start_ns, r.scheduled_ns);
    if (i > 0) {
      EXPECT_GE(r.scheduled_ns, result.requests[i - 1].scheduled_ns);
    }
  }
}

TEST_F(LoadGeneratorTest, OpenLoopCapHoldsArrivalsBack) {
  TestLlmServerOptions server;
  server.token_delay_ms = 2.0;
  serve(server);
  options_.arrivals = OpenLoop{100000.0, 1, 3};
  options_.max_requests = 12;
  options_.request.max_tokens = 5;
  const LoadRunResult result = run();
  EXPECT_EQ(result.succeeded, 12u);
  EXPECT_EQ(result.max_in_flight, 3u);
  EXPECT_LE(server_->stats().max_in_flight, 3u);
}

TEST_F(LoadGeneratorTest, HoldsAThousandConcurrentStreams) {
  TestLlmServerOptions server;
  server.token_delay_ms = 50.0;
  serve(server);
  options_.arrivals = ClosedLoop{1000};
  options_.max_requests = 1000;
  options_.request.max_tokens = 10;  // >= 0.5 s per stream: all 1,000 overlap
  const LoadRunResult result = run(50);
  EXPECT_EQ(result.succeeded, 1000u)
      << (result.failures_by_reason.empty() ? "" : result.failures_by_reason.begin()->first);
  EXPECT_EQ(result.max_in_flight, 1000u);
  EXPECT_EQ(server_->stats().max_running, 1000u);
  EXPECT_EQ(total_tokens(result), 10000);
  EXPECT_EQ(server_->stats().tokens_sent, 10000u);
}

TEST(RunLoad, InvalidOptionsAreErrorsNamingTheOption) {
  const std::vector<Prompt> prompts = synthetic_prompts(1, 4, 1);
  LoadOptions good;
  good.base_url = "http://127.0.0.1:1";
  good.max_requests = 1;
  struct Case {
    std::function<void(LoadOptions&)> change;
    std::string expected;
  };
  const Case cases[] = {
      {[](LoadOptions& o) { o.base_url.clear(); }, "base_url is empty"},
      {[](LoadOptions& o) { o.max_requests.reset(); },
       "the run needs an end: set a duration or max_requests"},
      {[](LoadOptions& o) { o.max_requests = 0; }, "max_requests must be at least 1"},
      {[](LoadOptions& o) { o.duration = std::chrono::seconds(0); }, "duration must be positive"},
      {[](LoadOptions& o) { o.arrivals = ClosedLoop{0}; }, "concurrency must be at least 1"},
      {[](LoadOptions& o) { o.arrivals = OpenLoop{0.0}; },
       "rate_per_s must be a positive number of requests per second"},
      {[](LoadOptions& o) { o.arrivals = OpenLoop{std::nan("")}; },
       "rate_per_s must be a positive number of requests per second"},
      {[](LoadOptions& o) {
         o.arrivals = OpenLoop{1.0, 1, 0};
       },
       "max_in_flight must be at least 1"},
      {[](LoadOptions& o) { o.request.max_tokens = 0; }, "max_tokens must be at least 1"},
  };
  for (const Case& c : cases) {
    LoadOptions options = good;
    c.change(options);
    auto result = run_load(options, prompts);
    ASSERT_FALSE(result) << c.expected;
    EXPECT_EQ(result.error().message, c.expected);
  }
  auto no_prompts = run_load(good, {});
  ASSERT_FALSE(no_prompts);
  EXPECT_EQ(no_prompts.error().message, "no prompts to send");
}

}  // namespace
}  // namespace joulebench
