#include "workloads/openai/endpoint_probe.hpp"

#include <algorithm>

namespace joulebench {

Expected<ProbeAnswer> probe_endpoint(LoadOptions options, const std::vector<Prompt>& prompts,
                                     std::size_t max_probe_tokens) {
  if (prompts.empty()) return Error{"no prompt to probe the server with"};
  const std::size_t tokens = std::min(options.request.max_tokens, max_probe_tokens);
  options.request.max_tokens = tokens;
  if (options.request.min_tokens) options.request.min_tokens = tokens;
  options.arrivals = ClosedLoop{1};
  options.max_requests = 1;
  options.duration.reset();
  options.at_end = AtEnd::kWaitForInFlight;
  auto ran = run_load(options, {prompts.front()});
  if (!ran) return ran.error();
  if (ran->stopped || ran->requests.empty()) return Error{"interrupted during the probe request"};
  const RequestRecord& request = ran->requests.front();
  if (!request.ok()) {
    return Error{"the server failed the probe request to " + options.base_url + ": " +
                 (request.error.empty() ? failure_label(request) : request.error)};
  }
  return ProbeAnswer{request.output_tokens, ns_to_s(request.end_ns - request.start_ns)};
}

}  // namespace joulebench
