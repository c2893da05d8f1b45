// Calibration files: the JSON `joulebench calibrate -o FILE` writes and `--calibration FILE`
// reads (docs/accuracy.md shows one). A file holds one or more devices' calibrations.
// Thread-safety: pure functions.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "joulebench/calibration.hpp"
#include "joulebench/error.hpp"

namespace joulebench::calibration {

nlohmann::ordered_json calibration_json(const DeviceCalibration& calibration);
nlohmann::ordered_json calibration_file_json(const std::vector<DeviceCalibration>& calibrations);

// Errors name the file and the member ("calibrations[0].fit.gain: expected a number").
Expected<std::vector<DeviceCalibration>> parse_calibration_file(std::string_view text,
                                                                const std::string& origin);
Expected<std::vector<DeviceCalibration>> load_calibration_file(const std::string& path);
// One entry of a file (as the results store keeps a GPU's default calibration).
Expected<DeviceCalibration> parse_calibration_entry(std::string_view text,
                                                    const std::string& origin);

}  // namespace joulebench::calibration
