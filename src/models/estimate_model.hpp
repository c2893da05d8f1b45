// Energy per token without a meter, from a throughput and a power figure (the seed post's
// method: node power / tokens per second, bracketed by a low and a high power). Pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "joulebench/error.hpp"
#include "models/catalog.hpp"

namespace joulebench::models {

struct PowerRange {
  double low_w = 0.0;
  double high_w = 0.0;  // equal to low_w for a single figure
  std::string basis;    // how the power was arrived at, for the output
};

// "--power-w 1500" or "--power-w 1500-3000".
Expected<PowerRange> parse_power_w(const std::string& text);

// N GPUs at the catalog's board power (TDP), plus node overhead (CPUs, NICs, fans): an upper
// bound, since GPUs rarely hold TDP; the low bound is the same unless the catalog has more.
Expected<PowerRange> gpu_node_power(const GpuSpec& gpu, int gpus, double node_overhead);

struct Estimate {
  std::string label;          // the CSV's batch column, or empty
  double tokens_per_s = 0.0;
  double j_per_token_low = 0.0;
  double j_per_token_high = 0.0;
  double kwh_per_million_tokens_low = 0.0;
  double kwh_per_million_tokens_high = 0.0;
  double tokens_per_j_low = 0.0;   // at the high power
  double tokens_per_j_high = 0.0;  // at the low power
};

Expected<Estimate> estimate(double tokens_per_s, const PowerRange& power, std::string label = "");

struct ThroughputRow {
  std::string batch;
  double tokens_per_s = 0.0;
};

// A CSV with a header naming `batch` and `tokens_per_s` (other columns ignored); malformed
// rows are `FILE:LINE` errors.
Expected<std::vector<ThroughputRow>> read_throughput_csv(const std::string& path);
// The same for text already read; `path` names it in errors. Fuzzed (tests/fuzz).
Expected<std::vector<ThroughputRow>> parse_throughput_csv(std::string_view text, const std::string& path);

}  // namespace joulebench::models
