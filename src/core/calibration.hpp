// Applying reference-meter calibrations to a finished Measurement (the fit itself lives in
// src/calibration). Thread-safety: pure functions.
#pragma once

#include <vector>

#include "joulebench/calibration.hpp"
#include "joulebench/error.hpp"
#include "joulebench/result.hpp"

namespace joulebench {

// An error naming the calibrated device when a calibration belongs to none of `devices`
// (a calibration of another GPU must never be applied silently, nor silently ignored).
Expected<bool> check_calibrations_match(const std::vector<DeviceCalibration>& calibrations,
                                        const std::vector<DeviceInfo>& devices);

// Replaces each calibrated device's energy_j (and average power) with the calibrated figure,
// keeping the sensor's in raw_energy_j, and sums the total again.
void calibrate_measurement(Measurement& measurement,
                           const std::vector<DeviceCalibration>& calibrations);

}  // namespace joulebench
