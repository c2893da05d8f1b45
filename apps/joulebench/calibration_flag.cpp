#include "calibration_flag.hpp"

#include "calibration/calibration_file.hpp"
#include "core/calibration.hpp"

namespace joulebench::cli {

void CalibrationFlag::add_to(CLI::App& app) {
  app.add_option("--calibration", file,
                 "apply the reference-meter calibration in FILE (joulebench calibrate -o FILE); "
                 "results keep the raw energy beside the calibrated one")
      ->type_name("FILE");
}

Expected<std::vector<DeviceCalibration>> CalibrationFlag::load(
    const std::vector<DeviceInfo>& devices) const {
  if (file.empty()) return std::vector<DeviceCalibration>{};
  auto calibrations = calibration::load_calibration_file(file);
  if (!calibrations) {
    Error error = calibrations.error();
    error.message = "--calibration: " + error.message;
    return error;
  }
  auto matched = check_calibrations_match(*calibrations, devices);
  if (!matched) return Error{matched.error().message, file};
  return calibrations;
}

Expected<bool> CalibrationFlag::load_into(const std::vector<std::unique_ptr<Sensor>>& sensors,
                                          MonitorOptions& options) const {
  std::vector<DeviceInfo> devices;
  for (const auto& sensor : sensors)
    devices.insert(devices.end(), sensor->devices().begin(), sensor->devices().end());
  auto calibrations = load(devices);
  if (!calibrations) return calibrations.error();
  options.calibrations = std::move(*calibrations);
  return true;
}

}  // namespace joulebench::cli
