// Report models and writers for `monitor`, `analyze` and `devices`.
// Writers are pure functions: model in, text out (golden-tested).
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "joulebench/result.hpp"
#include "joulebench/sensor.hpp"

namespace joulebench::report {

const char* tool_version();

// Where a run's numbers came from.
struct Provenance {
  std::string host;
  std::string start_time;  // ISO 8601 UTC
  std::optional<double> interval_s;
  std::vector<std::string> sensors;            // sensors that measured
  std::vector<SensorUnavailable> unavailable;  // sensors tried and not available
  // Replay sensors play recorded traces: the hardware is simulated, say so loudly.
  std::vector<std::string> replay_sources;
};

struct MonitorReport {
  Provenance provenance;
  std::vector<std::string> command;
  std::map<std::string, std::string> labels;  // --label / stop(labels=...): the configuration
  int exit_code = 0;
  std::optional<std::string> interrupted_by;  // "SIGINT" when Ctrl-C ended the run
  // Why the command failed ("exit status 3", "killed by signal SIGSEGV", "command not found:
  // X"); the store records such a result as failed. Unset when it succeeded or was interrupted.
  std::optional<std::string> failed_because;
  Measurement run;
  std::vector<Measurement> windows;  // windows other than "run"
  std::optional<std::string> trace_path;
  std::size_t missed_rounds = 0;
};

struct AnalyzeReport {
  std::string file;
  std::string format;  // "nvidia-smi-csv" or "joulebench-trace"
  std::size_t rows = 0;
  std::size_t skipped_lines = 0;
  std::optional<double> from_s;
  std::optional<double> to_s;
  // How the trace's columns were used ("power_w from power.draw ..."), as the parser says.
  std::vector<std::string> trace_notes;
  Measurement measurement;
};

// A device two sensors see, left out of one of them (the registry's DroppedDevice).
struct DroppedDeviceRow {
  std::string id;       // "hwmon:hwmon3"
  std::string kept_id;  // "amdsmi:0"
  std::string reason;
};

struct DevicesReport {
  std::vector<DeviceInfo> devices;
  std::vector<std::string> sensors_available;
  std::vector<SensorUnavailable> unavailable;
  std::vector<DroppedDeviceRow> dropped;
};

nlohmann::ordered_json provenance_json(const Provenance& provenance);

std::string monitor_json(const MonitorReport& report);
std::string analyze_json(const AnalyzeReport& report);
std::string devices_json(const DevicesReport& report);

// Terminal summaries.
std::string measurement_table(const Measurement& measurement);
// The total energy's 95% interval and its sources ("energy 95%: 990.2-1009.8 J (sensor
// accuracy +-9.8 J, ...)"), and the sources no one states; empty without an energy.
std::string uncertainty_line(const Measurement& measurement);
// One line per calibrated device: calibrated energy with its 95% interval, the sensor's own.
std::string calibration_lines(const Measurement& measurement);
std::string devices_table(const DevicesReport& report);

}  // namespace joulebench::report
