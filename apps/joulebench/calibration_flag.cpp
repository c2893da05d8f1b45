#include "calibration_flag.hpp"

#include <filesystem>

#include "calibration/calibration_file.hpp"
#include "core/calibration.hpp"
#include "store/results_store.hpp"

namespace joulebench::cli {

void CalibrationFlag::add_to(CLI::App& app) {
  auto* given = app.add_option(
      "--calibration", file,
      "apply the reference-meter calibration in FILE (joulebench calibrate -o FILE); results "
      "keep the raw energy beside the calibrated one. Default: the stored calibration of each "
      "GPU's UUID (joulebench calibrate --store), if any");
  given->type_name("FILE");
  app.add_flag("--no-calibration", none, "apply no calibration, not even a stored one")
      ->excludes(given);
}

std::vector<DeviceCalibration> stored_calibrations(const std::vector<DeviceInfo>& devices,
                                                   const std::string& db) {
  const std::string path = db.empty() ? default_results_db_path() : db;
  std::error_code ignored;
  if (!std::filesystem::is_regular_file(path, ignored)) return {};
  auto store = ResultsStore::open(path, store::OpenMode::read_only);
  if (!store) return {};  // an unreadable store is reported where results are stored
  auto documents = (*store)->calibration_documents();
  if (!documents) return {};
  std::vector<DeviceCalibration> out;
  for (const auto& document : *documents) {
    auto parsed = calibration::parse_calibration_entry(document, path);
    if (!parsed || parsed->device_uuid.empty()) continue;
    for (const auto& device : devices) {
      if (device.uuid != parsed->device_uuid) continue;
      parsed->origin = "stored default in " + path;
      out.push_back(*parsed);
    }
  }
  return out;
}

Expected<std::vector<DeviceCalibration>> CalibrationFlag::load(
    const std::vector<DeviceInfo>& devices, const std::string& db) const {
  if (none) return std::vector<DeviceCalibration>{};
  if (file.empty()) return stored_calibrations(devices, db);
  auto calibrations = calibration::load_calibration_file(file);
  if (!calibrations) {
    Error error = calibrations.error();
    error.message = "--calibration: " + error.message;
    return error;
  }
  auto matched = check_calibrations_match(*calibrations, devices);
  if (!matched) return Error{matched.error().message, file};
  for (auto& c : *calibrations) c.origin = file;
  return calibrations;
}

Expected<bool> CalibrationFlag::load_into(const std::vector<std::unique_ptr<Sensor>>& sensors,
                                          MonitorOptions& options, const std::string& db) const {
  std::vector<DeviceInfo> devices;
  for (const auto& sensor : sensors)
    devices.insert(devices.end(), sensor->devices().begin(), sensor->devices().end());
  auto calibrations = load(devices, db);
  if (!calibrations) return calibrations.error();
  options.calibrations = std::move(*calibrations);
  return true;
}

}  // namespace joulebench::cli
