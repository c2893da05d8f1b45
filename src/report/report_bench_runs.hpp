// What makes the report of a `bench openai` run readable on its own: the model, the server,
// the devices measured, prompt and output lengths, the SLO, labels, the most efficient valid
// level (overall and within the SLO), and per level J/token gross and net, tokens/J and the
// TTFT/ITL percentiles. Extracted while the ReportBuilder folds documents (a few figures per
// level, not the document) and rendered as cells for the Markdown and HTML writers. Pure.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "results/result_view.hpp"

namespace joulebench::report {

struct ReportBenchLevel {
  std::string level;  // "c=16", "rate=2"
  std::optional<double> tokens_per_s, j_per_token, j_per_token_net, tokens_per_j;
  std::optional<double> ttft_p50_ms, ttft_p90_ms, ttft_p99_ms, itl_p50_ms, itl_p90_ms, itl_p99_ms;
  std::optional<bool> slo_met;
  std::string verdict;  // "valid", "invalid"
};

struct ReportBenchRun {
  std::string id;
  std::vector<std::pair<std::string, std::string>> facts;  // ("Model", "llama-8b"), ...
  std::vector<ReportBenchLevel> levels;
};

// The bench-openai runs a report lists in full; more are counted, not listed.
inline constexpr std::size_t kMaxBenchRunsListed = 10;

ReportBenchRun bench_run_of(const std::string& id, const results::ResultView& result);

std::vector<std::string> bench_level_headers();
std::vector<std::vector<std::string>> bench_level_rows(const ReportBenchRun& run);

}  // namespace joulebench::report
