#include "part_time.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>

namespace joulebench::fake_nvml {

ActivityPower::ActivityPower(ActivityDrivenPower config, double epoch_monotonic_s)
    : config_(std::move(config)), epoch_monotonic_s_(epoch_monotonic_s) {
  observe();
}

void ActivityPower::observe() {
  std::ifstream file(config_.activity_file, std::ios::binary);
  if (!file) return;  // not written yet: idle
  file.seekg(static_cast<std::streamoff>(read_bytes_));
  std::string line;
  // Only complete lines: the workload may be half-way through writing the last one.
  while (std::getline(file, line) && !file.eof()) {
    read_bytes_ += line.size() + 1;
    std::istringstream fields(line);
    double from_s = 0.0;
    double to_s = 0.0;
    if (fields >> from_s >> to_s && to_s > from_s) {
      busy_.push_back({from_s - epoch_monotonic_s_, to_s - epoch_monotonic_s_});
    }
  }
}

double ActivityPower::power_w(double t_s) const {
  for (const auto& interval : busy_) {
    if (interval.from_s <= t_s && t_s < interval.to_s) return config_.busy_power_w;
  }
  return config_.idle_power_w;
}

double ActivityPower::energy_j(double from_s, double to_s) const {
  double busy_s = 0.0;
  for (const auto& interval : busy_) {
    busy_s += std::max(0.0, std::min(to_s, interval.to_s) - std::max(from_s, interval.from_s));
  }
  return config_.idle_power_w * (to_s - from_s) +
         (config_.busy_power_w - config_.idle_power_w) * busy_s;
}

void PartTimeSensor::observe(double t_s, const EnergyOver& true_energy_j) {
  for (;; ++next_window_) {
    const double start_s = static_cast<double>(next_window_) * config_.cycle_s + config_.phase_s;
    const double end_s = start_s + config_.window_s;
    if (end_s > t_s) break;
    const double mean_w = true_energy_j(start_s, end_s) / config_.window_s;
    reading_w_ = mean_w;
    counter_energy_j_ += mean_w * config_.cycle_s;
  }
}

}  // namespace joulebench::fake_nvml
