// Pieces shared by the subcommands: durations, sensor flags, error lines.
#pragma once

#include <CLI/CLI.hpp>
#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "joulebench/error.hpp"
#include "report/run_reports.hpp"
#include "sensors/registry.hpp"

namespace joulebench::cli {

// Exit codes: 0 ok, 1 a run failed or was invalid, 2 usage / bad input.
inline constexpr int kExitFailed = 1;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitCannotStart = 127;

// A parsed subcommand: the CLI11 node and what runs when it was chosen.
struct Command {
  CLI::App* app = nullptr;
  std::function<int()> run;
};

// Prints "error: <message>" on stderr and returns kExitUsage.
int usage_error(const std::string& message);
int usage_error(const Error& error);

// "100ms", "1s", "2.5s", "1m", "250us", or a bare number of seconds. `flag` names the option
// in the error ("--interval: '10 parsecs' is not a duration (use 100ms, 1s, 2m)").
Expected<std::chrono::nanoseconds> parse_duration(std::string_view text, std::string_view flag);
// --interval: a duration within the core's sampling range (checked_sampling_interval).
Expected<std::chrono::nanoseconds> parse_sampling_interval(const std::string& text);

// --sensor / --gpus / --skip-bad-lines, shared by devices, monitor and later benches.
struct SensorFlags {
  std::vector<std::string> sensors;
  std::string gpus;  // "0,2" or UUIDs; empty = all (or CUDA_VISIBLE_DEVICES)
  bool skip_bad_lines = false;

  void add_to(CLI::App& app);
  SensorSelection selection() const;
};

// Opens the sensors; on failure prints one "error: sensor X: reason" line per sensor and
// returns nullopt (the caller exits kExitUsage).
std::optional<OpenedSensors> open_sensors_or_explain(const SensorFlags& flags);

// "(from URL, host H, clock offset +0.002 s)": where a remote device is read.
std::string remote_source_text(const RemoteOrigin& remote);
// "nvml:0 NVIDIA H100 80GB HBM3" for every device the opened sensors measure (and sum), with
// the source of a remote one.
std::vector<std::string> describe_devices(const OpenedSensors& opened);
std::string join_devices(const std::vector<std::string>& devices);  // "a; b"
// Which rule chose the GPUs: "--gpus 0,2", "CUDA_VISIBLE_DEVICES=1", or every GPU.
std::string devices_chosen_by(const SensorFlags& flags);

// Provenance of a live run: host, start time, interval, sensors, and the replayed traces
// (which make the run "simulated"). Call before the sensors move into a Monitor.
report::Provenance make_provenance(const OpenedSensors& opened, std::chrono::nanoseconds interval,
                                   const std::vector<std::string>& sensor_specs);

// A comma-separated list of levels, "1,2,4" -> {1, 2, 4}: every entry positive (and whole
// when `whole`); an Error names `flag` and the bad entry.
Expected<std::vector<double>> parse_levels(const std::string& text, const char* flag, bool whole);

// A share between 0 and 1, written as a percentage ("1%", "70%") or a fraction ("0.01"): the one
// rule of every share flag (--max-failed, --utilization, --node-overhead, --max-load, ...).
Expected<double> parse_share(const std::string& text, const char* flag);

// The same rule as a CLI11 transform, for options stored as a double: "70%" becomes 0.7; the
// error names the flag (CLI11 prefixes it).
CLI::Validator share_transform();

// What a result records as its --trace: the path relative to the result file's folder where
// the two share one, else absolute; nullopt without a trace (or a trace on stdout).
std::optional<std::string> trace_path_for_result(const std::string& trace,
                                                 const std::string& output);

// Whether progress should be drawn: stderr is a terminal and --quiet was not given.
bool progress_wanted(bool quiet);

}  // namespace joulebench::cli
