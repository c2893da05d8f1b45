// `joulebench monitor -- CMD ARGS...`: measures energy for the duration of a command.
#include <fmt/format.h>

#include <chrono>
#include <fstream>
#include <iostream>
#include <memory>

#include "calibration_flag.hpp"
#include "commands.hpp"
#include "joulebench/monitor.hpp"
#include "labels.hpp"
#include "live_status.hpp"
#include "models/device_facts.hpp"
#include "part_time_sampling.hpp"
#include "platform/process.hpp"
#include "platform/time_format.hpp"
#include "report/run_reports.hpp"
#include "store_flags.hpp"
#include "trace_recorder.hpp"

namespace joulebench::cli {
namespace {

struct MonitorFlags {
  SensorFlags sensors;
  CalibrationFlag calibration;
  std::string interval = "100ms";
  OutputFlags out;
  std::string trace;
  std::vector<std::string> labels;
  bool quiet = false;
  StoreFlags store;
  std::vector<std::string> command;
};

std::optional<std::string> interrupting_signal() {
  const int signal_number = platform::SignalForwarder::last_signal();
  if (signal_number == 0) return std::nullopt;
  return platform::signal_name(signal_number);
}

// Runs the child under the monitor; sets the report's exit code (127 when it cannot start),
// interrupted_by, and failed_because when it failed on its own (a child ended by the
// interrupt it was sent was interrupted, not failed).
void run_child(const std::vector<std::string>& command, report::MonitorReport& report) {
  auto pid = platform::spawn_process(command);
  if (!pid) {
    std::cerr << "error: " << pid.error().what_line() << "\n";
    report.exit_code = kExitCannotStart;
    report.failed_because = pid.error().message;
    return;
  }
  platform::SignalForwarder forwarder(*pid);
  const platform::ChildExit exit = platform::wait_for_child(*pid);
  report.exit_code = exit.shell_code();
  report.interrupted_by = interrupting_signal();
  if (!report.interrupted_by) report.failed_because = exit.failure();
}

int run_monitor(MonitorFlags& flags) {
  if (flags.command.empty()) {
    return usage_error(
        "monitor: no command given (usage: joulebench monitor [OPTIONS] -- CMD ARGS...)");
  }
  if (auto refused = flags.out.check()) return usage_error(*refused);
  auto interval = parse_sampling_interval(flags.interval);
  if (!interval) return usage_error(interval.error());
  auto labels = parse_labels(flags.labels);
  if (!labels) return usage_error(labels.error());
  if (auto db = flags.store.check(); !db) return usage_error(db.error());
  auto opened = open_sensors_or_explain(flags.sensors);
  if (!opened) return kExitUsage;

  report::MonitorReport report;
  report.provenance = make_provenance(*opened, *interval, flags.sensors.sensors);
  report.command = flags.command;
  report.labels = std::move(*labels);

  auto recorder = open_trace(flags.trace, *opened, report.provenance);
  if (!recorder) return usage_error(recorder.error());
  report.trace_path = trace_path_for_result(flags.trace, flags.out.output);
  LiveStatus status(progress_wanted(flags.quiet));

  MonitorOptions options;
  options.interval = *interval;
  if (auto loaded = flags.calibration.load_into(opened->sensors, options, flags.store.db); !loaded)
    return usage_error(loaded.error());
  options.describe_device = models::catalog_device_facts();
  options.on_round = [&](const Snapshot& snapshot) { status.update(snapshot); };
  record_rounds(options, recorder->get());
  Monitor monitor(std::move(opened->sensors), options);
  monitor.start();
  run_child(flags.command, report);
  report.run = monitor.stop();
  status.finish();
  report.windows = monitor.windows_closed_at_stop();
  if (auto snapshot = monitor.snapshot()) report.missed_rounds = snapshot->missed_rounds;
  const bool trace_complete = close_trace(recorder->get(), report.run.warnings);

  const std::string document = report::monitor_json(report);
  const bool written = flags.out.write_json(document);
  if (std::ostream* summary = flags.out.summary_stream(flags.quiet)) {
    *summary << report::measurement_table(report.run);
  }
  // Said even with --quiet: the result is stored as failed.
  if (report.failed_because && report.exit_code != kExitCannotStart) {
    std::cerr << "the command failed: " << *report.failed_because << "\n";
  }
  flags.store.store(document, trace_complete ? flags.trace : "", flags.quiet);
  if (!written) return kExitFailed;
  return report.exit_code == 0 && !trace_complete ? kExitFailed : report.exit_code;
}

}  // namespace

Command add_monitor_command(CLI::App& parent) {
  auto flags = std::make_shared<MonitorFlags>();
  CLI::App* app =
      parent.add_subcommand("monitor", "Run a command and measure the energy used while it runs");
  flags->sensors.add_to(*app);
  flags->calibration.add_to(*app);
  app->add_option("--interval", flags->interval, "sampling interval, 1ms..10s (default 100ms)")
      ->type_name("DURATION");
  flags->out.add_to(*app, StdoutOwner::wrapped_command);
  flags->store.add_to(*app);
  app->add_option("--trace", flags->trace, "also record every sample to this CSV trace")
      ->type_name("FILE.csv");
  app->add_option("--label", flags->labels, "KEY=VALUE describing the configuration (repeatable)")
      ->allow_extra_args(false);
  app->add_flag("-q,--quiet", flags->quiet, "no progress and no summary table on stderr");
  // stdout is the command's: the table goes to stderr, the JSON only where -o says.
  app->add_option("command", flags->command, "the command to run, after --")
      ->type_name("CMD ARGS...");
  app->footer(
      "Example: joulebench monitor --interval 50ms --output run.json -- python generate.py");
  return {app, [flags] { return run_monitor(*flags); }};
}

}  // namespace joulebench::cli
