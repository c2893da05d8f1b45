// --calibration FILE for every command that measures (monitor, run, bench openai, bench
// synthetic, analyze, exporter): reference-meter calibrations applied to each device's
// energy, the raw figure kept beside the calibrated one.
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "joulebench/calibration.hpp"
#include "joulebench/error.hpp"
#include "joulebench/monitor.hpp"
#include "joulebench/sensor.hpp"

namespace joulebench::cli {

struct CalibrationFlag {
  std::string file;

  void add_to(CLI::App& app);
  // The calibrations of the file (none without the flag); an Error when the file is bad or
  // a calibration belongs to none of `devices` (named, with the devices measured).
  Expected<std::vector<DeviceCalibration>> load(const std::vector<DeviceInfo>& devices) const;
  // The same for every device of `sensors`, put into the monitor's options.
  Expected<bool> load_into(const std::vector<std::unique_ptr<Sensor>>& sensors,
                           MonitorOptions& options) const;
};

}  // namespace joulebench::cli
