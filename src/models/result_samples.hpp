// Repeated measurements of one configuration, taken out of result documents, for `compare`:
// the measured iterations of a `run` (warm-ups and failed iterations left out), one sample per
// `bench-openai` document (its most efficient level, or the level asked for), and a monitor's
// average power. Several documents on one side (a label filter) pool their samples.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "results/result_document.hpp"
#include "results/result_view.hpp"

namespace joulebench::models {

enum class Metric { j_per_output_token, tokens_per_j, output_tokens_per_s, avg_power_w };

inline constexpr Metric kAllMetrics[] = {Metric::j_per_output_token, Metric::tokens_per_j,
                                         Metric::output_tokens_per_s, Metric::avg_power_w};

const char* metric_key(Metric metric);   // the JSON field name, e.g. "j_per_output_token"
const char* metric_unit(Metric metric);  // "J/token", "tokens/J", "tokens/s", "W"
bool lower_is_better(Metric metric);

struct SideSamples {
  std::string name;  // what the side is called in tables and verdicts
  std::vector<std::string> result_ids;
  std::vector<std::vector<double>> values;  // per metric, in kAllMetrics order
  // The GPUs the samples were measured on (UUID, else name), and the largest systematic
  // share of their energy (stated sensor accuracy or calibration interval / energy): a
  // difference between two sides on different GPUs smaller than that may be the sensors'.
  std::set<std::string> devices;
  std::optional<double> systematic_share;
};

// One side per entry of `sides` (each the documents one reference resolved to).
// `level`: bench-openai concurrency or rate to take (default: each document's most efficient).
// Sides are named by the labels whose values differ between sides ("precision=nf4"), else by
// the reference the user typed.
std::vector<SideSamples> side_samples(const std::vector<std::vector<ResultDocument>>& sides,
                                      std::optional<double> level);

// Appends one result's samples to `side` (a run's measured iterations, a bench level, a
// monitor's power), as side_samples does for each document; `side.values` has one entry per metric.
void add_result_samples(const results::ResultView& result, std::optional<double> level,
                        SideSamples& side);

}  // namespace joulebench::models
