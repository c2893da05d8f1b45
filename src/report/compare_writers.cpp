#include "report/compare_writers.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "report/json_values.hpp"
#include "report/text_table.hpp"

namespace joulebench::report {
namespace {

using json = nlohmann::ordered_json;

json stats_json(const models::MetricComparison& comparison) {
  const MeanComparison& s = comparison.stats;
  return {{"metric", models::metric_key(comparison.metric)},
          {"unit", models::metric_unit(comparison.metric)},
          {"baseline_n", s.baseline_n},
          {"candidate_n", s.candidate_n},
          {"baseline_mean", optional_json(s.baseline_mean)},
          {"candidate_mean", optional_json(s.candidate_mean)},
          {"difference", optional_json(s.difference)},
          {"difference_pct", optional_json(s.difference_pct)},
          {"ci95_lower", optional_json(s.difference_lower)},
          {"ci95_upper", optional_json(s.difference_upper)},
          {"welch_t", optional_json(s.t)},
          {"welch_df", optional_json(s.df)},
          {"p_value", optional_json(s.p_value)},
          {"cohens_d", optional_json(s.cohens_d)},
          {"reason", s.reason.empty() ? json(nullptr) : json(s.reason)}};
}

std::string interval_text(const MeanComparison& s) {
  if (!s.difference_lower || !s.difference_upper) return "-";
  return fmt::format("[{:.4g}, {:.4g}]", *s.difference_lower, *s.difference_upper);
}

}  // namespace

std::string compare_json(const std::vector<models::SideSamples>& sides,
                         const std::vector<models::SideComparison>& comparisons) {
  json sides_out = json::array();
  for (const auto& side : sides) {
    json counts = json::object();
    for (std::size_t m = 0; m < side.values.size(); ++m)
      counts[models::metric_key(models::kAllMetrics[m])] = side.values[m].size();
    sides_out.push_back(
        {{"name", side.name}, {"results", side.result_ids}, {"samples", std::move(counts)}});
  }
  json comparisons_out = json::array();
  for (const auto& comparison : comparisons) {
    json metrics = json::array();
    for (const auto& metric : comparison.metrics) metrics.push_back(stats_json(metric));
    comparisons_out.push_back({{"baseline", comparison.baseline},
                               {"candidate", comparison.candidate},
                               {"verdict", comparison.verdict},
                               {"metrics", std::move(metrics)}});
  }
  json out = {{"schema_version", kSchemaVersion},
              {"kind", "compare"},
              {"sides", std::move(sides_out)},
              {"comparisons", std::move(comparisons_out)}};
  return out.dump(2) + "\n";
}

std::string compare_table(const std::vector<models::SideSamples>&,
                          const std::vector<models::SideComparison>& comparisons) {
  std::string text;
  for (const auto& comparison : comparisons) {
    TextTable table({"metric", "n", comparison.baseline, comparison.candidate, "delta %",
                     "95% CI of delta", "p", "d"});
    for (const auto& metric : comparison.metrics) {
      const MeanComparison& s = metric.stats;
      table.add_row({std::string(models::metric_key(metric.metric)) + " (" +
                         models::metric_unit(metric.metric) + ")",
                     fmt::format("{}/{}", s.baseline_n, s.candidate_n),
                     format_number(s.baseline_mean, 4), format_number(s.candidate_mean, 4),
                     format_number(s.difference_pct, 1), interval_text(s),
                     format_number(s.p_value, 4), format_number(s.cohens_d, 2)});
    }
    text += table.render() + comparison.verdict + "\n\n";
  }
  return text;
}

}  // namespace joulebench::report
