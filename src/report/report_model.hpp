// The model behind `joulebench report`: result documents grouped into configurations (runs
// that share their labels; one configuration per level of a bench-openai document), with
// per-configuration statistics, energy cost, validity, provenance and power traces. Every
// writer (Markdown, HTML, CSV, JSON, templates) is a pure function of this model.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "joulebench/error.hpp"
#include "models/result_samples.hpp"
#include "report/report_bench_runs.hpp"
#include "results/document_filter.hpp"
#include "results/result_document.hpp"
#include "results/result_view.hpp"

namespace joulebench::report {

using Labels = results::Labels;

// One figure over a configuration's samples; null fields when undefined (n < 2, no samples).
struct FigureStats {
  std::size_t n = 0;
  std::optional<double> mean;
  std::optional<double> ci_lower;  // 95% CI of the mean (Student's t)
  std::optional<double> ci_upper;
  std::optional<double> cv;  // stddev / mean, a ratio
};

struct ReportConfig {
  std::string name;  // the labels that tell configurations apart, e.g. "precision=fp16 batch=8"
  Labels labels;     // every label, with "concurrency"/"rate" added for a bench-openai level
  std::optional<double> load;  // concurrency, rate or batch (the x of J/token-vs-load charts)
  std::string load_key;        // which of them; empty when unknown
  std::vector<std::string> result_ids;
  models::SideSamples samples;       // the values, per metric in models::kAllMetrics order
  std::vector<FigureStats> figures;  // per metric, same order
  std::vector<std::optional<double>>
      energy_usd_per_million_tokens;         // per Report::prices_usd_per_kwh
  std::size_t valid = 0;                     // documents/levels judged valid
  std::size_t judged = 0;                    // documents/levels with a verdict
  std::vector<std::string> invalid_reasons;  // messages of the failed checks

  const FigureStats& figure(models::Metric metric) const {
    return figures[static_cast<std::size_t>(metric)];
  }
};

struct ReportSource {
  std::string id;
  std::string kind;  // results::kind_name of the document
  std::string start_time;
  std::string host;
  std::string tool_version;
  bool simulated = false;  // not live hardware: a replayed trace, or labelled hardware=simulated
  std::string hardware;    // "live", "replayed trace", "simulated (labelled hardware=simulated)"
};

struct ReportWindow {
  double start_s = 0.0;
  double end_s = 0.0;
  std::string name;
};

// Power over time of one recorded run, with its measured windows (to shade).
struct ReportTrace {
  std::string source;  // the trace file or the run id
  std::vector<std::string> devices;
  std::vector<std::vector<std::pair<double, double>>> power_w;  // per device: (time_s, power_w)
  std::vector<ReportWindow> windows;
};

struct Report {
  std::vector<double> prices_usd_per_kwh;
  std::vector<std::string> label_keys;  // labels that differ between configurations (table columns)
  std::vector<ReportConfig> configs;
  std::vector<ReportSource> sources;
  std::vector<ReportTrace> traces;
  std::vector<ReportBenchRun> bench_runs;  // the first kMaxBenchRunsListed bench-openai runs
  std::size_t bench_runs_unlisted = 0;     // the others
  std::string tool_version;
};

struct ReportOptions {
  std::vector<double> prices_usd_per_kwh;  // empty: the seeds' $0.10, $0.20, $0.30
};

// A configuration being accumulated: the samples and verdicts of the documents (or one level
// of them) it pools, not the documents themselves.
struct ReportGroup {
  Labels labels;
  std::optional<double> level;  // bench-openai level taken from each document
  std::vector<std::string> result_ids;
  models::SideSamples samples;
  std::size_t valid = 0;
  std::size_t judged = 0;
  std::vector<std::string> invalid_reasons;
};

// Builds a Report one document at a time and keeps only figures, so that a report over
// 10,000 stored runs needs the memory of one document, not of all of them.
// Thread-safety: none; one builder per report.
class ReportBuilder {
 public:
  explicit ReportBuilder(const ReportOptions& options);
  // Errors: a document of a kind that has no figures, a bad trace (naming it).
  Expected<bool> add(const ResultDocument& result);
  // Errors: nothing was added.
  Expected<Report> finish() &&;

 private:
  Expected<bool> group_document(const std::string& id, const results::ResultView& result);
  void add_to_group(Labels labels, std::optional<double> level, const std::string& id,
                    const results::ResultView& result, const results::ValidityView& validity);
  ReportGroup& group_for(Labels labels, std::optional<double> level);

  Report report_;
  std::vector<ReportGroup> groups_;  // in the order their first document came
  std::map<std::pair<Labels, std::optional<double>>, std::size_t> group_index_;
};

// Groups `documents` into configurations (a ReportBuilder over them). Errors: no documents,
// a document of a kind that has no figures (naming it).
Expected<Report> build_report(const std::vector<ResultDocument>& documents,
                              const ReportOptions& options);

// The parts of result documents that build_report reads; load documents with it
// (ResolveOptions::filter) so that a report over thousands of runs parses only those.
const DocumentFilter& report_document_filter();

// Energy cost of a million output tokens at `usd_per_kwh` (models::cost, facility factor 1);
// null without a J/token.
std::optional<double> energy_cost(const std::optional<double>& j_per_token, double usd_per_kwh);

}  // namespace joulebench::report
