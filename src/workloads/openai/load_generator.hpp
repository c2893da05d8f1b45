// Load generator for OpenAI-compatible streaming endpoints. One thread drives every request
// through libcurl's multi interface (curl_multi_poll; no thread per request), reusing HTTP
// keep-alive connections, and records each request's chunk timestamps.
//
//   LoadOptions options;
//   options.base_url = "http://127.0.0.1:8000";
//   options.request.model = "meta-llama/Llama-3.1-8B-Instruct";
//   options.arrivals = ClosedLoop{.concurrency = 64};
//   options.duration = std::chrono::seconds(60);
//   auto result = run_load(options, synthetic_prompts(256, 512, 1));
//
// Closed loop keeps exactly `concurrency` requests in flight; open loop issues requests at
// Poisson arrival times of `rate_per_s`, however many are in flight (up to max_in_flight;
// arrivals beyond that wait and keep their scheduled time).
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "joulebench/error.hpp"
#include "joulebench/units.hpp"
#include "workloads/openai/load_result.hpp"
#include "workloads/openai/openai_request.hpp"
#include "workloads/openai/prompts.hpp"

namespace joulebench {

struct ClosedLoop {
  std::size_t concurrency = 1;  // requests kept in flight, >= 1
};

struct OpenLoop {
  double rate_per_s = 1.0;  // mean arrivals per second, > 0
  std::uint64_t seed = 1;   // the same seed gives the same arrival times
  std::size_t max_in_flight =
      1024;  // a safety cap on open connections, >= 1 (and <= the open-file allowance)
};

enum class AtEnd {
  kWaitForInFlight,  // after the duration or request count, let running requests finish
  kAbandonInFlight,  // cut them (recorded as FailureReason::kStopped)
};

struct LoadOptions {
  std::string base_url;  // "http://host:port", with or without "/v1"
  RequestOptions request;
  std::string api_key;  // sent as "Authorization: Bearer KEY" when not empty
  std::variant<ClosedLoop, OpenLoop> arrivals = ClosedLoop{};
  // Issuing stops at whichever limit comes first; at least one is required.
  std::optional<std::chrono::nanoseconds> duration;
  std::optional<std::size_t> max_requests;
  AtEnd at_end = AtEnd::kWaitForInFlight;
  std::chrono::milliseconds connect_timeout{10000};
  std::chrono::milliseconds request_timeout{0};  // whole request; 0: none
  // Set from any thread (e.g. on Ctrl-C) to end the run within ~20 ms; requests in flight
  // are abandoned and everything recorded so far is returned.
  const std::atomic<bool>* stop = nullptr;
  // Time source of all recorded times; null: steady_clock (the monitor's clock).
  std::function<TimeNs()> clock;
};

// Counters updated while a run goes on, readable from any thread (e.g. a progress line).
struct LoadProgress {
  std::atomic<std::uint64_t> issued{0};
  std::atomic<std::uint64_t> succeeded{0};
  std::atomic<std::uint64_t> failed{0};
  std::atomic<std::uint64_t> in_flight{0};
  // Text chunks received, corrected to usage.completion_tokens when a request ends.
  std::atomic<std::uint64_t> output_tokens{0};
};

// Runs the load until a limit, the stop flag or (with AtEnd::kWaitForInFlight) the last
// response. Invalid options (no prompt, no limit, zero concurrency, bad rate, empty URL) are
// an Error naming the option; request failures are recorded, never returned as an Error.
// Raises the soft limit on open files to the hard limit; a closed-loop concurrency beyond
// what it allows is an Error, an open loop's max_in_flight is capped at it
// (connection_limit.hpp).
Expected<LoadRunResult> run_load(const LoadOptions& options, const std::vector<Prompt>& prompts,
                                 LoadProgress* progress = nullptr);

// The default clock: steady_clock's time since its epoch, in nanoseconds.
TimeNs steady_now_ns();

}  // namespace joulebench
