#include "report/report_bench_runs.hpp"

#include <fmt/format.h>

#include "report/text_table.hpp"
#include "store/json_fields.hpp"

namespace joulebench::report {
namespace {

using nlohmann::json;

const json& member(const json& object, const char* key) { return member_or_null(object, key); }

std::string number_or_dash(const std::optional<double>& value) {
  return value ? fmt::format("{:g}", *value) : std::string("-");
}

std::string level_name(const json& level) {
  if (auto concurrency = number_at(level, "concurrency"))
    return fmt::format("c={:g}", *concurrency);
  if (auto rate = number_at(level, "rate")) return fmt::format("rate={:g}", *rate);
  return "-";
}

std::string chosen_level(const json& choice) {
  if (!choice.is_object()) return "none (no valid level)";
  return fmt::format("{} at {} J/token", level_name(choice),
                     number_or_dash(number_at(choice, "j_per_output_token")));
}

std::string joined_strings(const json& list) {
  std::string out;
  if (!list.is_array()) return "-";
  for (const auto& item : list) {
    if (item.is_string()) out += (out.empty() ? "" : "; ") + item.get<std::string>();
  }
  return out.empty() ? "-" : out;
}

std::string labels_text(const json& labels) {
  std::string out;
  if (labels.is_object()) {
    for (const auto& [key, value] : labels.items()) {
      if (value.is_string())
        out += (out.empty() ? "" : ", ") + key + "=" + value.get<std::string>();
    }
  }
  return out.empty() ? "-" : out;
}

std::string slo_text(const json& slo) {
  std::string out;
  if (auto ttft = number_at(slo, "ttft_p90_ms")) out += fmt::format("TTFT p90 <= {:g} ms", *ttft);
  if (auto itl = number_at(slo, "itl_p90_ms"))
    out += fmt::format("{}ITL p90 <= {:g} ms", out.empty() ? "" : ", ", *itl);
  return out.empty() ? "none" : out;
}

ReportBenchLevel level_of(const json& level) {
  ReportBenchLevel out;
  out.level = level_name(level);
  out.tokens_per_s = number_at(level, "output_tokens_per_s");
  out.j_per_token = number_at(level, "j_per_output_token");
  out.j_per_token_net = number_at(level, "j_per_output_token_net");
  out.tokens_per_j = number_at(level, "tokens_per_j");
  const json& ttft = member(level, "ttft_ms");
  const json& itl = member(level, "itl_ms");
  out.ttft_p50_ms = number_at(ttft, "p50");
  out.ttft_p90_ms = number_at(ttft, "p90");
  out.ttft_p99_ms = number_at(ttft, "p99");
  out.itl_p50_ms = number_at(itl, "p50");
  out.itl_p90_ms = number_at(itl, "p90");
  out.itl_p99_ms = number_at(itl, "p99");
  if (const json& met = member(level, "slo_met"); met.is_boolean()) out.slo_met = met.get<bool>();
  out.verdict = text_at(member(level, "validity"), "verdict");
  return out;
}

std::string percentiles(const std::optional<double>& p50, const std::optional<double>& p90,
                        const std::optional<double>& p99) {
  return format_number(p50, 1) + " / " + format_number(p90, 1) + " / " + format_number(p99, 1);
}

}  // namespace

const std::vector<const char*>& bench_run_keys() {
  static const std::vector<const char*> keys = {"model",
                                                "url",
                                                "prompt_tokens",
                                                "output_tokens",
                                                "slo",
                                                "ttft_p90_ms",
                                                "itl_p90_ms",
                                                "ttft_ms",
                                                "itl_ms",
                                                "p50",
                                                "p90",
                                                "p99",
                                                "j_per_output_token_net",
                                                "slo_met",
                                                "most_efficient",
                                                "most_efficient_within_slo",
                                                "devices_note",
                                                "output_tokens_per_s"};
  return keys;
}

ReportBenchRun bench_run_of(const ResultDocument& result) {
  const json& document = result.document;
  const json& provenance = member(document, "provenance");
  ReportBenchRun run;
  run.id = result.id;
  const auto prompt = number_at(document, "prompt_tokens");
  run.facts = {
      {"Model", text_at(document, "model")},
      {"Server", text_at(document, "url")},
      {"Devices measured (summed)", joined_strings(member(provenance, "devices_measured"))},
      {"Prompt / output tokens", (prompt ? fmt::format("{:g}", *prompt) : "dataset") + " / " +
                                     number_or_dash(number_at(document, "output_tokens"))},
      {"SLO", slo_text(member(document, "slo"))},
      {"Labels", labels_text(member(document, "labels"))},
      {"Most efficient valid level", chosen_level(member(document, "most_efficient"))},
      {"Most efficient within the SLO",
       chosen_level(member(document, "most_efficient_within_slo"))},
  };
  for (const auto& level : member(document, "levels")) run.levels.push_back(level_of(level));
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
