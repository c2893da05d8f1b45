#include "models/comparison.hpp"

#include <fmt/format.h>

#include <cmath>

namespace joulebench::models {
namespace {

// What a metric measures, for the verdict ("less energy per token", "more throughput").
std::string quantity(Metric metric, bool more) {
  switch (metric) {
    case Metric::j_per_output_token:
      return more ? "more energy per token" : "less energy per token";
    case Metric::tokens_per_j:
      return more ? "more tokens per joule" : "fewer tokens per joule";
    case Metric::output_tokens_per_s:
      return more ? "more throughput" : "less throughput";
    case Metric::avg_power_w:
      return more ? "more power" : "less power";
  }
  return "";
}

bool has_samples(const SideSamples& side) {
  for (const auto& values : side.values) {
    if (!values.empty()) return true;
  }
  return false;
}

// p to two significant figures, "< 0.001" below that.
std::string p_text(double p) { return p < 0.001 ? "p < 0.001" : fmt::format("p = {:.2g}", p); }

}  // namespace

std::string verdict_sentence(const std::string& baseline, const std::string& candidate,
                             const MetricComparison& comparison, double significance) {
  const MeanComparison& stats = comparison.stats;
  if (stats.baseline_n < 2 || stats.candidate_n < 2) {
    return fmt::format(
        "no verdict: {} has n = {} and {} n = {}; a comparison needs at least 2 "
        "samples a side (5 or more to be trusted)",
        baseline, stats.baseline_n, candidate, stats.candidate_n);
  }
  if (!stats.difference_pct)
    return candidate + " vs " + baseline + ": no difference can be computed (" + stats.reason + ")";
  const double pct = *stats.difference_pct;
  std::string sentence = fmt::format("{} uses {:.1f}% {} than {}", candidate, std::fabs(pct),
                                     quantity(comparison.metric, pct > 0), baseline);
  if (comparison.metric == Metric::output_tokens_per_s ||
      comparison.metric == Metric::tokens_per_j) {
    sentence = fmt::format("{} has {:.1f}% {} than {}", candidate, std::fabs(pct),
                           quantity(comparison.metric, pct > 0), baseline);
  }
  if (!stats.p_value) return "no verdict: significance cannot be computed (" + stats.reason + ")";
  sentence += fmt::format(" ({}, d = {:.2g}", p_text(*stats.p_value),
                          std::fabs(stats.cohens_d.value_or(NAN)));
  sentence +=
      *stats.p_value < significance ? ")" : fmt::format("): not significant at {:g}", significance);
  return sentence;
}

namespace {

// The sensors' systematic error cancels between results on the same GPUs and does not between
// different ones: a difference smaller than the two sensors' stated systematic shares
// together may be the sensors' own (docs/accuracy.md).
std::string systematic_note(const SideSamples& baseline, const SideSamples& candidate,
                            const MetricComparison& first) {
  if (baseline.devices.empty() || candidate.devices.empty()) return "";
  if (baseline.devices == candidate.devices) {
    return " Both ran on the same GPU(s): the sensor's systematic error cancels in the "
           "difference.";
  }
  if (!baseline.systematic_share || !candidate.systematic_share) {
    return " They ran on different GPUs, whose sensors' systematic error is not stated: the "
           "difference may include it.";
  }
  const double combined_pct = 100.0 * (*baseline.systematic_share + *candidate.systematic_share);
  const auto difference_pct = first.stats.difference_pct;
  if (!difference_pct || std::fabs(*difference_pct) >= combined_pct) return "";
  return fmt::format(
      " They ran on different GPUs, and the difference ({:.1f}%) is smaller than their "
      "sensors' stated systematic uncertainty together ({:.1f}%): it may be the sensors' (a "
      "reference-meter calibration of each removes most of it).",
      std::fabs(*difference_pct), combined_pct);
}

}  // namespace

Expected<std::vector<SideComparison>> compare_sides(const std::vector<SideSamples>& sides,
                                                    double significance) {
  if (sides.size() < 2)
    return Error{"compare: needs at least two results or filters (A B [C ...])"};
  for (const auto& side : sides) {
    if (!has_samples(side))
      return Error{"compare: '" + side.name + "' has no J/token, throughput or power to compare"};
  }
  std::vector<SideComparison> out;
  for (std::size_t s = 1; s < sides.size(); ++s) {
    SideComparison comparison{sides[0].name, sides[s].name, {}, ""};
    for (std::size_t m = 0; m < std::size(kAllMetrics); ++m) {
      if (sides[0].values[m].empty() || sides[s].values[m].empty()) continue;
      auto stats = compare_means(sides[0].values[m], sides[s].values[m]);
      if (!stats) return stats.error();
      comparison.metrics.push_back({kAllMetrics[m], std::move(*stats)});
    }
    if (comparison.metrics.empty()) {
      comparison.verdict = sides[s].name + " and " + sides[0].name + " share no measured figure";
    } else {
      comparison.verdict =
          verdict_sentence(sides[0].name, sides[s].name, comparison.metrics.front(), significance) +
          systematic_note(sides[0], sides[s], comparison.metrics.front());
    }
    out.push_back(std::move(comparison));
  }
  return out;
}

}  // namespace joulebench::models
