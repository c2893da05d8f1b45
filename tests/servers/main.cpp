// joulebench-test-llm-server: a fake OpenAI-compatible LLM server (see test_llm_server.hpp).
// With --port 0 the first line on stdout is "listening on 127.0.0.1:PORT".
#include <sys/resource.h>

#include <CLI/CLI.hpp>
#include <csignal>
#include <cstdio>
#include <map>
#include <string>

#include "test_llm_server.hpp"

namespace {

using joulebench::test_server::FailMode;
using joulebench::test_server::TestLlmServer;
using joulebench::test_server::TestLlmServerOptions;

TestLlmServer* g_server = nullptr;

void on_signal(int) {
  if (g_server != nullptr) g_server->stop();
}

const std::map<std::string, FailMode> kModes = {
    {"normal", FailMode::kNormal},
    {"malformed-sse", FailMode::kMalformedSse},
    {"drop-mid-stream", FailMode::kDropMidStream},
    {"http-429", FailMode::kHttp429},
    {"http-500", FailMode::kHttp500},
    {"error-in-stream", FailMode::kErrorInStream},
    {"stall", FailMode::kStall},
};

void add_options(CLI::App& app, TestLlmServerOptions& options, bool& no_usage) {
  app.add_option("--port", options.port, "TCP port on 127.0.0.1; 0 picks a free one")
      ->capture_default_str();
  app.add_option("--token-delay-ms", options.token_delay_ms,
                 "time of one decode step (one chunk per running stream); 0: no delay")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  app.add_option("--batch-limit", options.batch_limit,
                 "most streams decoding at once, others wait; 0: no limit")
      ->capture_default_str();
  app.add_option("--tokens-per-chunk", options.tokens_per_chunk, "tokens in each chunk")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  app.add_option("--load-file", options.load_file,
                 "file that always holds the number of decoding streams");
  app.add_flag("--no-usage", no_usage, "never send usage, even when asked");
  app.add_flag("--strict-model", options.strict_model,
               "answer requests for another model than --model with HTTP 404, as vLLM does");
  app.add_option("--mode", options.mode, "how every request behaves")
      ->transform(CLI::CheckedTransformer(kModes))
      ->default_str("normal");
  app.add_option("--fail-every", options.fail_every,
                 "every Nth request behaves as --fail-mode; 0: none")
      ->capture_default_str();
  app.add_option("--fail-mode", options.fail_mode, "behaviour of every --fail-every'th request")
      ->transform(CLI::CheckedTransformer(kModes))
      ->default_str("http-500");
  app.add_option("--eos-after", options.generation.eos_after,
                 "tokens before the model stops on its own (unless ignore_eos); 0: never")
      ->capture_default_str();
  app.add_option("--default-max-tokens", options.generation.default_max_tokens,
                 "max_tokens when a request has none")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  app.add_option("--api-key", options.api_key,
                 "require \"Authorization: Bearer KEY\" on generation requests");
  app.add_option("--model", options.generation.model, "model name to report")
      ->capture_default_str();
}

// One descriptor per connection: 1,000 streams need more than the common soft limit of 1024.
void raise_open_file_limit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
  }
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Fake OpenAI-compatible LLM server for joulebench tests",
               "joulebench-test-llm-server"};
  TestLlmServerOptions options;
  bool no_usage = false;
  add_options(app, options, no_usage);
  CLI11_PARSE(app, argc, argv);
  options.generation.send_usage = !no_usage;
  raise_open_file_limit();

  TestLlmServer server(options);
  auto port = server.bind();
  if (!port) {
    std::fprintf(stderr, "error: %s\n", port.error().what_line().c_str());
    return 1;
  }
  std::printf("listening on 127.0.0.1:%u\n", static_cast<unsigned>(*port));
  std::fflush(stdout);
  g_server = &server;
  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);
  std::signal(SIGPIPE, SIG_IGN);
  server.run();
  g_server = nullptr;
  return 0;
}
