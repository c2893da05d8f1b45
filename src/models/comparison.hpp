// `joulebench compare`: each candidate side against the first (the baseline), per metric,
// with Welch's t-test and Cohen's d (src/core/statistics_compare.hpp), and a sentence a person
// can act on: "precision=nf4 uses 11.4% less energy per token than precision=fp16 (p = 0.002,
// d = 1.9)".
#pragma once

#include <string>
#include <vector>

#include "core/statistics_compare.hpp"
#include "joulebench/error.hpp"
#include "models/result_samples.hpp"

namespace joulebench::models {

struct MetricComparison {
  Metric metric = Metric::j_per_output_token;
  MeanComparison stats;
};

struct SideComparison {
  std::string baseline;
  std::string candidate;
  std::vector<MetricComparison> metrics;  // only metrics both sides have samples of
  std::string verdict;
};

// Errors: fewer than two sides, or a side with no samples at all (naming it).
Expected<std::vector<SideComparison>> compare_sides(const std::vector<SideSamples>& sides,
                                                    double significance = 0.05);

// The sentence for one metric's comparison (exposed for tests).
std::string verdict_sentence(const std::string& baseline, const std::string& candidate,
                             const MetricComparison& comparison, double significance);

}  // namespace joulebench::models
