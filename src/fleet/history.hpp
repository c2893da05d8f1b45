// The fleet's history as both sources deliver it (the Prometheus API or a CSV export): per
// model, its allocation and a time series of power and throughput. Missing values stay
// missing (nullopt), never 0: a gap in the data is not an idle GPU.
// Plain values; no shared state.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "joulebench/error.hpp"

namespace joulebench::fleet {

struct HistoryPoint {
  std::int64_t time_s = 0;             // Unix seconds
  std::optional<double> power_w;       // all the model's GPUs together
  std::optional<double> tokens_per_s;  // output tokens/s of the model
};

struct ModelHistory {
  std::string model;
  std::string gpu_type;              // as the source names it ("A100", "NVIDIA A100-SXM4-80GB")
  int gpus = 0;                      // the allocation's GPU count (the largest seen)
  std::vector<HistoryPoint> points;  // ascending time
  std::optional<double> step_s;      // the sampling step; nullopt when it cannot be told
  std::vector<std::string> notes;    // what the source left out or changed (gaps, NaN, resets)
};

struct FleetHistory {
  std::string source;                // "--csv FILE" or the Prometheus URL and range
  std::string power_source;          // which metric gave power (Prometheus); empty for a CSV
  std::vector<ModelHistory> models;  // sorted by model name
  // Stored idle baselines per GPU type (joulebench_gpu_idle_power_watts), when the source has them.
  std::vector<std::pair<std::string, double>> idle_baselines_w;
  std::vector<std::string> notes;     // about the whole source
  std::vector<std::string> warnings;  // the back end's own: partial answers, API warnings
  std::size_t series_received = 0;    // what the source sent: shows where aggregation happened
  std::size_t points_received = 0;
};

// The offline history: a CSV with a header naming the columns time, model, gpu_type, gpus,
// power_w, tokens_per_s (any order, more columns ignored). time is Unix seconds or
// "YYYY-MM-DDTHH:MM:SSZ"; an empty power_w or tokens_per_s cell is missing. Errors name
// `origin` and the line.
Expected<FleetHistory> parse_history_csv(std::string_view text, const std::string& origin);

// "2026-11-25T09:00:00Z" (or with a fraction of a second) as Unix seconds.
std::optional<std::int64_t> parse_utc_seconds(std::string_view text);

}  // namespace joulebench::fleet
