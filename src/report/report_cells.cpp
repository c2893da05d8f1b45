#include "report/report_cells.hpp"

#include <fmt/format.h>

#include <map>
#include <tuple>

#include "report/text_table.hpp"

namespace joulebench::report {

using models::Metric;

std::string mean_with_ci(const FigureStats& stats, int decimals, double scale) {
  if (!stats.mean) return "n/a";
  std::string out = fmt::format("{:.{}f}", *stats.mean * scale, decimals);
  if (stats.ci_lower && stats.ci_upper) {
    out += fmt::format(" ± {:.{}f}", (*stats.ci_upper - *stats.ci_lower) / 2.0 * scale, decimals);
  }
  return out;
}

std::string validity_text(const ReportConfig& config) {
  if (config.judged == 0) return "not judged";
  if (config.valid == config.judged)
    return config.judged == 1 ? "valid"
                              : fmt::format("valid ({} of {})", config.valid, config.judged);
  return fmt::format("INVALID ({} of {} valid)", config.valid, config.judged);
}

std::string systematic_text(const ReportConfig& config) {
  const auto& share = config.samples.systematic_share;
  return share ? fmt::format("{:.1f}", *share * 100.0) : "not stated";
}

std::string price_text(double usd_per_kwh) { return fmt::format("${:.2f}", usd_per_kwh); }

std::vector<std::string> config_table_headers(const Report& report) {
  std::vector<std::string> headers = report.label_keys;
  if (headers.empty()) headers.push_back("configuration");
  // J/token as the CLI shows it, with tokens/J beside: one unit everywhere.
  for (const char* name : {"n", "Throughput (tok/s)", "Power (W)", "J/token", "Tokens/J"})
    headers.push_back(name);
  for (const double price : report.prices_usd_per_kwh) {
    headers.push_back(fmt::format("Cost/1M tokens @ {}/kWh", price_text(price)));
  }
  headers.push_back("CV (%)");
  headers.push_back("Sensor ± (%)");
  headers.push_back("Validity");
  return headers;
}

std::vector<std::string> config_table_row(const Report& report, const ReportConfig& config) {
  std::vector<std::string> row;
  for (const auto& key : report.label_keys) {
    const auto found = config.labels.find(key);
    row.push_back(found == config.labels.end() ? "-" : found->second);
  }
  if (report.label_keys.empty()) row.push_back(config.name);
  const auto& j_per_token = config.figure(Metric::j_per_output_token);
  row.push_back(std::to_string(j_per_token.n));
  row.push_back(mean_with_ci(config.figure(Metric::output_tokens_per_s), 1));
  row.push_back(mean_with_ci(config.figure(Metric::avg_power_w), 1));
  row.push_back(mean_with_ci(j_per_token, 4));
  row.push_back(mean_with_ci(config.figure(Metric::tokens_per_j), 3));
  for (const auto& cost : config.energy_usd_per_million_tokens) {
    row.push_back(cost ? fmt::format("${:.4f}", *cost) : "n/a");
  }
  row.push_back(j_per_token.cv ? fmt::format("{:.1f}", *j_per_token.cv * 100.0) : "n/a");
  row.push_back(systematic_text(config));
  row.push_back(validity_text(config));
  return row;
}

std::string report_summary(const Report& report) {
  std::string prices;
  for (const double price : report.prices_usd_per_kwh)
    prices += (prices.empty() ? "" : ", ") + price_text(price);
  return fmt::format(
      "{} result(s) in {} configuration(s). Figures are means ± half the 95% confidence interval "
      "(Student's t) over each configuration's samples (measured iterations, or runs sharing its "
      "labels); "
      "CV is that of J/token. Sensor ± is the energy's stated systematic uncertainty (95%: the "
      "sensor's documented accuracy, or its reference-meter calibration; docs/accuracy.md), "
      "which the statistical ± does not include and which cancels between configurations "
      "measured on the same GPUs. Cost is GPU energy only at {} per kWh.",
      report.sources.size(), report.configs.size(), prices);
}

}  // namespace joulebench::report

namespace joulebench::report {
namespace {

std::string or_dash(const std::string& text) { return text.empty() ? "-" : text; }

}  // namespace

std::vector<std::string> provenance_headers() {
  return {"Result", "Kind", "Start time", "Host", "Tool version", "Hardware"};
}

std::vector<std::vector<std::string>> provenance_rows(const Report& report) {
  std::vector<std::vector<std::string>> rows;
  if (report.sources.size() <= kProvenanceRowsPerResult) {
    for (const auto& source : report.sources) {
      rows.push_back({source.id, source.kind, or_dash(source.start_time), or_dash(source.host),
                      or_dash(source.tool_version), or_dash(source.hardware)});
    }
    return rows;
  }
  struct Span {
    std::size_t count = 0;
    std::string first, last;  // ISO 8601 start times sort as text
  };
  std::map<std::tuple<std::string, std::string, std::string, std::string>, Span> groups;
  for (const auto& source : report.sources) {
    Span& span = groups[{source.kind, source.host, source.tool_version, source.hardware}];
    ++span.count;
    if (source.start_time.empty()) continue;
    if (span.first.empty() || source.start_time < span.first) span.first = source.start_time;
    if (span.last.empty() || source.start_time > span.last) span.last = source.start_time;
  }
  for (const auto& [key, span] : groups) {
    const auto& [kind, host, tool_version, hardware] = key;
    const std::string times =
        span.first == span.last ? or_dash(span.first) : span.first + " to " + span.last;
    rows.push_back({fmt::format("{} results", span.count), kind, times, or_dash(host),
                    or_dash(tool_version), or_dash(hardware)});
  }
  return rows;
}

}  // namespace joulebench::report
