// What a load run recorded, per request, and the helpers that turn it into token counts and
// latency lists. Times are TimeNs on the run's clock (steady_clock unless injected: the same
// clock as the energy monitor, so windows line up). Thread-safety: plain values and pure
// functions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "joulebench/units.hpp"

namespace joulebench {

enum class FailureReason {
  kNone,
  kConnect,        // no connection (refused, unresolvable, connect timeout)
  kHttpStatus,     // a non-2xx answer, e.g. 429 or 500 (see http_status)
  kMalformedSse,   // not an event stream, or an SSE line over the size bound
  kMalformedJson,  // an event's data is not a JSON object
  kServerError,    // the stream carried an error object
  kStreamCut,      // the stream ended or broke before "data: [DONE]"
  kTimeout,        // the request timeout expired
  kTransport,      // any other transport failure (curl's message in `error`)
  kStopped,        // abandoned by the stop flag or at the end of the run
};

// Stable snake_case names: "connect", "http_status", "malformed_sse", ...
std::string_view failure_reason_name(FailureReason reason);

enum class TokenCountSource {
  kUsage,   // usage.completion_tokens of the final chunk (the server's tokenizer)
  kChunks,  // number of chunks carrying text (the server sent no usage)
};

std::string_view token_count_source_name(TokenCountSource source);  // "usage" / "chunks"

struct RequestRecord {
  std::size_t index = 0;                 // order of issue, from 0
  std::size_t prompt_index = 0;          // which prompt was sent
  TimeNs scheduled_ns = 0;               // open loop: the Poisson arrival; closed loop: start_ns
  TimeNs start_ns = 0;                   // handed to the HTTP engine
  std::optional<TimeNs> first_token_ns;  // first chunk with text; none if no text came
  TimeNs end_ns = 0;                     // finished, failed or abandoned
  std::vector<TimeNs> chunk_ns;          // arrival of every chunk that carried text
  std::int64_t output_tokens = 0;        // by token_count_source
  TokenCountSource token_count_source = TokenCountSource::kChunks;
  std::optional<std::int64_t> prompt_tokens;  // usage.prompt_tokens when the server sent it
  long http_status = 0;                       // 0 when no HTTP answer arrived
  FailureReason failure = FailureReason::kNone;
  std::string error;  // what went wrong, empty on success

  bool ok() const { return failure == FailureReason::kNone; }

  // Output tokens per text chunk: completion_tokens / chunks when the server sent usage and
  // several tokens per chunk, else 1.
  double tokens_per_chunk() const;
};

// "http_429" for an HTTP failure, else failure_reason_name(); "" for a success.
std::string failure_label(const RequestRecord& record);

struct LoadRunResult {
  std::vector<RequestRecord> requests;                    // in order of issue
  std::map<std::string, std::size_t> failures_by_reason;  // failure_label -> count
  std::size_t succeeded = 0;
  std::size_t failed = 0;
  std::size_t max_in_flight = 0;  // most requests in flight at once
  TimeNs start_ns = 0;
  TimeNs end_ns = 0;
  bool stopped = false;  // the stop flag ended the run
};

// Output tokens whose chunks arrived in [t0_ns, t1_ns) (half-open, so adjacent windows
// partition the run), each chunk weighted by tokens_per_chunk(). Chunks of failed requests
// count too: the server generated and sent those tokens.
double output_tokens_between(const LoadRunResult& result, TimeNs t0_ns, TimeNs t1_ns);

// Latencies of successful requests, in seconds, in request order.
std::vector<double> ttft_s(const LoadRunResult& result);         // first text chunk - start
std::vector<double> e2e_latency_s(const LoadRunResult& result);  // end - start
// Gaps between consecutive text chunks of each successful request, divided by
// tokens_per_chunk() so that a chunk of k tokens gives the per-token latency.
std::vector<double> inter_token_latency_s(const LoadRunResult& result);

}  // namespace joulebench
