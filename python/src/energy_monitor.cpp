#include "energy_monitor.hpp"

#include <fmt/format.h>

#include <cmath>
#include <cstring>
#include <set>
#include <utility>

#include "calibration/calibration_file.hpp"
#include "core/calibration.hpp"
#include "models/device_facts.hpp"
#include "report/json_values.hpp"
#include "report/provenance.hpp"
#include "sensors/registry.hpp"

namespace joulebench::python {

std::string Result::method() const {
  std::set<EnergyMethod> methods;
  for (const auto& device : measurement.devices) {
    if (device.energy_j) methods.insert(device.method);
  }
  if (methods.empty()) return to_string(EnergyMethod::none);
  if (methods.size() > 1) return "mixed";
  return to_string(*methods.begin());
}

std::string Result::to_json() const {
  if (run_report) return report::monitor_json(*run_report);
  return report::to_json(measurement).dump(2) + "\n";
}

namespace {

// The core's range rule, named as the Python argument; NaN and infinities are refused before
// the conversion to integer nanoseconds (which they would overflow).
std::chrono::nanoseconds checked_interval(std::chrono::duration<double> interval) {
  const double seconds = interval.count();
  const std::string as_given = fmt::format("{:g} s", seconds);
  if (!std::isfinite(seconds) || std::abs(seconds) > 1e6) {
    throw std::invalid_argument("interval: " + as_given + " is outside 1ms..10s");
  }
  auto checked = checked_sampling_interval(
      std::chrono::nanoseconds(static_cast<long long>(std::llround(seconds * 1e9))), "interval",
      as_given);
  if (!checked) throw std::invalid_argument(checked.error().message);
  return *checked;
}

// The sensors layer names the CLI's flags; a Python user typed arguments. Every flag it can
// name, with the argument of EnergyMonitor that sets the same thing.
std::string in_python_terms(std::string message) {
  static const std::pair<const char*, const char*> kNames[] = {{"--gpus", "gpu_ids"},
                                                               {"--sensor", "sensors"}};
  for (const auto& [flag, argument] : kNames) {
    for (auto at = message.find(flag); at != std::string::npos; at = message.find(flag, at)) {
      message.replace(at, std::strlen(flag), argument);
    }
  }
  return message;
}

std::string joined(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& line : lines) out += (out.empty() ? "" : "\n") + in_python_terms(line);
  return out;
}

// The calibrations of `file` for the opened devices; a bad file or a calibration of a device
// not measured is a ValueError naming it (as the CLI's --calibration refuses it).
std::vector<DeviceCalibration> calibrations_for(
    const std::string& file, const std::vector<std::unique_ptr<Sensor>>& sensors) {
  if (file.empty()) return {};
  auto calibrations = calibration::load_calibration_file(file);
  if (!calibrations) throw std::invalid_argument(calibrations.error().what_line());
  std::vector<DeviceInfo> devices;
  for (const auto& sensor : sensors)
    devices.insert(devices.end(), sensor->devices().begin(), sensor->devices().end());
  auto matched = check_calibrations_match(*calibrations, devices);
  if (!matched) {
    std::string message = matched.error().message;
    if (message.starts_with("--calibration: ")) message.erase(0, 15);
    throw std::invalid_argument("calibration: " + file + ": " + message);
  }
  return std::move(*calibrations);
}

}  // namespace

EnergyMonitor::EnergyMonitor(const MonitorConfig& config) {
  const auto interval = checked_interval(config.interval);
  SensorSelection selection;
  selection.specs = config.sensor_specs;
  selection.gpus = config.gpu_ids;
  auto opened = open_sensors(selection);
  if (!opened) throw std::invalid_argument(in_python_terms(opened.error().what_line()));
  if (auto problems = open_sensors_problems(*opened); !problems.empty()) {
    throw RunError(joined(problems));
  }
  specs_ = config.sensor_specs;
  unavailable_ = opened->unavailable;
  for (const auto& sensor : opened->sensors) sensor_names_.push_back(sensor->name());
  MonitorOptions options;
  options.interval = interval;
  options.calibrations = calibrations_for(config.calibration_file, opened->sensors);
  options.describe_device = models::catalog_device_facts();
  monitor_ = std::make_unique<Monitor>(std::move(opened->sensors), options);
}

void EnergyMonitor::start(std::vector<std::string> command) {
  std::unique_lock lifecycle(lifecycle_);
  auto provenance =
      report::live_provenance(sensor_names_, unavailable_, monitor_->interval(), specs_);
  monitor_->start();
  std::lock_guard lock(state_mutex_);
  provenance_ = std::move(provenance);
  command_ = std::move(command);
  ended_windows_.clear();
}

Result EnergyMonitor::stop(std::map<std::string, std::string> labels) {
  std::unique_lock lifecycle(lifecycle_);
  Measurement run = monitor_->stop();
  auto report = std::make_shared<report::MonitorReport>();
  {
    std::lock_guard lock(state_mutex_);
    report->provenance = provenance_;
    report->command = command_;
    report->labels = std::move(labels);
    report->windows = std::move(ended_windows_);
    ended_windows_.clear();
  }
  for (auto& window : monitor_->windows_closed_at_stop())
    report->windows.push_back(std::move(window));
  if (auto snapshot = monitor_->snapshot()) report->missed_rounds = snapshot->missed_rounds;
  report->run = run;
  return Result{std::move(run), std::move(report), std::nullopt};
}

bool EnergyMonitor::running() const { return monitor_->running(); }

void EnergyMonitor::begin_window(const std::string& name) {
  std::shared_lock lifecycle(lifecycle_);
  monitor_->begin_window(name);
}

Result EnergyMonitor::end_window(const std::string& name) {
  std::shared_lock lifecycle(lifecycle_);
  Measurement window = monitor_->end_window(name);
  {
    std::lock_guard lock(state_mutex_);
    ended_windows_.push_back(window);
  }
  return Result{std::move(window), nullptr};
}

std::vector<std::string> EnergyMonitor::open_windows() const { return monitor_->open_windows(); }

std::shared_ptr<const Snapshot> EnergyMonitor::snapshot() const { return monitor_->snapshot(); }

const std::vector<DeviceInfo>& EnergyMonitor::devices() const { return monitor_->devices(); }

const std::vector<SensorUnavailable>& EnergyMonitor::sensors_unavailable() const {
  return unavailable_;
}

double EnergyMonitor::interval_s() const {
  return std::chrono::duration<double>(monitor_->interval()).count();
}

namespace {

std::mutex& registry_mutex() {
  static std::mutex mutex;
  return mutex;
}

std::vector<std::weak_ptr<EnergyMonitor>>& registry() {
  static std::vector<std::weak_ptr<EnergyMonitor>> monitors;
  return monitors;
}

}  // namespace

void track_monitor(const std::shared_ptr<EnergyMonitor>& monitor) {
  std::lock_guard lock(registry_mutex());
  auto& monitors = registry();
  std::erase_if(monitors, [](const auto& weak) { return weak.expired(); });
  monitors.push_back(monitor);
}

std::size_t stop_all_running() {
  std::vector<std::shared_ptr<EnergyMonitor>> alive;
  {
    std::lock_guard lock(registry_mutex());
    for (const auto& weak : registry()) {
      if (auto monitor = weak.lock()) alive.push_back(std::move(monitor));
    }
  }
  std::size_t stopped = 0;
  for (const auto& monitor : alive) {
    if (!monitor->running()) continue;
    try {
      monitor->stop();
      ++stopped;
    } catch (const std::logic_error&) {
      // Another thread stopped it between running() and stop(): nothing left to do.
    }
  }
  return stopped;
}

}  // namespace joulebench::python
