#include "report/serving_writers.hpp"

#include <fmt/format.h>

#include "report/bench_json.hpp"
#include "report/csv_text.hpp"
#include "report/json_values.hpp"
#include "report/text_table.hpp"
#include "results/result_keys.hpp"
#include "results/result_kind.hpp"

namespace joulebench::report {

using json = nlohmann::ordered_json;
namespace keys = results::keys;

namespace {

json latency_json(const LatencyPercentiles& latency) {
  return {{"n", latency.n},
          {keys::mean, optional_json(latency.mean_ms)},
          {keys::p50, optional_json(latency.p50_ms)},
          {keys::p90, optional_json(latency.p90_ms)},
          {keys::p99, optional_json(latency.p99_ms)}};
}

json level_json(const LevelResult& level) {
  json out = {{to_string(level.mode), level.level}};
  add_token_energy_fields(out, level.energy);
  out["total_tokens_per_s"] = optional_json(level.total_tokens_per_s);
  out["total_tokens_per_s_reason"] =
      level.total_tokens_reason.empty() ? json(nullptr) : json(level.total_tokens_reason);
  out["j_per_request"] = optional_json(level.j_per_request);
  out["peak_power_w"] = optional_json(level.measurement.peak_power_w);
  out["requests_completed"] = level.requests_completed;
  out["requests_issued"] = level.requests_issued;
  out["failed_requests"] = level.failed_requests;
  out["failures_by_reason"] = level.failures_by_reason;
  out["first_errors"] = level.first_errors;
  out["requests_cut_at_end"] = level.cut_at_end;
  out["max_in_flight"] = level.max_in_flight;
  out[keys::ttft_ms] = latency_json(level.ttft);
  out[keys::itl_ms] = latency_json(level.itl);
  out["e2e_ms"] = latency_json(level.e2e);
  out[keys::slo_met] = optional_json(level.slo_met);
  out["window"] = level.window_note;
  out[keys::validity] = to_json(level.validity);
  out[keys::measurement] = to_json(level.measurement);
  out["warnings"] = level.warnings;
  return out;
}

json curve_json(const ServingBenchResult& result) {
  json curve = json::array();
  for (const auto& level : result.levels) {
    curve.push_back({{to_string(level.mode), level.level},
                     {keys::output_tokens_per_s, optional_json(level.energy.output_tokens_per_s)},
                     {keys::j_per_output_token, optional_json(level.energy.j_per_output_token)}});
  }
  return curve;
}

json level_index_json(const ServingBenchResult& result, const std::optional<std::size_t>& index) {
  if (!index) return nullptr;
  const auto& level = result.levels[*index];
  return {{to_string(level.mode), level.level},
          {keys::j_per_output_token, optional_json(level.energy.j_per_output_token)}};
}

std::string level_label(const LevelResult& level) {
  return fmt::format("{} {}", level.mode == LoadMode::concurrency ? "c" : "rate", level.level);
}

}  // namespace

std::string serving_json(const ServingBenchResult& result, const Provenance& provenance) {
  json levels = json::array();
  for (const auto& level : result.levels) levels.push_back(level_json(level));
  json provenance_out = provenance_json(provenance);
  provenance_out["server_url"] = result.url;
  provenance_out[keys::model] = result.model;
  provenance_out["api"] = result.api;
  provenance_out["prompts"] = result.prompt_source;
  provenance_out[keys::labels] = result.labels;
  provenance_out[keys::devices_measured] = result.devices_measured;
  provenance_out["devices_note"] = result.devices_note;
  json out = {{keys::schema_version, kSchemaVersion},
              {keys::kind, results::kind_name(results::ResultKind::bench_openai)},
              {keys::start_time, provenance.start_time},
              {"interval_s", optional_json(provenance.interval_s)},
              {keys::url, result.url},
              {keys::model, result.model},
              {keys::prompt_tokens, optional_json(result.prompt_tokens)},
              {keys::output_tokens, result.output_tokens},
              {keys::labels, result.labels},
              {keys::slo,
               {{keys::ttft_p90_ms, optional_json(result.slo.ttft_p90_ms)},
                {keys::itl_p90_ms, optional_json(result.slo.itl_p90_ms)}}},
              {"idle", to_json(result.idle)},
              {keys::levels, std::move(levels)},
              {"efficiency_curve", curve_json(result)},
              {keys::most_efficient, level_index_json(result, result.most_efficient_level)},
              {keys::most_efficient_within_slo,
               level_index_json(result, result.most_efficient_level_in_slo)},
              {keys::interrupted_by, optional_json(result.interrupted_by)},
              {keys::failed_because, optional_json(result.failed_because)},
              {keys::trace, optional_json(result.trace_path)},
              {"warnings", result.warnings},
              {keys::provenance, std::move(provenance_out)}};
  return out.dump(2) + "\n";
}

std::string serving_csv(const ServingBenchResult& result) {
  CsvText csv({"mode",
               "level",
               "output_tokens",
               "output_tokens_per_s",
               "total_tokens_per_s",
               "energy_j",
               "j_per_output_token",
               "j_per_output_token_net",
               "tokens_per_j",
               "j_per_request",
               "avg_power_w",
               "peak_power_w",
               "ttft_p50_ms",
               "ttft_p90_ms",
               "ttft_p99_ms",
               "itl_p50_ms",
               "itl_p90_ms",
               "itl_p99_ms",
               "failed_requests",
               "valid"});
  for (const auto& level : result.levels) {
    const auto& e = level.energy;
    csv.add_row({to_string(level.mode),
                 fmt::format("{}", level.level),
                 csv_number(e.output_tokens),
                 csv_number(e.output_tokens_per_s),
                 csv_number(level.total_tokens_per_s),
                 csv_number(e.energy_j),
                 csv_number(e.j_per_output_token),
                 csv_number(e.j_per_output_token_net),
                 csv_number(e.tokens_per_j),
                 csv_number(level.j_per_request),
                 csv_number(e.avg_power_w),
                 csv_number(level.measurement.peak_power_w),
                 csv_number(level.ttft.p50_ms),
                 csv_number(level.ttft.p90_ms),
                 csv_number(level.ttft.p99_ms),
                 csv_number(level.itl.p50_ms),
                 csv_number(level.itl.p90_ms),
                 csv_number(level.itl.p99_ms),
                 std::to_string(level.failed_requests),
                 level.validity.valid ? "1" : "0"});
  }
  return csv.text();
}

std::string serving_table(const ServingBenchResult& result) {
  TextTable table({"level", "tok/s", "J/token", "±% (95%)", "J/token net", "tokens/J", "avg W",
                   "TTFT p90 ms", "ITL p90 ms", "failed", "valid"});
  for (const auto& level : result.levels) {
    const auto& e = level.energy;
    table.add_row({level_label(level), format_number(e.output_tokens_per_s, 1),
                   format_number(e.j_per_output_token, 4), energy_share_text(e),
                   format_number(e.j_per_output_token_net, 4), format_number(e.tokens_per_j, 3),
                   format_number(e.avg_power_w, 1), format_number(level.ttft.p90_ms, 1),
                   format_number(level.itl.p90_ms, 1), std::to_string(level.failed_requests),
                   level.validity.valid ? "yes" : "no"});
  }
  std::string out;
  if (!result.devices_measured.empty()) {
    out += "devices measured (summed): ";
    for (std::size_t i = 0; i < result.devices_measured.size(); ++i) {
      out += (i == 0 ? "" : "; ") + result.devices_measured[i];
    }
    out += "\n";
  }
  out += table.render();
  out += kEnergyShareNote;
  if (result.most_efficient_level) {
    const auto& best = result.levels[*result.most_efficient_level];
    out += fmt::format("most efficient valid level: {} at {} J/token\n", level_label(best),
                       format_number(best.energy.j_per_output_token, 4));
  }
  if (result.slo.any()) {
    if (result.most_efficient_level_in_slo) {
      const auto& best = result.levels[*result.most_efficient_level_in_slo];
      out += fmt::format("most efficient within the SLO: {} at {} J/token\n", level_label(best),
                         format_number(best.energy.j_per_output_token, 4));
    } else {
      out += "no level met the SLO\n";
    }
  }
  for (const auto& level : result.levels) {
    for (const auto& check : level.validity.checks) {
      if (check.status == ValidityCheck::Status::fail) {
        out += fmt::format("{}: invalid: {}\n", level_label(level), check.message);
      }
    }
    for (const auto& warning : level.warnings) {
      out += fmt::format("{}: warning: {}\n", level_label(level), warning);
    }
  }
  if (result.failed_because) out += "failed: " + *result.failed_because + "\n";
  if (!result.idle.total_w) out += "note: net figures unavailable: " + result.idle.reason + "\n";
  return out;
}

}  // namespace joulebench::report
