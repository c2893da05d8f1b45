#include "workloads/serving/level_analysis.hpp"

#include "core/statistics.hpp"

namespace joulebench {
namespace {

bool inside(TimeNs t, const LevelWindow& window) {
  return t >= window.start_ns && t < window.end_ns;
}

// The requests that started inside the window: the latencies of the steady state.
LoadRunResult started_inside(const LoadRunResult& load, const LevelWindow& window) {
  LoadRunResult subset;
  for (const auto& request : load.requests) {
    if (inside(request.start_ns, window)) subset.requests.push_back(request);
  }
  return subset;
}

std::string tokens_source(const LoadRunResult& load) {
  bool usage = false;
  bool chunks = false;
  for (const auto& request : load.requests) {
    if (!request.ok()) continue;
    (request.token_count_source == TokenCountSource::kUsage ? usage : chunks) = true;
  }
  if (usage && chunks) return "usage, and chunks where the server sent no usage";
  return usage ? "usage" : "chunks";
}

std::optional<double> prompt_tokens_started_inside(const LoadRunResult& load,
                                                   const LevelWindow& window) {
  double total = 0.0;
  for (const auto& request : load.requests) {
    if (!inside(request.start_ns, window)) continue;
    if (!request.prompt_tokens) return std::nullopt;  // the server did not say: unknown
    total += static_cast<double>(*request.prompt_tokens);
  }
  return total;
}

void note_first_error(const RequestRecord& request, std::vector<std::string>& first_errors);

void count_requests(const LoadRunResult& load, const LevelWindow& window, LevelResult& out) {
  out.requests_issued = load.requests.size();
  out.max_in_flight = load.max_in_flight;
  for (const auto& request : load.requests) {
    if (request.ok()) {
      if (inside(request.end_ns, window)) ++out.requests_completed;
      continue;
    }
    if (request.failure == FailureReason::kStopped) {
      ++out.cut_at_end;
      continue;
    }
    ++out.failed_requests;
    ++out.failures_by_reason[failure_label(request)];
    note_first_error(request, out.first_errors);
  }
}

// The server's own words for the first few distinct failures, so that a failed level says
// what went wrong ("HTTP 404: The model `m` does not exist") and not only how often.
void note_first_error(const RequestRecord& request, std::vector<std::string>& first_errors) {
  constexpr std::size_t kKept = 3;
  const std::string text = request.error.empty() ? failure_label(request) : request.error;
  if (first_errors.size() >= kKept) return;
  for (const auto& seen : first_errors) {
    if (seen == text) return;
  }
  first_errors.push_back(text);
}

}  // namespace

LatencyPercentiles latency_percentiles_ms(const std::vector<double>& latencies_s) {
  LatencyPercentiles out;
  out.n = latencies_s.size();
  std::vector<double> ms;
  ms.reserve(latencies_s.size());
  for (double s : latencies_s) ms.push_back(s * 1000.0);
  out.mean_ms = mean(ms);
  out.p50_ms = percentile(ms, 50);
  out.p90_ms = percentile(ms, 90);
  out.p99_ms = percentile(ms, 99);
  return out;
}

LevelResult analyze_level(LoadMode mode, double level, const LoadRunResult& load,
                          const LevelWindow& window, const IdlePower& idle) {
  LevelResult out;
  out.mode = mode;
  out.level = level;
  out.measurement = window.measurement;
  const double duration_s = window.measurement.duration_s;
  const double output_tokens = output_tokens_between(load, window.start_ns, window.end_ns);
  out.energy = compute_token_energy(window.measurement, output_tokens, tokens_source(load), idle);
  count_requests(load, window, out);
  if (out.requests_completed == 0) {
    // Tokens of requests that never finished inside the window (a stall, a dying server)
    // are not a steady load: 2 tokens after a stall gave 175 J/token.
    withhold_per_token_figures(out.energy, "No request completed inside the window.");
  }
  if (window.measurement.energy_j && out.requests_completed > 0) {
    out.j_per_request = *window.measurement.energy_j / static_cast<double>(out.requests_completed);
  }
  if (auto prompt = prompt_tokens_started_inside(load, window); prompt && duration_s > 0) {
    out.total_tokens_per_s = (*prompt + output_tokens) / duration_s;
  } else {
    out.total_tokens_reason = duration_s > 0 ? "the server did not report usage.prompt_tokens for "
                                               "every request of the window"
                                             : "the window has no duration";
  }
  const LoadRunResult steady = started_inside(load, window);
  out.ttft = latency_percentiles_ms(ttft_s(steady));
  out.itl = latency_percentiles_ms(inter_token_latency_s(steady));
  out.e2e = latency_percentiles_ms(e2e_latency_s(steady));
  return out;
}

}  // namespace joulebench
