// The configuration table shared by the Markdown and HTML reports: one row per configuration,
// the varied labels first, then throughput, power, J/token, tokens/J, energy cost per 1M
// tokens at each price, CV and validity, as in the seeds' baseline tables. Pure.
#pragma once

#include <string>
#include <vector>

#include "report/report_model.hpp"

namespace joulebench::report {

std::vector<std::string> config_table_headers(const Report& report);
std::vector<std::string> config_table_row(const Report& report, const ReportConfig& config);

// "94.87 ± 0.42" (mean ± half the 95% CI), "94.87" when n < 2, "n/a" without samples.
// `scale` multiplies every figure first (1000 for J/token -> J/1k tokens).
std::string mean_with_ci(const FigureStats& stats, int decimals, double scale = 1.0);

// "valid", "valid (2 of 3)", "INVALID (0 of 3)" or "not judged".
std::string validity_text(const ReportConfig& config);

// The configuration's stated systematic share of energy in percent ("5.1"), or "not stated".
std::string systematic_text(const ReportConfig& config);

// "$0.10" for a price per kWh in headers.
std::string price_text(double usd_per_kwh);

// The provenance table of the Markdown and HTML reports: one row per result, or, beyond
// kProvenanceRowsPerResult results, one row per (kind, host, tool version, simulated) with the
// count and the span of start times, so that 10,000 runs make a table people can read.
inline constexpr std::size_t kProvenanceRowsPerResult = 50;
std::vector<std::string> provenance_headers();
std::vector<std::vector<std::string>> provenance_rows(const Report& report);

// The report's one-paragraph summary (counts, prices, what ± means).
std::string report_summary(const Report& report);

}  // namespace joulebench::report
