#include "load_power.hpp"

#include <algorithm>
#include <cmath>

#include "number_file.hpp"

namespace joulebench::fake_nvml {

double last_tick_s(double t_s, double period_s) {
  // 0.3 / 0.1 is 2.9999999999999996 in doubles; a tick that is due must not be missed.
  constexpr double kTolerance = 1e-9;
  return std::floor(t_s / period_s + kTolerance) * period_s;
}

LoadPowerIntegrator::LoadPowerIntegrator(LoadDrivenPower config, double counter_update_period_s)
    : config_(std::move(config)), counter_update_period_s_(counter_update_period_s) {
  power_w_ = read_power_w();
}

double LoadPowerIntegrator::read_power_w() {
  if (auto load = read_number_file(config_.load_file)) load_ = std::max(*load, 0.0);
  return config_.idle_power_w + config_.power_per_load_w * load_;
}

void LoadPowerIntegrator::observe(double t_s) {
  if (t_s < last_t_s_) t_s = last_t_s_;
  const double tick_s = last_tick_s(t_s, counter_update_period_s_);
  if (tick_s >= last_t_s_) counter_energy_j_ = energy_j_ + power_w_ * (tick_s - last_t_s_);
  energy_j_ += power_w_ * (t_s - last_t_s_);
  last_t_s_ = t_s;
  power_w_ = read_power_w();
}

}  // namespace joulebench::fake_nvml
