#include "report/report_model.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <utility>

#include "core/statistics.hpp"
#include "models/cost_model.hpp"
#include "report/report_names.hpp"
#include "report/report_trace.hpp"
#include "report/run_reports.hpp"
#include "store/json_fields.hpp"

namespace joulebench::report {
namespace {

using joulebench::number_at;
using joulebench::text_at;
using nlohmann::json;

constexpr const char* kLoadLabels[] = {"concurrency", "batch", "rate"};

Labels labels_of(const json& document) {
  Labels labels;
  const auto given = document.find("labels");
  if (given == document.end() || !given->is_object()) return labels;
  for (const auto& [key, value] : given->items()) {
    if (value.is_string()) labels[key] = value.get<std::string>();
  }
  return labels;
}

void judge(ReportGroup& group, const json& validity) {
  const std::string verdict = text_at(validity, "verdict");
  if (verdict.empty()) return;
  ++group.judged;
  if (verdict == "valid") {
    ++group.valid;
    return;
  }
  const auto checks = validity.find("checks");
  if (checks == validity.end() || !checks->is_array()) return;
  for (const auto& check : *checks) {
    const std::string message = text_at(check, "message");
    if (text_at(check, "status") != "fail") continue;
    if (std::find(group.invalid_reasons.begin(), group.invalid_reasons.end(), message) ==
        group.invalid_reasons.end()) {
      group.invalid_reasons.push_back(message);
    }
  }
}

const json* validity_of(const json& object) {
  const auto found = object.find("validity");
  return found != object.end() && found->is_object() ? &*found : nullptr;
}

}  // namespace

ReportGroup& ReportBuilder::group_for(Labels labels, std::optional<double> level) {
  auto key = std::make_pair(labels, level);
  if (const auto found = group_index_.find(key); found != group_index_.end())
    return groups_[found->second];
  group_index_.emplace(std::move(key), groups_.size());
  ReportGroup& group = groups_.emplace_back();
  group.labels = std::move(labels);
  group.level = level;
  group.samples.values.resize(std::size(models::kAllMetrics));
  return group;
}

void ReportBuilder::add_to_group(Labels labels, std::optional<double> level,
                                 const ResultDocument& result, const json* validity) {
  ReportGroup& group = group_for(std::move(labels), level);
  group.result_ids.push_back(result.id);
  // The samples are read exactly as `compare` reads them.
  models::add_document_samples(result.document, level, group.samples);
  if (validity != nullptr) judge(group, *validity);
}

Expected<bool> ReportBuilder::group_document(const ResultDocument& result) {
  const json& document = result.document;
  const std::string kind = text_at(document, "kind");
  if (kind == "run" || kind == "monitor") {
    add_to_group(labels_of(document), std::nullopt, result, validity_of(document));
    return true;
  }
  if (kind != "bench-openai") {
    return Error{"a '" + kind +
                     "' result has no figures to report (use run, bench-openai or monitor results)",
                 result.id};
  }
  const auto levels = document.find("levels");
  if (levels == document.end() || !levels->is_array())
    return Error{"the bench-openai result has no levels", result.id};
  for (const auto& level : *levels) {
    const bool closed_loop = level.contains("concurrency");
    const auto load = number_at(level, closed_loop ? "concurrency" : "rate");
    if (!load) continue;
    Labels labels = labels_of(document);
    labels[closed_loop ? "concurrency" : "rate"] = fmt::format("{:g}", *load);
    add_to_group(std::move(labels), load, result, validity_of(level));
  }
  return true;
}

namespace {

FigureStats figure_stats(const std::vector<double>& values) {
  FigureStats stats;
  stats.n = values.size();
  stats.mean = mean(values);
  stats.cv = coefficient_of_variation(values);
  if (auto ci = mean_confidence_interval(values)) {
    stats.ci_lower = ci->lower;
    stats.ci_upper = ci->upper;
  }
  return stats;
}

// The load a configuration ran at: its bench level, else a concurrency/batch/rate label.
void set_load(ReportConfig& config, const ReportGroup& group) {
  for (const char* key : kLoadLabels) {
    const auto found = config.labels.find(key);
    if (found == config.labels.end()) continue;
    char* end = nullptr;
    const double value = std::strtod(found->second.c_str(), &end);
    if (end != found->second.c_str() && *end == '\0') {
      config.load = value;
      config.load_key = key;
      return;
    }
  }
  if (group.level) {
    config.load = group.level;
    config.load_key = "level";
  }
}

ReportConfig make_config(ReportGroup& group, const std::vector<double>& prices) {
  ReportConfig config;
  config.labels = group.labels;
  set_load(config, group);
  config.result_ids = std::move(group.result_ids);
  config.samples = std::move(group.samples);
  for (const auto& values : config.samples.values) config.figures.push_back(figure_stats(values));
  config.valid = group.valid;
  config.judged = group.judged;
  config.invalid_reasons = std::move(group.invalid_reasons);
  const auto& j_per_token = config.figure(models::Metric::j_per_output_token).mean;
  for (const double price : prices)
    config.energy_usd_per_million_tokens.push_back(energy_cost(j_per_token, price));
  return config;
}

ReportSource source_of(const ResultDocument& result) {
  const json& document = result.document;
  const json provenance = document.value("provenance", json::object());
  std::string start_time = text_at(document, "start_time");
  if (start_time.empty()) start_time = text_at(provenance, "start_time");
  // A replayed trace says so in its provenance; a simulated device (the fake NVML of the demo)
  // is only known by the label the run was given.
  const bool replayed = provenance.value("simulated", false);
  const bool labelled =
      text_at(document.value("labels", json::object()), "hardware") == "simulated";
  const std::string hardware = replayed   ? "replayed trace"
                               : labelled ? "simulated (labelled hardware=simulated)"
                                          : "live";
  return {result.id,
          text_at(document, "kind"),
          start_time,
          text_at(provenance, "host"),
          text_at(provenance, "tool_version"),
          replayed || labelled,
          hardware};
}

}  // namespace

std::optional<double> energy_cost(const std::optional<double>& j_per_token, double usd_per_kwh) {
  if (!j_per_token) return std::nullopt;
  models::CostInputs inputs;
  inputs.j_per_token = *j_per_token;
  inputs.usd_per_kwh = usd_per_kwh;
  auto figures = models::cost(inputs);
  if (!figures) return std::nullopt;
  return figures->energy_usd_per_million_tokens;
}

const DocumentFilter& report_document_filter() {
  // Every key read here, in result_samples (the metrics), in report_trace (the windows), in
  // report_bench_runs and by load_result_file ("trace": the recorded trace beside a result file).
  static const DocumentFilter filter = [] {
    DocumentFilter keys{{"schema_version",
                         "kind",
                         "iterations",
                         "levels",
                         "warmup",
                         "exit_code",
                         "index",
                         "concurrency",
                         "rate",
                         "level",
                         "j_per_output_token",
                         "j_per_output_token_net",
                         "tokens_per_j",
                         "output_tokens_per_s",
                         "avg_power_w",
                         "energy_j",
                         "validity",
                         "verdict",
                         "checks",
                         "status",
                         "message",
                         "name",
                         "windows",
                         "measurement",
                         "start_s",
                         "duration_s",
                         "summary",
                         "mean",
                         "gross",
                         "provenance",
                         "host",
                         "tool_version",
                         "simulated",
                         "start_time",
                         "trace"},
                        {"labels", "devices_measured"}};
    for (const char* key : bench_run_keys()) keys.keys.insert(key);
    return keys;
  }();
  return filter;
}

ReportBuilder::ReportBuilder(const ReportOptions& options) {
  report_.tool_version = tool_version();
  report_.prices_usd_per_kwh = options.prices_usd_per_kwh.empty()
                                   ? models::default_prices_usd_per_kwh()
                                   : options.prices_usd_per_kwh;
}

Expected<bool> ReportBuilder::add(const ResultDocument& result) {
  if (auto grouped = group_document(result); !grouped) return grouped.error();
  report_.sources.push_back(source_of(result));
  if (text_at(result.document, "kind") == "bench-openai") {
    if (report_.bench_runs.size() < kMaxBenchRunsListed) {
      report_.bench_runs.push_back(bench_run_of(result));
    } else {
      ++report_.bench_runs_unlisted;
    }
  }
  if (!result.trace_csv.empty()) {
    auto trace = power_trace(result.trace_csv, result.id, measured_windows(result));
    if (!trace) return trace.error();
    report_.traces.push_back(std::move(*trace));
  }
  return true;
}

Expected<Report> ReportBuilder::finish() && {
  if (report_.sources.empty())
    return Error{"no results to report (give result files, run ids or --label filters)"};
  for (auto& group : groups_)
    report_.configs.push_back(make_config(group, report_.prices_usd_per_kwh));
  name_configs(report_);
  return std::move(report_);
}

Expected<Report> build_report(const std::vector<ResultDocument>& documents,
                              const ReportOptions& options) {
  ReportBuilder builder(options);
  for (const auto& result : documents) {
    if (auto added = builder.add(result); !added) return added.error();
  }
  return std::move(builder).finish();
}

}  // namespace joulebench::report
