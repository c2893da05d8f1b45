// The C++ side of joulebench.EnergyMonitor: a Monitor plus what the CLI's monitor document
// needs (provenance, windows ended during the run), with no Python types in it.
//
// Thread-safety: every method may be called from any thread. start()/stop() exclude each
// other and the window calls; window calls from several threads run side by side. The
// bindings release the GIL before calling anything here that blocks.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <stdexcept>
#include <string>
#include <vector>

#include "joulebench/monitor.hpp"
#include "joulebench/result.hpp"
#include "report/run_reports.hpp"

namespace joulebench::python {

// A failure the user must fix outside the call (a sensor that cannot open); becomes
// joulebench.JoulebenchError. std::invalid_argument becomes ValueError, std::logic_error
// (misuse such as ending an unknown window) JoulebenchError too.
class RunError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct MonitorConfig {
  std::optional<std::vector<std::string>> gpu_ids;  // NVML indices or UUIDs; nullopt = all
  std::vector<std::string> sensor_specs;            // "auto", "nvml", "amdsmi", "hwmon", ...
  std::chrono::duration<double> interval{0.1};      // 1 ms .. 10 s
  std::string calibration_file;                     // joulebench calibrate's file; empty: none
};

// A window's or a whole run's measurement as Python sees it.
struct Result {
  Measurement measurement;
  // Only for the result of stop(): the CLI's monitor document around `measurement`.
  std::shared_ptr<const report::MonitorReport> run_report;
  // The results store's id, when stop(store=True) kept the run.
  std::optional<std::string> run_id;

  // "counter" or "integrated" when every device with energy used that method, "mixed"
  // when they differ, "none" when no device has energy.
  std::string method() const;
  // The CLI's schema: the monitor document for a run, a `windows` entry for a window.
  std::string to_json() const;
};

class EnergyMonitor {
 public:
  // Opens the sensors (blocks: library loading, device probing). Throws
  // std::invalid_argument for a bad spec or interval, RunError when no sensor can measure.
  explicit EnergyMonitor(const MonitorConfig& config);

  // `command` is recorded as the run's command (the Python program's sys.argv).
  void start(std::vector<std::string> command);
  // `labels` describe the configuration (as --label does), in the run's document.
  Result stop(std::map<std::string, std::string> labels = {});
  bool running() const;

  void begin_window(const std::string& name);
  Result end_window(const std::string& name);
  std::vector<std::string> open_windows() const;

  std::shared_ptr<const Snapshot> snapshot() const;  // null before the first round
  const std::vector<DeviceInfo>& devices() const;
  const std::vector<SensorUnavailable>& sensors_unavailable() const;
  double interval_s() const;

 private:
  std::vector<std::string> specs_;
  std::vector<std::string> sensor_names_;
  std::vector<SensorUnavailable> unavailable_;
  std::unique_ptr<Monitor> monitor_;

  // Exclusive for start/stop, shared for windows: Monitor does not support a stop racing
  // another stop or a window call that arrives while its sampler winds down.
  mutable std::shared_mutex lifecycle_;
  mutable std::mutex state_mutex_;  // guards the fields below
  report::Provenance provenance_;
  std::vector<std::string> command_;
  std::vector<Measurement> ended_windows_;  // in the order they ended
};

// Monitors alive in this process, so that interpreter exit can stop the running ones.
void track_monitor(const std::shared_ptr<EnergyMonitor>& monitor);
// Stops every tracked running monitor (blocks; call without the GIL). Returns how many.
std::size_t stop_all_running();

}  // namespace joulebench::python
