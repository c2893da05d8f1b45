#include "core/energy_uncertainty.hpp"

#include <fmt/format.h>

#include <cmath>

namespace joulebench {
namespace {

// The calibrated energy's own interval replaces the sensor's documented accuracy.
UncertaintySource sensor_source(const DeviceMeasurement& device, double energy_j,
                                double duration_s) {
  if (device.calibration) {
    const AppliedCalibration& c = *device.calibration;
    return {"calibration", 0.5 * (c.energy_ci95_high_j - c.energy_ci95_low_j),
            fmt::format("fit against {} ({}): gain, offset and block residuals", c.meter,
                        c.created_utc.substr(0, 10))};
  }
  const DeviceInfo& info = device.device;
  if (!info.power_accuracy_w && !info.power_accuracy_share) {
    return {"sensor accuracy", std::nullopt,
            info.power_accuracy_source.empty() ? "no documented accuracy for this sensor"
                                               : info.power_accuracy_source};
  }
  // A stated absolute error holds for every reading, so over the window it adds up: W x s.
  const double half_j = info.power_accuracy_w.value_or(0.0) * duration_s +
                        info.power_accuracy_share.value_or(0.0) * energy_j;
  return {"sensor accuracy", half_j, info.power_accuracy_source};
}

// The counter is read at the window's edges; each reading may be up to one update period
// stale (uniform), so each edge misplaces up to average power x period of energy.
std::optional<UncertaintySource> edge_source(const DeviceMeasurement& device) {
  if (device.method != EnergyMethod::counter || !device.avg_power_w) return std::nullopt;
  const auto period_s = device.device.counter_update_period_s;
  if (!period_s) {
    return UncertaintySource{"window edges", std::nullopt,
                             "the energy counter's update period is not known"};
  }
  const double half_j = 1.96 * *device.avg_power_w * *period_s * std::sqrt(2.0 / 12.0);
  return UncertaintySource{
      "window edges", half_j,
      fmt::format("the energy counter updates every {} s; each edge may be one update stale",
                  *period_s)};
}

std::optional<UncertaintySource> integration_source(const DeviceMeasurement& device) {
  if (device.method != EnergyMethod::integrated || !device.integration_half_width_j)
    return std::nullopt;
  return UncertaintySource{
      "integration", *device.integration_half_width_j,
      fmt::format("trapezoid over {} readings: each interval within half its power step",
                  device.samples)};
}

// A part-time sensor sees only a share of each cycle. Power that repeats near the cycle
// aliases without bound (unknown); otherwise the unseen share of each cycle differs from the
// seen share by about the readings' spread, independently from cycle to cycle.
std::optional<UncertaintySource> part_time_source(const DeviceMeasurement& device,
                                                  double duration_s) {
  const auto cycle_s = device.device.part_time_cycle_s;
  if (!cycle_s) return std::nullopt;
  if (device.cycle_aligned_period_s) {
    return UncertaintySource{
        "part-time sampling", std::nullopt,
        fmt::format("power repeats every {:.3f} s, near the sensor's {} s cycle: the aliasing "
                    "error is not bounded (SC24 part-time study); see --spread-phases",
                    *device.cycle_aligned_period_s, *cycle_s)};
  }
  const double unseen_share = 0.75;  // A100/H100: 25 ms of every 100 ms (SC24 study)
  const double cycles = duration_s / *cycle_s;
  const double spread_w = device.power_w.stddev.value_or(0.0);
  const double half_j = 1.96 * spread_w * *cycle_s * unseen_share * std::sqrt(cycles);
  return UncertaintySource{
      "part-time sampling", half_j,
      fmt::format("the sensor sees 25% of each {} s cycle; {:.0f} cycles, readings' spread "
                  "{:.1f} W",
                  *cycle_s, cycles, spread_w)};
}

EnergyUncertainty combine(std::vector<UncertaintySource> sources, double energy_j) {
  EnergyUncertainty out;
  double sum_j2 = 0.0;
  for (const auto& source : sources) {
    if (source.half_width_j) {
      sum_j2 += *source.half_width_j * *source.half_width_j;
    } else {
      out.complete = false;
    }
  }
  const double half_j = std::sqrt(sum_j2);
  out.ci95_low_j = energy_j - half_j;
  out.ci95_high_j = energy_j + half_j;
  out.sources = std::move(sources);
  return out;
}

EnergyUncertainty device_uncertainty(const DeviceMeasurement& device, double duration_s) {
  const double energy_j = *device.energy_j;
  const double present_s = device.lost_at_s.value_or(duration_s);
  std::vector<UncertaintySource> sources{sensor_source(device, energy_j, present_s)};
  for (auto extra :
       {integration_source(device), edge_source(device), part_time_source(device, present_s)}) {
    if (extra) sources.push_back(std::move(*extra));
  }
  return combine(std::move(sources), energy_j);
}

}  // namespace

std::optional<double> relative_half_width(const EnergyUncertainty& uncertainty, double energy_j) {
  if (!uncertainty.ci95_low_j || !uncertainty.ci95_high_j || energy_j <= 0.0) return std::nullopt;
  return 0.5 * (*uncertainty.ci95_high_j - *uncertainty.ci95_low_j) / energy_j;
}

void add_energy_uncertainty(Measurement& measurement) {
  std::vector<UncertaintySource> per_device;
  bool complete = true;
  for (auto& device : measurement.devices) {
    if (!device.energy_j) continue;
    device.energy_uncertainty = device_uncertainty(device, measurement.duration_s);
    const auto& u = device.energy_uncertainty;
    // Devices' errors are independent: their half-widths add in quadrature.
    per_device.push_back({device.device.id, 0.5 * (*u.ci95_high_j - *u.ci95_low_j),
                          u.complete ? "every source stated" : "stated sources only"});
    complete = complete && u.complete;
  }
  if (!measurement.energy_j) return;
  measurement.energy_uncertainty = combine(std::move(per_device), *measurement.energy_j);
  measurement.energy_uncertainty.complete = complete;
}

}  // namespace joulebench
