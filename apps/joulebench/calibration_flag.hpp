// --calibration FILE / --no-calibration for every command that measures (monitor, run, bench
// openai, bench synthetic, analyze, exporter): reference-meter calibrations applied to each
// device's energy, the raw figure kept beside the calibrated one. Without --calibration, a
// GPU whose UUID has a stored default (joulebench calibrate --store) gets that one.
#pragma once

#include <CLI/CLI.hpp>
#include <memory>
#include <string>
#include <vector>

#include "joulebench/calibration.hpp"
#include "joulebench/error.hpp"
#include "joulebench/monitor.hpp"
#include "joulebench/sensor.hpp"

namespace joulebench::cli {

struct CalibrationFlag {
  std::string file;
  bool none = false;  // --no-calibration: not even a stored default

  void add_to(CLI::App& app);
  // The calibrations for `devices`: the file's (an Error when it is bad or a calibration
  // belongs to none of `devices`, named with the devices measured), else the stored defaults
  // of the devices' UUIDs in the results store at `db` (empty: the default store).
  Expected<std::vector<DeviceCalibration>> load(const std::vector<DeviceInfo>& devices,
                                                const std::string& db = "") const;
  // The same for every device of `sensors`, put into the monitor's options.
  Expected<bool> load_into(const std::vector<std::unique_ptr<Sensor>>& sensors,
                           MonitorOptions& options, const std::string& db = "") const;
};

// The stored default calibrations of the results store at `db` (empty: the default) whose
// UUID is one of `devices`'; none when the store does not exist or cannot be read.
std::vector<DeviceCalibration> stored_calibrations(const std::vector<DeviceInfo>& devices,
                                                   const std::string& db);

}  // namespace joulebench::cli
