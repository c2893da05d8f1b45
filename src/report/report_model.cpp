#include "report/report_model.hpp"

#include <fmt/format.h>

#include <set>

#include "core/statistics.hpp"
#include "models/cost_model.hpp"
#include "models/json_fields.hpp"
#include "report/report_names.hpp"
#include "report/report_trace.hpp"
#include "report/run_reports.hpp"

namespace joulebench::report {
namespace {

using nlohmann::json;
using models::number_at;
using models::text_at;

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

// A configuration before its statistics: the documents (or one level of them) it pools.
struct Group {
  Labels labels;
  std::optional<double> level;  // bench-openai level taken from each document
  std::vector<const ResultDocument*> documents;
  std::vector<const json*> verdicts;  // the validity objects that judge its samples
};

void add_to_group(std::vector<Group>& groups, Labels labels, std::optional<double> level,
                  const ResultDocument& result, const json* validity) {
  for (auto& group : groups) {
    if (group.labels == labels && group.level == level) {
      group.documents.push_back(&result);
      if (validity != nullptr) group.verdicts.push_back(validity);
      return;
    }
  }
  groups.push_back({std::move(labels), level, {&result}, {}});
  if (validity != nullptr) groups.back().verdicts.push_back(validity);
}

const json* validity_of(const json& object) {
  const auto found = object.find("validity");
  return found != object.end() && found->is_object() ? &*found : nullptr;
}

Expected<bool> group_document(std::vector<Group>& groups, const ResultDocument& result) {
  const json& document = result.document;
  const std::string kind = text_at(document, "kind");
  if (kind == "run" || kind == "monitor") {
    add_to_group(groups, labels_of(document), std::nullopt, result, validity_of(document));
    return true;
  }
  if (kind != "bench-openai") {
    return Error{"a '" + kind + "' result has no figures to report (use run, bench-openai or monitor results)", result.id};
  }
  const auto levels = document.find("levels");
  if (levels == document.end() || !levels->is_array()) return Error{"the bench-openai result has no levels", result.id};
  for (const auto& level : *levels) {
    const bool closed_loop = level.contains("concurrency");
    const auto load = number_at(level, closed_loop ? "concurrency" : "rate");
    if (!load) continue;
    Labels labels = labels_of(document);
    labels[closed_loop ? "concurrency" : "rate"] = fmt::format("{:g}", *load);
    add_to_group(groups, std::move(labels), load, result, validity_of(level));
  }
  return true;
}

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

void judge(ReportConfig& config, const std::vector<const json*>& verdicts) {
  std::set<std::string> seen;
  for (const json* validity : verdicts) {
    const std::string verdict = text_at(*validity, "verdict");
    if (verdict.empty()) continue;
    ++config.judged;
    if (verdict == "valid") {
      ++config.valid;
      continue;
    }
    const auto checks = validity->find("checks");
    if (checks == validity->end() || !checks->is_array()) continue;
    for (const auto& check : *checks) {
      const std::string message = text_at(check, "message");
      if (text_at(check, "status") == "fail" && seen.insert(message).second) config.invalid_reasons.push_back(message);
    }
  }
}

// The load a configuration ran at: its bench level, else a concurrency/batch/rate label.
void set_load(ReportConfig& config, const Group& group) {
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

ReportConfig make_config(const Group& group, const std::vector<double>& prices) {
  ReportConfig config;
  config.labels = group.labels;
  set_load(config, group);
  config.samples = models::SideSamples{{}, {}, std::vector<std::vector<double>>(std::size(models::kAllMetrics))};
  for (const ResultDocument* result : group.documents) {
    config.result_ids.push_back(result->id);
    // side_samples reads one document's samples exactly as `compare` does.
    const auto one = models::side_samples({{*result}}, group.level);
    for (std::size_t m = 0; m < one.front().values.size(); ++m) {
      auto& into = config.samples.values[m];
      into.insert(into.end(), one.front().values[m].begin(), one.front().values[m].end());
    }
  }
  for (const auto& values : config.samples.values) config.figures.push_back(figure_stats(values));
  judge(config, group.verdicts);
  const auto& j_per_token = config.figure(models::Metric::j_per_output_token).mean;
  for (const double price : prices) config.energy_usd_per_million_tokens.push_back(energy_cost(j_per_token, price));
  return config;
}

ReportSource source_of(const ResultDocument& result) {
  const json& document = result.document;
  const json provenance = document.value("provenance", json::object());
  std::string start_time = text_at(document, "start_time");
  if (start_time.empty()) start_time = text_at(provenance, "start_time");
  return {result.id, text_at(document, "kind"), start_time, text_at(provenance, "host"),
          text_at(provenance, "tool_version"), provenance.value("simulated", false)};
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

Expected<Report> build_report(const std::vector<ResultDocument>& documents, const ReportOptions& options) {
  if (documents.empty()) return Error{"no results to report (give result files, run ids or --label filters)"};
  Report report;
  report.tool_version = tool_version();
  report.prices_usd_per_kwh = options.prices_usd_per_kwh.empty() ? models::default_prices_usd_per_kwh()
                                                                 : options.prices_usd_per_kwh;
  std::vector<Group> groups;
  for (const auto& result : documents) {
    if (auto grouped = group_document(groups, result); !grouped) return grouped.error();
    report.sources.push_back(source_of(result));
    if (!result.trace_csv.empty()) {
      auto trace = power_trace(result.trace_csv, result.id, measured_windows(result));
      if (!trace) return trace.error();
      report.traces.push_back(std::move(*trace));
    }
  }
  for (const auto& group : groups) report.configs.push_back(make_config(group, report.prices_usd_per_kwh));
  name_configs(report);
  return report;
}

}  // namespace joulebench::report
