#include "core/calibration.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "core/statistics_student_t.hpp"

namespace joulebench {
namespace {

bool same_nonempty(const std::string& a, const std::string& b) { return !a.empty() && a == b; }

// The fit's 95% half-width on gain x raw + offset x T: the parameters' own uncertainty, the
// block residuals (independent per block, so their energy variance grows with T / block_s),
// and the meter's stated accuracy where given.
double ci95_half_width_j(const DeviceCalibration& c, double raw_energy_j, double duration_s,
                         double calibrated_j) {
  const double parameters = raw_energy_j * raw_energy_j * c.gain_stderr * c.gain_stderr +
                            duration_s * duration_s * c.offset_stderr_w * c.offset_stderr_w +
                            2.0 * raw_energy_j * duration_s * c.gain_offset_covariance_w;
  const double residual = duration_s * c.block_s * c.residual_sd_w * c.residual_sd_w;
  const double standard_j = std::sqrt(std::max(0.0, parameters + residual));
  const double degrees = c.blocks > 2 ? static_cast<double>(c.blocks - 2) : 1.0;
  const double t = student_t_quantile(0.975, degrees).value_or(1.96);
  double half_j = t * standard_j;
  if (c.meter_accuracy_share) half_j = std::hypot(half_j, *c.meter_accuracy_share * calibrated_j);
  return half_j;
}

}  // namespace

// UUIDs decide when both sides have one; else names; else the trace's device id (a log
// without uuid or name columns).
bool calibration_fits(const DeviceCalibration& c, const DeviceInfo& device) {
  if (!c.device_uuid.empty() && !device.uuid.empty()) return c.device_uuid == device.uuid;
  if (!c.device_name.empty() && !device.name.empty()) return c.device_name == device.name;
  return same_nonempty(c.device_id, device.id);
}

const DeviceCalibration* find_calibration(const std::vector<DeviceCalibration>& calibrations,
                                          const DeviceInfo& device) {
  for (const auto& c : calibrations) {
    if (calibration_fits(c, device)) return &c;
  }
  return nullptr;
}

std::string describe_calibrated_device(const DeviceCalibration& c) {
  std::string out = "'" + (c.device_name.empty() ? c.device_id : c.device_name) + "'";
  if (!c.device_uuid.empty()) out += " (" + c.device_uuid + ")";
  return out;
}

AppliedCalibration apply_calibration(const DeviceCalibration& c, double raw_energy_j,
                                     double duration_s) {
  AppliedCalibration out;
  out.origin = c.origin;
  out.meter = c.meter;
  out.created_utc = c.created_utc;
  out.gain = c.gain;
  out.offset_w = c.offset_w;
  out.energy_j = c.gain * raw_energy_j + c.offset_w * duration_s;
  const double half_j = ci95_half_width_j(c, raw_energy_j, duration_s, out.energy_j);
  out.energy_ci95_low_j = out.energy_j - half_j;
  out.energy_ci95_high_j = out.energy_j + half_j;
  if (duration_s > 0.0) {
    const double raw_power_w = raw_energy_j / duration_s;
    if (raw_power_w < c.fit_min_power_w || raw_power_w > c.fit_max_power_w) {
      out.notes.push_back(fmt::format(
          "average sensor power {:.1f} W is outside the calibrated range {:.0f}-{:.0f} W: the "
          "fit is extrapolated",
          raw_power_w, c.fit_min_power_w, c.fit_max_power_w));
    }
  }
  return out;
}

Expected<bool> check_calibrations_match(const std::vector<DeviceCalibration>& calibrations,
                                        const std::vector<DeviceInfo>& devices) {
  for (const auto& c : calibrations) {
    const bool matched = std::any_of(devices.begin(), devices.end(),
                                     [&](const DeviceInfo& d) { return calibration_fits(c, d); });
    if (matched) continue;
    std::string measured;
    for (const auto& d : devices) {
      measured += (measured.empty() ? "" : ", ") + ("'" + d.name + "'") +
                  (d.uuid.empty() ? std::string() : " (" + d.uuid + ")");
    }
    return Error{"--calibration: the calibration is for " + describe_calibrated_device(c) +
                 ", which is not measured here (measured: " +
                 (measured.empty() ? std::string("none") : measured) + ")"};
  }
  return true;
}

void calibrate_measurement(Measurement& measurement,
                           const std::vector<DeviceCalibration>& calibrations) {
  if (calibrations.empty()) return;
  std::optional<double> total_j;
  for (auto& device : measurement.devices) {
    const DeviceCalibration* c = find_calibration(calibrations, device.device);
    if (c != nullptr && device.raw_energy_j) {
      // A lost device's offset counts only while it was there (as its average power does).
      const double present_s = device.lost_at_s.value_or(measurement.duration_s);
      device.calibration = apply_calibration(*c, *device.raw_energy_j, present_s);
      if (c->device_uuid.empty() || device.device.uuid.empty()) {
        device.calibration->notes.push_back(
            "matched by " + std::string(c->device_name == device.device.name ? "name" : "id") +
            " only (no UUID on both sides): make sure it is the same card");
      }
      device.energy_j = device.calibration->energy_j;
      if (present_s > 0.0) device.avg_power_w = *device.energy_j / present_s;
    }
    if (device.energy_j) total_j = total_j.value_or(0.0) + *device.energy_j;
  }
  measurement.energy_j = total_j;
  if (total_j && measurement.duration_s > 0.0)
    measurement.avg_power_w = *total_j / measurement.duration_s;
}

}  // namespace joulebench
