// One request before any load level, as `vllm bench serve` sends: a wrong model name, a wrong
// path or a server that is not there answers in milliseconds, and a sweep of such answers
// would be measured as a very cheap load. The probe stops the bench at once with the server's
// own words instead. Thread-safety: a pure function over its arguments (runs one request).
#pragma once

#include <cstdint>
#include <string>

#include "joulebench/error.hpp"
#include "workloads/openai/load_generator.hpp"

namespace joulebench {

struct ProbeAnswer {
  std::int64_t output_tokens = 0;  // what the probe generated
  double seconds = 0.0;            // request start to end
};

// Sends the first prompt once with at most `max_probe_tokens` output tokens. An Error says
// what the server answered ("HTTP 404: The model `m` does not exist") or why nothing did.
Expected<ProbeAnswer> probe_endpoint(LoadOptions options, const std::vector<Prompt>& prompts,
                                     std::size_t max_probe_tokens = 16);

}  // namespace joulebench
