// Fitting a sensor to a reference meter: true power ~= gain x sensor power + offset, on the
// mean power of consecutive blocks of both recordings (aligned by alignment.hpp). Block means
// are what energy over a window depends on, and they average away the sensor's sub-second
// lag and ripple. Thread-safety: pure functions.
#pragma once

#include "calibration/power_series.hpp"
#include "joulebench/calibration.hpp"
#include "joulebench/error.hpp"

namespace joulebench::calibration {

struct FitOptions {
  double block_s = 0.5;
  // Below this share of the meter's block-to-block variance explained, the sensor does not
  // follow the load closely enough for a calibration to mean anything: refused.
  double min_r_squared = 0.9;
  std::size_t min_blocks = 10;
};

// Fits over the time both recordings cover, the sensor read shift_s later than the meter.
// Fills the fit fields of DeviceCalibration (gain .. shift_s); the caller names the device,
// the meter and the sources. Errors say why no honest fit exists.
Expected<DeviceCalibration> fit_calibration(const PowerSeries& meter, const PowerSeries& sensor,
                                            double shift_s, const FitOptions& options);

}  // namespace joulebench::calibration
