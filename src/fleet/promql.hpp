// The PromQL of `joulebench fleet`: one range query per figure family, aggregated by model
// inside Prometheus, so joulebench receives one series per model (not one per GPU).
// Models come from a `model` label on the power series or, with models.yaml, from label
// matchers on hostname (and gpu) attached with label_replace. Pure.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "fleet/models_file.hpp"

namespace joulebench::fleet {

inline constexpr std::string_view kEnergyCounter = "joulebench_gpu_energy_joules_total";
inline constexpr std::string_view kPowerGauge = "joulebench_gpu_power_watts";

struct FleetQueries {
  // W per model and `source`: "counter" is rate() of the GPUs' energy counter (it covers
  // every joule between scrapes), "gauge" the instantaneous power gauge of the GPUs that
  // have no counter (a sample per scrape misses what happens between them).
  std::string power;
  std::string allocation;  // GPUs per model and GPU name: count by (model, name)
  std::string tokens;      // output tokens/s per model: rate of joulebench_tokens_total
  std::string idle;        // stored idle baselines per GPU name (instant query)
};

// `entries` empty: the power series carry a `model` label. `rate_window` and `range` are
// PromQL durations ("5m", "7d").
FleetQueries fleet_queries(const std::vector<ModelEntry>& entries, const std::string& rate_window,
                           const std::string& range);

// Instant query: the most samples any power gauge series has over `lookback`, from which
// the scrape interval follows (lookback / samples).
std::string scrape_samples_query(std::string_view gauge, const std::string& lookback);

// A label value as a regex alternative that matches exactly this text.
std::string regex_quote(std::string_view text);
// Values as regex alternatives ("a|b"), each matching exactly itself.
std::string regex_alternatives(const std::vector<std::string>& values);
// PromQL string literal contents (backslash and double quote escaped).
std::string promql_string(std::string_view text);
// application/x-www-form-urlencoded component.
std::string url_encode(std::string_view text);

std::string query_range_url(const std::string& base_url, const std::string& expr,
                            std::int64_t start_s, std::int64_t end_s, std::int64_t step_s);
std::string query_url(const std::string& base_url, const std::string& expr, std::int64_t time_s);

}  // namespace joulebench::fleet
