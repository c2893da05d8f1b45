#include <fmt/format.h>

#include "report/csv_text.hpp"
#include "report/report_cells.hpp"
#include "report/report_writers.hpp"

namespace joulebench::report {

std::string report_csv(const Report& report) {
  std::vector<std::string> header = {"configuration", "labels", "load", "n_results"};
  for (const auto metric : models::kAllMetrics) {
    for (const char* part : {"n", "mean", "ci_lower", "ci_upper", "cv"}) {
      header.push_back(fmt::format("{}_{}", models::metric_key(metric), part));
    }
  }
  for (const double price : report.prices_usd_per_kwh) {
    header.push_back(fmt::format("usd_per_million_tokens_at_{:g}_per_kwh", price));
  }
  header.insert(header.end(), {"energy_systematic_share", "valid", "judged"});
  CsvText csv(header);
  for (const auto& config : report.configs) {
    std::string labels;
    for (const auto& [key, value] : config.labels)
      labels += (labels.empty() ? "" : ",") + key + "=" + value;
    std::vector<std::string> row = {config.name, labels, csv_number(config.load),
                                    std::to_string(config.result_ids.size())};
    for (const auto& stats : config.figures) {
      row.insert(row.end(),
                 {std::to_string(stats.n), csv_number(stats.mean), csv_number(stats.ci_lower),
                  csv_number(stats.ci_upper), csv_number(stats.cv)});
    }
    for (const auto& cost : config.energy_usd_per_million_tokens) row.push_back(csv_number(cost));
    row.insert(row.end(), {csv_number(config.samples.systematic_share),
                           std::to_string(config.valid), std::to_string(config.judged)});
    csv.add_row(row);
  }
  return csv.text();
}

}  // namespace joulebench::report
