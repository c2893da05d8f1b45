// Client cost of joulebench's OpenAI streaming load generator: streamed output tokens per
// CPU-second of this process, against a local server. The figure that tells whether the
// client could ever be the bottleneck of `bench openai` (compare bench/python/
// openai_aiohttp_client.py, the approach of vLLM's benchmark script, on the same server).
//
//   openai_client_throughput --url http://127.0.0.1:PORT --concurrency 64 --requests 2000
//
// Prints JSON: requests, succeeded, failed (by reason), output_tokens, wall_s, cpu_s (the
// whole process, from CLOCK_PROCESS_CPUTIME_ID), tokens_per_cpu_s, tokens_per_s,
// max_in_flight, and the inter-token gaps this client measured (p50, p99: against the
// server's fixed delay they show how much the client itself distorts latency).
#include <cstdio>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "core/statistics.hpp"
#include "process_cpu.hpp"
#include "workloads/openai/load_generator.hpp"

using joulebench::bench::process_cpu_s;

int main(int argc, char** argv) {
  CLI::App app{"Streamed tokens per CPU-second of joulebench's OpenAI client"};
  joulebench::LoadOptions options;
  std::size_t concurrency = 64;
  std::size_t requests = 1000;
  std::size_t prompt_tokens = 64;
  std::string api = "completions";
  app.add_option("--url", options.base_url, "server base URL")->required();
  app.add_option("--model", options.request.model, "model name")->default_val("joulebench-test-model");
  app.add_option("--api", api, "completions or chat")->default_str("completions");
  app.add_option("--concurrency", concurrency, "streams kept in flight")->default_val(64);
  app.add_option("--requests", requests, "requests in all")->default_val(1000);
  app.add_option("--output-tokens", options.request.max_tokens, "max_tokens per request")
      ->default_val(256);
  app.add_option("--prompt-tokens", prompt_tokens, "approximate prompt length")->default_val(64);
  CLI11_PARSE(app, argc, argv);

  auto api_kind = joulebench::parse_api_kind(api);
  if (!api_kind) {
    std::fprintf(stderr, "error: --api: '%s' is not completions or chat\n", api.c_str());
    return 2;
  }
  options.request.api = *api_kind;
  options.request.ignore_eos = true;
  options.arrivals = joulebench::ClosedLoop{.concurrency = concurrency};
  options.max_requests = requests;
  const auto prompts = joulebench::synthetic_prompts(64, prompt_tokens, 1);

  const double cpu0 = process_cpu_s();
  auto result = joulebench::run_load(options, prompts);
  const double cpu_s = process_cpu_s() - cpu0;
  if (!result) {
    std::fprintf(stderr, "error: %s\n", result.error().message.c_str());
    return 2;
  }
  double tokens = 0;
  std::vector<double> gaps_ms;  // inter-chunk gaps as this client saw them
  for (const auto& request : result->requests) {
    tokens += static_cast<double>(request.output_tokens);
    for (std::size_t i = 1; i < request.chunk_ns.size(); ++i) {
      gaps_ms.push_back(static_cast<double>(request.chunk_ns[i] - request.chunk_ns[i - 1]) * 1e-6);
    }
  }
  const auto gap_percentile = [&](double percent) -> nlohmann::json {
    auto value = joulebench::percentile(gaps_ms, percent);
    return value ? nlohmann::json(*value) : nlohmann::json(nullptr);
  };
  const double wall_s = joulebench::ns_to_s(result->end_ns - result->start_ns);
  nlohmann::ordered_json out = {
      {"client", "joulebench (libcurl multi, C++)"},
      {"concurrency", concurrency},
      {"requests", result->requests.size()},
      {"succeeded", result->succeeded},
      {"failed", result->failed},
      {"failures_by_reason", result->failures_by_reason},
      {"output_tokens", tokens},
      {"wall_s", wall_s},
      {"cpu_s", cpu_s},
      {"tokens_per_cpu_s", cpu_s > 0 ? tokens / cpu_s : 0.0},
      {"tokens_per_s", wall_s > 0 ? tokens / wall_s : 0.0},
      {"max_in_flight", result->max_in_flight},
      {"itl_ms_p50", gap_percentile(50)},
      {"itl_ms_p99", gap_percentile(99)},
  };
  std::printf("%s\n", out.dump(2).c_str());
  return result->failed == 0 ? 0 : 1;
}
