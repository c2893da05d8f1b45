// `joulebench analyze FILE`: the monitor's summary, computed offline from a recorded trace
// or an nvidia-smi log, streaming (a 10-million-row log is never held in memory).
#include <iostream>
#include <memory>

#include "calibration_flag.hpp"
#include "commands.hpp"
#include "core/calibration.hpp"
#include "core/energy_uncertainty.hpp"
#include "core/offline.hpp"
#include "models/catalog.hpp"
#include "models/device_facts.hpp"
#include "part_time_sampling.hpp"
#include "report/run_reports.hpp"
#include "sensors/replay/trace.hpp"

namespace joulebench::cli {
namespace {

struct AnalyzeFlags {
  std::string file;
  std::string from;
  std::string to;
  OutputFlags out;
  CalibrationFlag calibration;
  bool skip_bad_lines = false;
};

// Feeds parsed rows straight into the offline summarizer.
class SummarizingSink : public TraceSink {
 public:
  SummarizingSink(std::optional<double> from_s, std::optional<double> to_s)
      : from_s_(from_s), to_s_(to_s) {}

  void on_devices(const std::vector<DeviceInfo>& devices) override {
    std::vector<DeviceInfo> described = devices;
    if (auto describe = models::catalog_device_facts()) {
      for (auto& device : described) describe(device);
    }
    summarizer_ = std::make_unique<OfflineSummarizer>(std::move(described), from_s_, to_s_);
  }
  void on_sample(std::size_t device, const Sample& sample) override {
    summarizer_->add(device, sample);
  }
  void on_lost(std::size_t device, TimeNs time_ns) override {
    summarizer_->mark_lost(device, time_ns);
  }
  void on_gap(std::size_t device) override { summarizer_->mark_gap(device); }

  std::optional<Measurement> finish() {
    if (!summarizer_) return std::nullopt;
    return summarizer_->finish("analyze");
  }

 private:
  std::optional<double> from_s_;
  std::optional<double> to_s_;
  std::unique_ptr<OfflineSummarizer> summarizer_;
};

// The catalog's board power (TDP) of a GPU by the name the trace gives ("NVIDIA A100-SXM4-80GB"),
// for the plausibility bound of a trace without a power-limit column.
std::function<std::optional<double>(const DeviceInfo&)> catalog_power_limit() {
  auto catalog = models::load_gpu_catalog("");
  if (!catalog) return {};
  return [specs = std::move(catalog.value())](const DeviceInfo& device) -> std::optional<double> {
    auto spec = models::find_gpu_for_device(specs, device.name);
    return spec ? spec->tdp_w : std::nullopt;
  };
}

Expected<std::optional<double>> optional_seconds(const std::string& text, const char* flag) {
  if (text.empty()) return std::optional<double>();
  auto duration = parse_duration(text, flag);
  if (!duration) return duration.error();
  return std::optional<double>(std::chrono::duration<double>(*duration).count());
}

int run_analyze(const AnalyzeFlags& flags) {
  auto from_s = optional_seconds(flags.from, "--from");
  if (!from_s) return usage_error(from_s.error());
  auto to_s = optional_seconds(flags.to, "--to");
  if (!to_s) return usage_error(to_s.error());
  if (*from_s && *to_s && **to_s <= **from_s) return usage_error("--to: must be later than --from");

  SummarizingSink sink(*from_s, *to_s);
  TraceParseOptions options;
  options.skip_bad_lines = flags.skip_bad_lines;
  options.board_power_limit_w = catalog_power_limit();
  auto summary = parse_trace_file(flags.file, options, sink);
  if (!summary) return usage_error(summary.error());
  auto measurement = sink.finish();
  if (!measurement || summary->rows == 0)
    return usage_error(Error{"no samples in the file", flags.file});

  report::AnalyzeReport report;
  report.file = flags.file;
  report.format = summary->format;
  report.rows = summary->rows;
  report.skipped_lines = summary->skipped_lines;
  report.from_s = *from_s;
  report.to_s = *to_s;
  report.trace_notes = summary->notes;
  report.measurement = std::move(*measurement);
  std::vector<DeviceInfo> devices;
  for (const auto& device : report.measurement.devices) devices.push_back(device.device);
  auto calibrations = flags.calibration.load(devices);
  if (!calibrations) return usage_error(calibrations.error());
  calibrate_measurement(report.measurement, *calibrations);
  add_energy_uncertainty(report.measurement);
  // A power column standing in for the preferred one changes what the energy means.
  for (const auto& note : summary->notes) {
    const bool stands_in = note.find("power_w") != std::string::npos &&
                           (note.ends_with("is not available") || note.ends_with("in any row"));
    if (stands_in) {
      report.measurement.warnings.push_back(note);
    }
  }
  for (const auto& warning : summary->warnings) report.measurement.warnings.push_back(warning);
  for (const auto& skipped : summary->skipped_examples) {
    report.measurement.warnings.push_back("skipped: " + skipped.what_line());
  }
  return flags.out.write(report::analyze_json(report),
                         report::measurement_table(report.measurement));
}

}  // namespace

Command add_analyze_command(CLI::App& parent) {
  auto flags = std::make_shared<AnalyzeFlags>();
  CLI::App* app =
      parent.add_subcommand("analyze", "Summarise a recorded trace or nvidia-smi CSV log offline");
  app->add_option("file", flags->file, "joulebench trace (monitor --trace) or nvidia-smi CSV log")
      ->required();
  app->add_option("--from", flags->from, "start of the window, time since the first row (e.g. 10s)")
      ->type_name("TIME");
  app->add_option("--to", flags->to, "end of the window, time since the first row")
      ->type_name("TIME");
  flags->out.add_to(*app);
  flags->calibration.add_to(*app);
  app->add_flag("--skip-bad-lines", flags->skip_bad_lines, "skip (and count) malformed lines");
  return {app, [flags] { return run_analyze(*flags); }};
}

}  // namespace joulebench::cli
