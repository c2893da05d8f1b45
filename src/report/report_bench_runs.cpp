#include "report/report_bench_runs.hpp"

#include <fmt/format.h>

#include "report/text_table.hpp"

namespace joulebench::report {
namespace {

using results::LevelRefView;
using results::LevelView;
using results::ResultView;

std::string number_or_dash(const std::optional<double>& value) {
  return value ? fmt::format("{:g}", *value) : std::string("-");
}

// "c=16", "rate=2"; "-" without a load.
std::string level_name(results::LoadMode mode, const std::optional<double>& load) {
  if (!load) return "-";
  return fmt::format("{}={:g}", mode == results::LoadMode::concurrency ? "c" : "rate", *load);
}

std::string chosen_level(const std::optional<LevelRefView>& choice) {
  if (!choice) return "none (no valid level)";
  return fmt::format("{} at {} J/token", level_name(choice->mode, choice->load),
                     number_or_dash(choice->j_per_output_token));
}

std::string joined_strings(const std::vector<std::string>& list) {
  std::string out;
  for (const auto& item : list) out += (out.empty() ? "" : "; ") + item;
  return out.empty() ? "-" : out;
}

std::string labels_text(const results::Labels& labels) {
  std::string out;
  for (const auto& [key, value] : labels) out += (out.empty() ? "" : ", ") + key + "=" + value;
  return out.empty() ? "-" : out;
}

std::string slo_text(const results::SloView& slo) {
  std::string out;
  if (slo.ttft_p90_ms) out += fmt::format("TTFT p90 <= {:g} ms", *slo.ttft_p90_ms);
  if (slo.itl_p90_ms)
    out += fmt::format("{}ITL p90 <= {:g} ms", out.empty() ? "" : ", ", *slo.itl_p90_ms);
  return out.empty() ? "none" : out;
}

ReportBenchLevel level_of(const LevelView& level) {
  ReportBenchLevel out;
  out.level = level_name(level.mode, level.load);
  out.tokens_per_s = level.figures.output_tokens_per_s;
  out.j_per_token = level.figures.j_per_output_token;
  out.j_per_token_net = level.figures.j_per_output_token_net;
  out.tokens_per_j = level.figures.tokens_per_j;
  out.ttft_p50_ms = level.ttft.p50_ms;
  out.ttft_p90_ms = level.ttft.p90_ms;
  out.ttft_p99_ms = level.ttft.p99_ms;
  out.itl_p50_ms = level.itl.p50_ms;
  out.itl_p90_ms = level.itl.p90_ms;
  out.itl_p99_ms = level.itl.p99_ms;
  out.slo_met = level.slo_met;
  out.verdict = level.validity.verdict;
  return out;
}

std::string percentiles(const std::optional<double>& p50, const std::optional<double>& p90,
                        const std::optional<double>& p99) {
  return format_number(p50, 1) + " / " + format_number(p90, 1) + " / " + format_number(p99, 1);
}

}  // namespace

ReportBenchRun bench_run_of(const std::string& id, const ResultView& result) {
  ReportBenchRun run;
  run.id = id;
  run.facts = {
      {"Model", result.model},
      {"Server", result.url},
      {"Devices measured (summed)", joined_strings(result.provenance.devices_measured)},
      {"Prompt / output tokens",
       (result.prompt_tokens ? fmt::format("{:g}", *result.prompt_tokens) : "dataset") + " / " +
           number_or_dash(result.output_tokens)},
      {"SLO", slo_text(result.slo)},
      {"Labels", labels_text(result.labels)},
      {"Most efficient valid level", chosen_level(result.most_efficient)},
      {"Most efficient within the SLO", chosen_level(result.most_efficient_within_slo)},
  };
  if (result.levels) {
    for (const auto& level : *result.levels) run.levels.push_back(level_of(level));
  }
  return run;
}

std::vector<std::string> bench_level_headers() {
  return {"level",
          "tok/s",
          "J/token",
          "J/token net",
          "tokens/J",
          "TTFT p50/p90/p99 ms",
          "ITL p50/p90/p99 ms",
          "SLO met",
          "validity"};
}

std::vector<std::vector<std::string>> bench_level_rows(const ReportBenchRun& run) {
  std::vector<std::vector<std::string>> rows;
  for (const auto& level : run.levels) {
    rows.push_back({level.level, format_number(level.tokens_per_s, 1),
                    format_number(level.j_per_token, 4), format_number(level.j_per_token_net, 4),
                    format_number(level.tokens_per_j, 3),
                    percentiles(level.ttft_p50_ms, level.ttft_p90_ms, level.ttft_p99_ms),
                    percentiles(level.itl_p50_ms, level.itl_p90_ms, level.itl_p99_ms),
                    level.slo_met ? (*level.slo_met ? "yes" : "no") : "-",
                    level.verdict.empty() ? "-" : level.verdict});
  }
  return rows;
}

}  // namespace joulebench::report
