// `joulebench report [RESULT... | --label k=v] --format md|html|csv|json`: tables per
// configuration, charts, validity and provenance of stored or written results; with
// --template, a document whose {{ selector : metric }} placeholders are filled instead.
#include <algorithm>
#include <filesystem>
#include <memory>
#include <utility>

#include "commands.hpp"
#include "flag_suggestions.hpp"
#include "platform/files.hpp"
#include "report/report_template.hpp"
#include "report/report_trace.hpp"
#include "report/report_writers.hpp"
#include "store/result_refs.hpp"

namespace joulebench::cli {
namespace {

struct ReportFlags {
  std::vector<std::string> references;
  std::vector<std::string> labels;
  std::string format = "md";
  bool json = false;
  std::string output = "-";
  std::string template_path;
  std::string trace_path;
  std::vector<double> prices_usd_per_kwh;
  std::string db;
};

// A directory stands for the result files in it (*.json, by name), so a folder of results
// can be reported without a shell glob's argument-length limit.
Expected<std::vector<std::string>> expand_references(const ReportFlags& flags) {
  std::vector<std::string> out;
  for (const auto& reference : flags.references) {
    std::error_code error;
    if (!std::filesystem::is_directory(reference, error)) {
      out.push_back(reference);
      continue;
    }
    std::vector<std::string> files;
    for (const auto& entry : std::filesystem::directory_iterator(reference, error)) {
      if (entry.path().extension() == ".json") files.push_back(entry.path().string());
    }
    if (files.empty())
      return Error{"'" + reference + "' is a directory with no .json result files"};
    std::sort(files.begin(), files.end());
    out.insert(out.end(), files.begin(), files.end());
  }
  for (const auto& label : flags.labels) {
    const auto equals = label.find('=');
    if (equals == std::string::npos || equals == 0 || equals + 1 == label.size()) {
      return Error{"--label: '" + label + "' is not a filter key=value"};
    }
    out.push_back(label);
  }
  if (out.empty()) return Error{"report: give result files, run ids or --label filters"};
  return out;
}

Expected<std::string> render(const ReportFlags& flags, const report::Report& model) {
  if (!flags.template_path.empty()) {
    auto text = platform::read_file(flags.template_path);
    if (!text) return Error{"--template: " + text.error().what_line()};
    return report::fill_template(*text, flags.template_path, model);
  }
  const std::string format = flags.json ? "json" : flags.format;
  if (format == "md") return report::report_markdown(model);
  if (format == "html") return report::report_html(model);
  if (format == "csv") return report::report_csv(model);
  return report::report_json(model);
}

int run_report(const ReportFlags& flags) {
  for (const double price : flags.prices_usd_per_kwh) {
    if (!(price > 0.0))
      return usage_error("--price-kwh: " + std::to_string(price) + " is not a positive price");
  }
  auto references = expand_references(flags);
  if (!references) return usage_error(references.error());
  std::string trace;
  if (!flags.trace_path.empty()) {
    auto read = platform::read_file(flags.trace_path);
    if (!read) return usage_error("--input-trace: " + read.error().what_line());
    // Parsed here first so that a bad trace is reported with its own file name and line.
    if (auto parsed = report::power_trace(*read, flags.trace_path, {}); !parsed)
      return usage_error(parsed.error());
    trace = std::move(*read);
  }
  // Documents are folded into the report one at a time: memory stays that of one document.
  report::ReportBuilder builder(report::ReportOptions{flags.prices_usd_per_kwh});
  const ResolveOptions options{flags.db, &report::report_document_filter()};
  auto visited = visit_result_refs(*references, options, [&](ResultDocument&& document) {
    if (!trace.empty())
      document.trace_csv = std::exchange(trace, std::string());  // --trace: the first result's
    return builder.add(document);
  });
  if (!visited) return usage_error(visited.error());
  auto model = std::move(builder).finish();
  if (!model) return usage_error(model.error());
  auto text = render(flags, *model);
  if (!text) return usage_error(text.error());
  auto written = platform::write_file_atomically(flags.output, *text);
  return written ? 0 : usage_error(written.error());
}

}  // namespace

Command add_report_command(CLI::App& parent) {
  auto flags = std::make_shared<ReportFlags>();
  CLI::App* app = parent.add_subcommand(
      "report",
      "Report results per configuration: tables, charts (HTML), validity, provenance, templates");
  app->add_option("results", flags->references,
                  "result files, directories of them, run ids or label filters (k=v)");
  app->add_option("--label", flags->labels,
                  "label filter key=value (same as giving it as a result)");
  app->add_option("--format", flags->format, "md, html, csv or json (default md)")
      ->check(CLI::IsMember({"md", "html", "csv", "json"}));
  app->add_flag("--json", flags->json, "same as --format json");
  app->add_option("-o,--output", flags->output, "output file, - for stdout (default -)");
  app->add_option(
      "--template", flags->template_path,
      "fill the {{ selector : metric }} placeholders of this document instead (see README)");
  app->add_option("--input-trace", flags->trace_path,
                  "read this power trace (joulebench trace or nvidia-smi CSV) for the first "
                  "result's chart (default: the trace the result records)")
      ->type_name("FILE");
  add_refused_flag(*app, "--trace",
                   "names a trace to record in monitor, run and bench; to draw a recorded "
                   "trace here use --input-trace FILE");
  app->add_option(
         "--price-kwh", flags->prices_usd_per_kwh,
         "electricity prices in USD/kWh, as cost takes them: 0.1,0.2 (default 0.10,0.20,0.30)")
      ->delimiter(',');
  app->add_option("--db", flags->db, "results store, for run ids and label filters");
  return {app, [flags] { return run_report(*flags); }};
}

}  // namespace joulebench::cli
