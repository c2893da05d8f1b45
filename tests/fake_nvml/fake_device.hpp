// One simulated GPU: what it reports at a fake time, per its DeviceScenario.
// Thread-safety: not thread-safe (the fake runtime serialises calls).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "load_power.hpp"
#include "scenario.hpp"

namespace joulebench::fake_nvml {

class FakeDevice {
 public:
  explicit FakeDevice(DeviceScenario scenario);

  // Called on every call for this device: a load-driven device reads its load file here.
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

 private:
  DeviceScenario scenario_;
  std::optional<LoadPowerIntegrator> load_;
};

}  // namespace joulebench::fake_nvml
