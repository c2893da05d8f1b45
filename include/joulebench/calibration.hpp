// A device's calibration against a reference power meter, and what applying it to a
// sensor's energy gives. Fitted by src/calibration (joulebench calibrate); applied by every
// command that measures (core/calibration.cpp). Thread-safety: value types.
//
// The model, per device: true power ~= gain x sensor power + offset_w, fitted on block means
// (block_s long) of a recording where a reference meter ran beside the sensor. Over a window
// of T seconds the calibrated energy is gain x E_sensor + offset_w x T.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "joulebench/sensor.hpp"

namespace joulebench {

struct DeviceCalibration {
  // The device the fit was made on: the UUID when the trace has one, else its name, else
  // only the trace's device id (an nvidia-smi log without uuid/name columns).
  std::string device_id;
  std::string device_name;
  std::string device_uuid;
  std::string meter;                 // the reference meter's name ("ElmorLabs PMD")
  std::string created_utc;           // ISO 8601, when the fit was made
  std::vector<std::string> sources;  // the recordings the fit was made on
  // Where this run took it from ("FILE" of --calibration, or "stored default in DB"); not
  // part of the fit, not written to calibration files.
  std::string origin;

  double gain = 1.0;
  double offset_w = 0.0;
  double gain_stderr = 0.0;
  double offset_stderr_w = 0.0;
  double gain_offset_covariance_w = 0.0;  // cov(gain, offset_w)
  double residual_sd_w = 0.0;             // of the block means
  double block_s = 0.0;
  std::size_t blocks = 0;
  double r_squared = 0.0;
  double fit_min_power_w = 0.0;  // the sensor power range the fit covered
  double fit_max_power_w = 0.0;
  // How much later the sensor shows a power step than the meter, as the two recordings' own
  // clocks say: the meter's clock offset plus the sensor's delay (not separable from power).
  double shift_s = 0.0;
  // The meter's own accuracy (share of reading, 95%) when the user states it; unknown: null.
  std::optional<double> meter_accuracy_share;
};

// The result of applying a calibration to one device's energy over one window.
struct AppliedCalibration {
  std::string origin;  // DeviceCalibration::origin
  std::string meter;
  std::string created_utc;
  double gain = 1.0;
  double offset_w = 0.0;
  double energy_j = 0.0;
  double energy_ci95_low_j = 0.0;  // the fit's 95% interval on the calibrated energy
  double energy_ci95_high_j = 0.0;
  std::vector<std::string> notes;  // e.g. "average power outside the fitted range"
};

// Whether `calibration` was made on `device`.
bool calibration_fits(const DeviceCalibration& calibration, const DeviceInfo& device);

// Which calibration belongs to `device`: by UUID when both have one, else by name when
// both have one, else by device id. Nullptr when none does.
const DeviceCalibration* find_calibration(const std::vector<DeviceCalibration>& calibrations,
                                          const DeviceInfo& device);

// How a calibration names its device, for messages ("'NVIDIA A100' (GPU-1234)").
std::string describe_calibrated_device(const DeviceCalibration& calibration);

// Calibrated energy of a window of duration_s whose sensor energy is raw_energy_j.
AppliedCalibration apply_calibration(const DeviceCalibration& calibration, double raw_energy_j,
                                     double duration_s);

}  // namespace joulebench
