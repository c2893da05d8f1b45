// --power-limits, --gpu-clocks, --mem-clocks, --max-slowdown and --dry-run of run, bench openai
// and bench synthetic: the measurement runs once per GPU setting, with the setting applied to
// every measured GPU, and the GPUs are put back on every exit path (normal end, error,
// Ctrl-C, SIGTERM). The sweep logic lives in src/workloads/gpu_settings; this file is the glue
// each command calls with one function that measures at the setting in force.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "cli_common.hpp"
#include "output_flags.hpp"
#include "workloads/gpu_settings/setting_plan.hpp"

namespace joulebench::cli {

struct GpuSweepFlags {
  std::string power_limits;  // "300,400,default"
  std::string gpu_clocks;    // "1200,1500,max"
  std::string mem_clocks;
  std::string max_slowdown;  // "10%"
  static constexpr const char* kDefaultSettleTimeout = "30s";
  std::string settle_timeout = kDefaultSettleTimeout;
  bool dry_run = false;

  void add_to(CLI::App& app);
  // True when a knob was given: the command runs as a sweep.
  bool requested() const;
  // --dry-run, --max-slowdown or --settle-timeout without a knob to sweep.
  std::optional<std::string> misuse() const;
};

// A command's flags for one setting of the sweep: the setting's labels added, and the
// outputs that the sweep writes itself (-o, --json, --csv, --trace) cleared, so that one
// setting does not overwrite another's.
template <class Flags>
Flags sweep_setting_flags(const Flags& flags, const std::vector<std::string>& labels) {
  Flags at_setting = flags;
  at_setting.labels.insert(at_setting.labels.end(), labels.begin(), labels.end());
  at_setting.out.output.clear();
  at_setting.out.json = false;
  // Each setting's own table goes to stderr: stdout is the sweep's (its JSON or its answers).
  at_setting.out.stdout_owner = StdoutOwner::wrapped_command;
  if constexpr (requires { at_setting.csv; }) at_setting.csv.clear();
  if constexpr (requires { at_setting.trace; }) at_setting.trace.clear();
  return at_setting;
}

// What the command measured at one setting: its exit code and result document (JSON text,
// empty when it wrote none).
struct SettingMeasurement {
  int exit_code = 0;
  std::string document;
};

// `labels`: "power_limit_w=400", "gpu_sweep=ID", ... to add to the result's labels.
using MeasureAtSetting = std::function<SettingMeasurement(const std::vector<std::string>& labels)>;

// Runs the sweep and returns the exit code: 2 for a refused value or permission (nothing
// changed), else the first non-zero exit of a measurement, 1 when interrupted.
int run_gpu_sweep(const GpuSweepFlags& sweep, const SensorFlags& sensors, const OutputFlags& out,
                  bool quiet, const std::string& command_name, const MeasureAtSetting& measure);

// `joulebench restore` (restore_command.cpp); declared here rather than in commands.hpp, which
// every command includes.
Command add_restore_command(CLI::App& parent);

// Called by main before any command: a journal left by a killed sweep is reported on stderr
// (the GPUs may still run at the swept settings) with what to run.
void report_leftover_journal(const std::string& command_name);

}  // namespace joulebench::cli
