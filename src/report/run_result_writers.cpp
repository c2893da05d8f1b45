#include "report/run_result_writers.hpp"

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

json iteration_json(const IterationResult& iteration) {
  json out = {{keys::index, iteration.index},
              {keys::warmup, iteration.warmup},
              {keys::exit_code, iteration.exit_code},
              {"scope", iteration.scope},
              {keys::duration_s, iteration.measurement.duration_s},
              {"peak_power_w", optional_json(iteration.measurement.peak_power_w)}};
  add_token_energy_fields(out, iteration.energy);
  json windows = json::array();
  for (const auto& window : iteration.windows) {
    windows.push_back({{keys::name, window.name},
                       {keys::start_s, window.measurement.start_s},
                       {keys::duration_s, window.measurement.duration_s},
                       {keys::energy_j, optional_json(window.measurement.energy_j)},
                       {"tokens", optional_json(window.tokens)}});
  }
  out[keys::windows] = std::move(windows);
  out[keys::validity] = to_json(iteration.validity);
  out[keys::measurement] = to_json(iteration.measurement);
  out["warnings"] = iteration.warnings;
  return out;
}

json summaries_json(const std::vector<FigureSummary>& figures) {
  json out = json::object();
  for (const auto& figure : figures) {
    json entry =
        figure.summary ? to_json(*figure.summary, figure.unit) : json{{"unit", figure.unit}};
    if (!figure.reason.empty()) entry["missing_reason"] = figure.reason;
    out[figure.name] = std::move(entry);
  }
  return out;
}

const FigureSummary* find_figure(const RunResult& result, const std::string& name) {
  for (const auto& figure : result.summaries) {
    if (figure.name == name) return &figure;
  }
  return nullptr;
}

json phase_spreading_json(const PhaseSpreading& spreading) {
  return {{"mode", spreading.mode},
          {"enabled", spreading.enabled},
          {"reason", spreading.reason},
          {"seed", spreading.seed},
          {"cycle_s", spreading.cycle_s},
          {"delays", spreading.delays},
          {"total_delay_s", spreading.total_delay_s}};
}

}  // namespace

std::string run_json(const RunResult& result, const Provenance& provenance) {
  json iterations = json::array();
  for (const auto& iteration : result.iterations) iterations.push_back(iteration_json(iteration));
  json out = {{keys::schema_version, kSchemaVersion},
              {keys::kind, results::kind_name(results::ResultKind::run)},
              {keys::command, result.command},
              {keys::labels, result.labels},
              {keys::start_time, provenance.start_time},
              {"interval_s", optional_json(provenance.interval_s)},
              {keys::iterations, std::move(iterations)},
              {"failed_iterations", result.failed_iterations},
              {keys::summary, summaries_json(result.summaries)},
              {"idle", to_json(result.idle)},
              {keys::validity, to_json(result.validity)},
              {keys::interrupted_by, optional_json(result.interrupted_by)},
              {keys::trace, optional_json(result.trace_path)},
              {keys::failed_because, optional_json(result.failed_because)},
              {keys::whole_run, to_json(result.whole_run)},
              {"phase_spreading", phase_spreading_json(result.phase_spreading)},
              {"warnings", result.warnings},
              {keys::provenance, provenance_json(provenance)}};
  return out.dump(2) + "\n";
}

std::string run_csv(const RunResult& result) {
  CsvText csv({"iteration", "warmup", "exit_code", "scope", "duration_s", "output_tokens",
               "output_tokens_per_s", "energy_j", "net_energy_j", "j_per_output_token",
               "j_per_output_token_net", "tokens_per_j", "avg_power_w", "valid"});
  for (const auto& it : result.iterations) {
    const auto& e = it.energy;
    csv.add_row({std::to_string(it.index), it.warmup ? "1" : "0", std::to_string(it.exit_code),
                 it.scope, csv_number(e.duration_s), csv_number(e.output_tokens),
                 csv_number(e.output_tokens_per_s), csv_number(e.energy_j),
                 csv_number(e.net_energy_j), csv_number(e.j_per_output_token),
                 csv_number(e.j_per_output_token_net), csv_number(e.tokens_per_j),
                 csv_number(e.avg_power_w), it.validity.valid ? "1" : "0"});
  }
  return csv.text();
}

std::string run_table(const RunResult& result) {
  TextTable table({"iter", "exit", "tokens", "tok/s", "energy J", "±% (95%)", "J/token",
                   "J/token net", "avg W", "valid"});
  for (const auto& it : result.iterations) {
    const auto& e = it.energy;
    table.add_row({std::to_string(it.index + 1) + (it.warmup ? " (w)" : ""),
                   std::to_string(it.exit_code), format_number(e.output_tokens, 0),
                   format_number(e.output_tokens_per_s, 1), format_number(e.energy_j, 1),
                   energy_share_text(e), format_number(e.j_per_output_token, 4),
                   format_number(e.j_per_output_token_net, 4), format_number(e.avg_power_w, 1),
                   it.validity.valid ? "yes" : "no"});
  }
  std::string out;
  if (!result.whole_run.devices.empty()) {
    out += "devices measured (summed):";
    for (const auto& device : result.whole_run.devices) {
      out += " " + device.device.id + (device.device.name.empty() ? "" : " " + device.device.name) +
             (&device == &result.whole_run.devices.back() ? "" : ";");
    }
    out += "\n";
  }
  out += table.render();
  out += kEnergyShareNote;
  if (const auto* jpt = find_figure(result, "j_per_output_token"); jpt && jpt->summary) {
    const auto& s = *jpt->summary;
    out += fmt::format("J/token: mean {} (95% CI {} .. {}), median {}, CV {}, n = {}\n",
                       format_number(s.mean, 4), format_number(s.ci.lower, 4),
                       format_number(s.ci.upper, 4), format_number(s.median, 4),
                       s.cv ? fmt::format("{:.1f}%", *s.cv * 100) : "-", s.n);
  }
  out += fmt::format("verdict: {}\n", result.validity.valid ? "valid" : "INVALID");
  for (const auto& check : result.validity.checks) {
    if (check.status != ValidityCheck::Status::pass) {
      out += fmt::format("  {}: {}\n", to_string(check.status), check.message);
    }
  }
  if (!result.idle.total_w) out += "note: net figures unavailable: " + result.idle.reason + "\n";
  return out;
}

}  // namespace joulebench::report
