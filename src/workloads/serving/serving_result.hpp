// Results of `joulebench bench openai`: one LevelResult per load level (a concurrency or a
// Poisson rate), each measured over a steady-state window, plus the efficiency summary.
// Thread-safety: value types.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/validity.hpp"
#include "joulebench/result.hpp"
#include "joulebench/token_energy.hpp"

namespace joulebench {

// Percentiles of a latency, in milliseconds; null when no request gave one.
struct LatencyPercentiles {
  std::size_t n = 0;
  std::optional<double> mean_ms;
  std::optional<double> p50_ms;
  std::optional<double> p90_ms;
  std::optional<double> p99_ms;
};

enum class LoadMode { concurrency, rate };
const char* to_string(LoadMode mode);  // "concurrency", "rate"

struct LevelResult {
  LoadMode mode = LoadMode::concurrency;
  double level = 0;         // concurrency (requests in flight) or rate (requests/s)
  Measurement measurement;  // the steady-state window
  TokenEnergy energy;       // output tokens whose chunks arrived inside the window
  std::optional<double>
      total_tokens_per_s;               // (prompt + output) tokens/s, when usage gave prompt tokens
  std::string total_tokens_reason;      // why total_tokens_per_s is null
  std::optional<double> j_per_request;  // energy / requests that completed in the window
  std::size_t requests_completed = 0;   // completed inside the window
  std::size_t requests_issued = 0;      // over the whole level (warm-up and drain included)
  std::size_t failed_requests = 0;      // over the whole level, cut-at-the-end excluded
  std::map<std::string, std::size_t> failures_by_reason;
  std::vector<std::string> first_errors;  // the first distinct failure messages (at most 3)
  std::size_t cut_at_end = 0;             // in flight when the level ended (not failures)
  std::size_t max_in_flight = 0;
  LatencyPercentiles ttft;
  LatencyPercentiles itl;
  LatencyPercentiles e2e;
  std::string window_note;      // how the window was chosen
  std::optional<bool> slo_met;  // null when no SLO was given
  ValidityVerdict validity;
  std::vector<std::string> warnings;
};

struct ServiceLevelObjective {
  std::optional<double> ttft_p90_ms;
  std::optional<double> itl_p90_ms;
  bool any() const { return ttft_p90_ms || itl_p90_ms; }
};

struct ServingBenchResult {
  std::string url;
  std::string model;
  std::string api;                           // "completions" or "chat"
  std::string prompt_source;                 // dataset path, or the synthetic-prompt label
  std::optional<std::size_t> prompt_tokens;  // requested (synthetic prompts)
  std::size_t output_tokens = 0;             // max_tokens asked for
  std::map<std::string, std::string> labels;
  ServiceLevelObjective slo;
  IdlePower idle;
  std::vector<LevelResult> levels;
  std::optional<std::size_t> most_efficient_level;         // index into levels
  std::optional<std::size_t> most_efficient_level_in_slo;  // index, when an SLO was given
  std::optional<std::string> interrupted_by;
  std::optional<std::string> failed_because;  // no usable level (run_failure): stored as failed
  std::optional<std::string> trace_path;      // --trace, relative to the result file where possible
  std::vector<std::string> devices_measured;  // "nvml:0 NVIDIA H100 80GB HBM3", every device summed
  std::string devices_note;                   // why these devices (serving GPUs, --gpus, all)
  std::vector<std::string> warnings;
};

// A GPU that stayed idle (utilisation under 5%) through a level while others were measured
// with it: its idle draw is in the level's J/token. One warning per such GPU, naming the
// --gpus that would leave it out.
std::vector<std::string> idle_device_warnings(const Measurement& level_window);

// What a level's requests did, for the failed_requests validity check (whole level).
RequestOutcomes request_outcomes(const LevelResult& level);

// A level people may act on: valid, and with a J/output token.
bool usable(const LevelResult& level);

// Fills slo_met per level and the two most-efficient indices (lowest J/output token among
// the usable levels; an invalid level is never "most efficient").
void choose_most_efficient(ServingBenchResult& result);

// Why the run as a whole failed (no usable level), naming each level's first failing check;
// nullopt when at least one level is usable or no level ran.
std::optional<std::string> run_failure(const ServingBenchResult& result);

}  // namespace joulebench
