#include "fake_device.hpp"

#include <algorithm>
#include <cmath>

#include "sensors/nvml/nvml_api.hpp"

namespace joulebench::fake_nvml {

FakeDevice::FakeDevice(DeviceScenario scenario) : scenario_(std::move(scenario)) {
  if (scenario_.load) load_.emplace(*scenario_.load, scenario_.counter_update_period_s);
}

void FakeDevice::observe(double t_s) {
  if (load_) load_->observe(t_s);
}

int FakeDevice::status(std::string_view function, double t_s) const {
  if (scenario_.lost_at_s && t_s >= *scenario_.lost_at_s) return nvml::kGpuIsLost;
  for (const auto& failure : scenario_.failures) {
    if (failure.function == function && failure.from_s <= t_s && t_s < failure.to_s) {
      return failure.code;
    }
  }
  return nvml::kSuccess;
}

double FakeDevice::power_w(double t_s) const {
  return load_ ? load_->power_w() : scenario_.power_w.at(t_s);
}

std::optional<double> FakeDevice::average_power_w(double t_s) const {
  if (!scenario_.power_usage_average_s) return std::nullopt;
  if (load_) return load_->power_w();
  const double window_s = *scenario_.power_usage_average_s;
  return scenario_.power_w.integral(t_s - window_s, t_s) / window_s;
}

double FakeDevice::power_usage_w(double t_s) const {
  return average_power_w(t_s).value_or(power_w(t_s));
}

std::uint64_t FakeDevice::energy_mj(double t_s) const {
  const double energy_j =
      load_ ? load_->counter_energy_j()
            : scenario_.power_w.integral(
                  0.0, last_tick_s(std::max(t_s, 0.0), scenario_.counter_update_period_s));
  return scenario_.energy_start_mj + static_cast<std::uint64_t>(std::llround(energy_j * 1e3));
}

std::uint64_t FakeDevice::throttle_mask(double t_s) const {
  std::uint64_t mask = 0;
  for (const auto& interval : scenario_.throttle) {
    if (interval.from_s <= t_s && t_s < interval.to_s) mask |= interval.mask;
  }
  return mask;
}

}  // namespace joulebench::fake_nvml
