// The test LLM server itself: request parsing, generation plans, and the program's
// command-line contract (first line "listening on 127.0.0.1:PORT", clean exit on SIGTERM).
#include "test_llm_server.hpp"

#include <curl/curl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <string>

#include "fake_generation.hpp"
#include "http_request.hpp"

namespace joulebench::test_server {
namespace {

TEST(ParseHttpRequest, CompleteRequestWithBody) {
  const std::string raw =
      "POST /v1/completions?x=1 HTTP/1.1\r\nHost: h\r\ncontent-length: 4\r\n"
      "Authorization: Bearer k\r\n\r\nbodyNEXT";
  const ParsedRequest parsed = parse_http_request(raw);
  ASSERT_EQ(parsed.status, ParseStatus::kComplete);
  EXPECT_EQ(parsed.request.method, "POST");
  EXPECT_EQ(parsed.request.path, "/v1/completions");
  EXPECT_EQ(parsed.request.body, "body");
  EXPECT_EQ(parsed.request.authorization, "Bearer k");
  EXPECT_TRUE(parsed.request.keep_alive);
  EXPECT_EQ(parsed.consumed, raw.size() - 4);
}

TEST(ParseHttpRequest, IncompleteUntilHeadersAndBodyArrive) {
  EXPECT_EQ(parse_http_request("GET /health HTTP/1.1\r\n").status, ParseStatus::kIncomplete);
  EXPECT_EQ(parse_http_request("POST / HTTP/1.1\r\nContent-Length: 5\r\n\r\nab").status,
            ParseStatus::kIncomplete);
}

TEST(ParseHttpRequest, ConnectionClose) {
  EXPECT_FALSE(parse_http_request("GET / HTTP/1.0\r\n\r\n").request.keep_alive);
  EXPECT_FALSE(
      parse_http_request("GET / HTTP/1.1\r\nConnection: Close\r\n\r\n").request.keep_alive);
}

TEST(ParseHttpRequest, BadRequestsGiveTheirStatus) {
  EXPECT_EQ(parse_http_request("GARBAGE\r\n\r\n").error_status, 400);
  EXPECT_EQ(parse_http_request("GET / HTTP/2\r\n\r\n").error_status, 400);
  EXPECT_EQ(parse_http_request("GET / HTTP/1.1\r\nNoColon\r\n\r\n").error_status, 400);
  EXPECT_EQ(parse_http_request("POST / HTTP/1.1\r\nContent-Length: x\r\n\r\n").error_status, 400);
  EXPECT_EQ(
      parse_http_request("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n").error_status,
      411);
  EXPECT_EQ(
      parse_http_request("POST / HTTP/1.1\r\nContent-Length: 999999999999\r\n\r\n").error_status,
      413);
  EXPECT_EQ(parse_http_request(std::string(kMaxHeaderBytes + 1, 'a')).error_status, 431);
}

TEST(PlanGeneration, MaxTokensEosAndIgnoreEos) {
  GenerationSettings settings;
  settings.eos_after = 4;
  auto plan = plan_generation(R"({"prompt":"a b  c","max_tokens":10})", false, 1, settings);
  ASSERT_TRUE(plan);
  EXPECT_EQ(plan->tokens, 4u);
  EXPECT_EQ(plan->finish_reason, "stop");
  EXPECT_EQ(plan->prompt_tokens, 3u);
  EXPECT_EQ(plan->id, "cmpl-1");
  plan = plan_generation(R"({"prompt":"a","max_tokens":10,"ignore_eos":true})", false, 2, settings);
  EXPECT_EQ(plan->tokens, 10u);
  EXPECT_EQ(plan->finish_reason, "length");
  plan = plan_generation(R"({"prompt":"a","max_tokens":10,"min_tokens":7})", false, 3, settings);
  EXPECT_EQ(plan->tokens, 7u);
  plan = plan_generation(R"({"prompt":"a","max_tokens":3})", false, 4, settings);
  EXPECT_EQ(plan->tokens, 3u);
  EXPECT_EQ(plan->finish_reason, "length");
  plan = plan_generation(R"({"prompt":"a"})", false, 5, GenerationSettings{});
  EXPECT_EQ(plan->tokens, 16u);  // the default max_tokens
}

TEST(PlanGeneration, ChatCountsWordsOfAllMessagesAndParts) {
  auto plan =
      plan_generation(R"({"messages":[{"role":"system","content":"one two"},)"
                      R"({"role":"user","content":[{"type":"text","text":"three four five"}]}],)"
                      R"("stream":true,"stream_options":{"include_usage":true}})",
                      true, 9, GenerationSettings{});
  ASSERT_TRUE(plan);
  EXPECT_EQ(plan->prompt_tokens, 5u);
  EXPECT_TRUE(plan->stream);
  EXPECT_TRUE(plan->usage);
  EXPECT_EQ(plan->id, "chatcmpl-9");
}

TEST(PlanGeneration, BadBodiesAreErrorsNotCrashes) {
  for (const char* body : {"", "[]", R"({"prompt":1})", R"({"prompt":"a","max_tokens":0})",
                           R"({"prompt":"a","max_tokens":-1})", R"({"prompt":"a","stream":"yes"})",
                           R"({"prompt":"a","model":7})"}) {
    EXPECT_FALSE(plan_generation(body, false, 1, GenerationSettings{})) << body;
  }
  EXPECT_FALSE(plan_generation(R"({"messages":"hi"})", true, 1, GenerationSettings{}));
  EXPECT_FALSE(plan_generation(R"({"messages":[{"role":"user"}]})", true, 1, GenerationSettings{}));
}

TEST(FakeGeneration, EventsAreServerSentEvents) {
  GenerationPlan plan;
  plan.chat = false;
  plan.id = "cmpl-1";
  plan.model_json = "\"m\"";
  EXPECT_EQ(tokens_event(plan, 3, 2),
            "data: {\"id\":\"cmpl-1\",\"object\":\"text_completion\",\"created\":0,\"model\":\"m\","
            "\"choices\":[{\"index\":0,\"text\":\"tok3 tok4 \",\"logprobs\":null,"
            "\"finish_reason\":null}]}\n\n");
  EXPECT_EQ(done_event(), "data: [DONE]\n\n");
  EXPECT_EQ(parse_fail_mode("drop-mid-stream"), FailMode::kDropMidStream);
  EXPECT_EQ(parse_fail_mode("nope"), std::nullopt);
}

std::size_t append(char* data, std::size_t size, std::size_t count, void* out) {
  static_cast<std::string*>(out)->append(data, size * count);
  return size * count;
}

// GET url; returns the body, or "" with status 0 on failure.
std::string http_get(const std::string& url, long* status) {
  std::string body;
  CURL* curl = curl_easy_init();
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_NOPROXY, "*");
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &append);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &body);
  *status = 0;
  if (curl_easy_perform(curl) == CURLE_OK) curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, status);
  curl_easy_cleanup(curl);
  return body;
}

TEST(TestLlmServer, ServesHealthModelsMetricsAndNotFound) {
  TestLlmServerOptions options;
  options.generation.model = "fake";
  TestLlmServer server(options);
  auto port = server.start();
  ASSERT_TRUE(port);
  const std::string base = "http://127.0.0.1:" + std::to_string(*port);
  long status = 0;
  http_get(base + "/health", &status);
  EXPECT_EQ(status, 200);
  EXPECT_NE(http_get(base + "/v1/models", &status).find("\"id\":\"fake\""), std::string::npos);
  const std::string metrics = http_get(base + "/metrics", &status);
  EXPECT_NE(metrics.find("vllm:generation_tokens_total{model_name=\"fake\"} 0\n"),
            std::string::npos);
  EXPECT_NE(metrics.find("# TYPE vllm:generation_tokens_total counter\n"), std::string::npos);
  http_get(base + "/nope", &status);
  EXPECT_EQ(status, 404);
  http_get(base + "/v1/completions", &status);  // GET, not POST
  EXPECT_EQ(status, 405);
}

// Runs the program with --port 0, reads its first line, checks /health and stops it.
TEST(TestLlmServerProgram, PrintsItsPortAndExitsCleanlyOnSigterm) {
  const std::string program =
      std::string(JOULEBENCH_BINARY_DIR) + "/tests/joulebench-test-llm-server";
  int out[2];
  ASSERT_EQ(pipe(out), 0);
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    dup2(out[1], STDOUT_FILENO);
    close(out[0]);
    close(out[1]);
    execl(program.c_str(), program.c_str(), "--port", "0", "--token-delay-ms", "1",
          static_cast<char*>(nullptr));
    _exit(127);
  }
  close(out[1]);
  FILE* stream = fdopen(out[0], "r");
  char line[128] = {};
  ASSERT_NE(fgets(line, sizeof line, stream), nullptr);
  const std::string first(line);
  const std::string prefix = "listening on 127.0.0.1:";
  ASSERT_EQ(first.rfind(prefix, 0), 0u) << first;
  const int port = std::stoi(first.substr(prefix.size()));
  EXPECT_GT(port, 0);
  long status = 0;
  http_get("http://127.0.0.1:" + std::to_string(port) + "/health", &status);
  EXPECT_EQ(status, 200);
  kill(pid, SIGTERM);
  int wait_status = 0;
  ASSERT_EQ(waitpid(pid, &wait_status, 0), pid);
  EXPECT_TRUE(WIFEXITED(wait_status));
  EXPECT_EQ(WEXITSTATUS(wait_status), 0);
  fclose(stream);
}

TEST(TestLlmServerProgram, BadFlagsAreUsageErrors) {
  const std::string program =
      std::string(JOULEBENCH_BINARY_DIR) + "/tests/joulebench-test-llm-server";
  const std::string command = program + " --mode bogus 2>/dev/null";
  const int status = std::system(command.c_str());
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_NE(WEXITSTATUS(status), 0);
}

}  // namespace
}  // namespace joulebench::test_server
