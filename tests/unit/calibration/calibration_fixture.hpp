// One calibration for the unit tests of applying and storing calibrations.
#pragma once

#include "joulebench/calibration.hpp"

namespace joulebench::testing {

inline DeviceCalibration sample_calibration() {
  DeviceCalibration c;
  c.device_id = "nvml:0";
  c.device_name = "A100";
  c.device_uuid = "GPU-a";
  c.meter = "ElmorLabs PMD";
  c.created_utc = "2026-12-05T10:00:00Z";
  c.sources = {"PMD_data.bin", "trace.csv"};
  c.gain = 1.05;
  c.offset_w = 2.0;
  c.gain_stderr = 0.002;
  c.offset_stderr_w = 0.3;
  c.gain_offset_covariance_w = -0.0005;
  c.residual_sd_w = 1.0;
  c.block_s = 0.5;
  c.blocks = 30;
  c.r_squared = 0.9999;
  c.fit_min_power_w = 100;
  c.fit_max_power_w = 400;
  c.shift_s = 0.06;
  return c;
}

}  // namespace joulebench::testing
