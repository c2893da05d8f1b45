// One simulated GPU: what it reports at a fake time, per its DeviceScenario.
// Thread-safety: not thread-safe (the fake runtime serialises calls).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "load_power.hpp"
#include "part_time.hpp"
#include "scenario.hpp"
#include "settings_state.hpp"

namespace joulebench::fake_nvml {

class FakeDevice {
 public:
  // `epoch_monotonic_s`: CLOCK_MONOTONIC seconds at fake time 0 (activity files use it).
  explicit FakeDevice(DeviceScenario scenario, double epoch_monotonic_s = 0.0);

  // Called on every call for this device: a load-driven device reads its load file here, an
  // activity-driven one its new busy intervals; a part-time sensor closes its windows, and the
  // truth file is rewritten.
  void observe(double t_s);

  // GPU_IS_LOST from lost_at_s on, else the first failure covering `t_s`, else SUCCESS.
  int status(std::string_view function, double t_s) const;

  double power_w(double t_s) const;
  // The trailing average over power_usage_average_s; nullopt when that is not set. A
  // load-driven device reports its current power (it keeps no history).
  std::optional<double> average_power_w(double t_s) const;
  // What nvmlDeviceGetPowerUsage reports: the average when configured, else power_w.
  double power_usage_w(double t_s) const;
  // The energy counter: the start value plus the exact integral of the power up to the last
  // update tick, rounded to the nearest mJ.
  std::uint64_t energy_mj(double t_s) const;
  std::uint64_t throttle_mask(double t_s) const;

  const DeviceScenario& scenario() const { return scenario_; }

  // Settable state (sweeps). A change at `t_s` rescales the profile-driven power from then on:
  // power = profile x min(locked max clock / highest clock, limit / the profile's peak), so a
  // lower limit caps the power and a lower clock slows (and cools) the GPU.
  const DeviceSettings& settings() const { return settings_; }
  void apply(const DeviceSettings& settings, double t_s);
  double enforced_limit_w() const;
  double clock_factor() const;  // locked max clock / highest supported clock, at most 1
  double graphics_clock_mhz(double t_s) const;

 private:
  // The simulated power before any sensor looks at it, and its exact integral (not for
  // load-driven devices, which keep no history).
  double true_power_w(double t_s) const;
  double true_energy_j(double from_s, double to_s) const;
  // The counter's energy since fake time 0, before the start value and rounding.
  double counter_energy_j(double t_s) const;
  void write_truth(double t_s) const;

  // The power scale in force from `from_s` on.
  struct ScaleSegment {
    double from_s;
    double scale;
  };
  double scale_now() const;
  double scaled_energy_j(double from_s, double to_s) const;

  DeviceScenario scenario_;
  DeviceSettings settings_;
  std::vector<ScaleSegment> segments_{{0.0, 1.0}};
  std::optional<LoadPowerIntegrator> load_;
  std::optional<ActivityPower> activity_;
  std::optional<PartTimeSensor> part_time_;
};

}  // namespace joulebench::fake_nvml
