#include "report/report_model.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <utility>

#include "core/statistics.hpp"
#include "models/cost_model.hpp"
#include "report/report_names.hpp"
#include "report/report_trace.hpp"
#include "report/run_reports.hpp"
#include "results/result_decoder.hpp"
#include "results/result_keys.hpp"

namespace joulebench::report {
namespace {

using results::ResultKind;
using results::ResultView;

constexpr const char* kLoadLabels[] = {results::keys::concurrency, "batch", results::keys::rate};

void judge(ReportGroup& group, const results::ValidityView& validity) {
  if (validity.verdict.empty()) return;
  ++group.judged;
  if (validity.valid()) {
    ++group.valid;
    return;
  }
  for (const auto& message : validity.failed_checks) {
    if (std::find(group.invalid_reasons.begin(), group.invalid_reasons.end(), message) ==
        group.invalid_reasons.end()) {
      group.invalid_reasons.push_back(message);
    }
  }
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

void ReportBuilder::add_to_group(Labels labels, std::optional<double> level, const std::string& id,
                                 const ResultView& result, const results::ValidityView& validity) {
  ReportGroup& group = group_for(std::move(labels), level);
  group.result_ids.push_back(id);
  // The samples are read exactly as `compare` reads them.
  models::add_result_samples(result, level, group.samples);
  judge(group, validity);
}

Expected<bool> ReportBuilder::group_document(const std::string& id, const ResultView& result) {
  if (result.kind == ResultKind::run || result.kind == ResultKind::monitor) {
    add_to_group(result.labels, std::nullopt, id, result, result.validity);
    return true;
  }
  if (result.kind != ResultKind::bench_openai) {
    return Error{std::string("a '") + results::kind_name(result.kind) +
                     "' result has no figures to report (use run, bench-openai or monitor results)",
                 id};
  }
  if (!result.levels) return Error{"the bench-openai result has no levels", id};
  for (const auto& level : *result.levels) {
    if (!level.load) continue;
    Labels labels = result.labels;
    labels[results::load_mode_name(level.mode)] = fmt::format("{:g}", *level.load);
    add_to_group(std::move(labels), level.load, id, result, level.validity);
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

ReportSource source_of(const std::string& id, const ResultView& result) {
  const std::string& start_time =
      result.start_time.empty() ? result.provenance.start_time : result.start_time;
  // A replayed trace says so in its provenance; a simulated device (the fake NVML of the demo)
  // is only known by the label the run was given.
  const bool replayed = result.provenance.simulated;
  const auto hardware_label = result.labels.find("hardware");
  const bool labelled =
      hardware_label != result.labels.end() && hardware_label->second == "simulated";
  const std::string hardware = replayed   ? "replayed trace"
                               : labelled ? "simulated (labelled hardware=simulated)"
                                          : "live";
  return {id,
          results::kind_name(result.kind),
          start_time,
          result.provenance.host,
          result.provenance.tool_version,
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
  // Everything the report reads comes from the decoded view; the "trace" it keeps is also what
  // load_result_file needs to find the recorded trace beside a result file.
  return results::view_document_filter();
}

ReportBuilder::ReportBuilder(const ReportOptions& options) {
  report_.tool_version = tool_version();
  report_.prices_usd_per_kwh = options.prices_usd_per_kwh.empty()
                                   ? models::default_prices_usd_per_kwh()
                                   : options.prices_usd_per_kwh;
}

Expected<bool> ReportBuilder::add(const ResultDocument& document) {
  const auto result = results::decode_result(document.document);
  if (!result) return Error{result.error().message, document.id};
  if (auto grouped = group_document(document.id, *result); !grouped) return grouped.error();
  report_.sources.push_back(source_of(document.id, *result));
  if (result->kind == ResultKind::bench_openai) {
    if (report_.bench_runs.size() < kMaxBenchRunsListed) {
      report_.bench_runs.push_back(bench_run_of(document.id, *result));
    } else {
      ++report_.bench_runs_unlisted;
    }
  }
  if (!document.trace_csv.empty()) {
    auto trace = power_trace(document.trace_csv, document.id, measured_windows(*result));
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
