#include "fake_device.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iomanip>

#include "sensors/nvml/nvml_api.hpp"

namespace joulebench::fake_nvml {

FakeDevice::FakeDevice(DeviceScenario scenario, double epoch_monotonic_s)
    : scenario_(std::move(scenario)) {
  if (scenario_.load) load_.emplace(*scenario_.load, scenario_.counter_update_period_s);
  if (scenario_.activity) activity_.emplace(*scenario_.activity, epoch_monotonic_s);
  if (scenario_.part_time) part_time_.emplace(*scenario_.part_time);
}

void FakeDevice::observe(double t_s) {
  if (load_) load_->observe(t_s);
  if (activity_) activity_->observe();
  if (part_time_) {
    part_time_->observe(t_s,
                        [this](double from_s, double to_s) { return true_energy_j(from_s, to_s); });
  }
  if (scenario_.truth_file) write_truth(t_s);
}

double FakeDevice::true_power_w(double t_s) const {
  if (activity_) return activity_->power_w(t_s);
  return load_ ? load_->power_w() : scenario_.power_w.at(t_s) * scale_now();
}

double FakeDevice::true_energy_j(double from_s, double to_s) const {
  return activity_ ? activity_->energy_j(from_s, to_s) : scaled_energy_j(from_s, to_s);
}

// The profile's integral, each piece times the scale in force then.
double FakeDevice::scaled_energy_j(double from_s, double to_s) const {
  double energy_j = 0.0;
  for (std::size_t i = 0; i < segments_.size(); ++i) {
    const double start_s = i == 0 ? from_s : std::max(from_s, segments_[i].from_s);
    const double end_s = i + 1 < segments_.size() ? std::min(to_s, segments_[i + 1].from_s) : to_s;
    if (end_s > start_s)
      energy_j += segments_[i].scale * scenario_.power_w.integral(start_s, end_s);
  }
  return energy_j;
}

double FakeDevice::scale_now() const { return segments_.back().scale; }

double FakeDevice::enforced_limit_w() const {
  return settings_.power_limit_mw ? *settings_.power_limit_mw / 1e3 : scenario_.power_limit_w;
}

double FakeDevice::clock_factor() const {
  if (!settings_.gpu_locked || scenario_.graphics_clocks_mhz.empty()) return 1.0;
  return std::min(1.0, static_cast<double>(settings_.gpu_locked->max_mhz) /
                           scenario_.graphics_clocks_mhz.front());
}

double FakeDevice::graphics_clock_mhz(double t_s) const {
  const double clock = scenario_.sm_clock_mhz.at(t_s);
  return settings_.gpu_locked ? std::min<double>(clock, settings_.gpu_locked->max_mhz) : clock;
}

void FakeDevice::apply(const DeviceSettings& settings, double t_s) {
  settings_ = settings;
  const double peak_w = scenario_.power_w.peak();
  double scale = clock_factor();
  if (peak_w * scale > enforced_limit_w() && peak_w > 0.0) scale = enforced_limit_w() / peak_w;
  if (t_s <= segments_.back().from_s) {
    segments_.back().scale = scale;
  } else {
    segments_.push_back({t_s, scale});
  }
}

// "t_s true_energy_j counter_energy_j": what a test compares the sensor with. Written to a
// temporary file and renamed, so that a reader sees a whole line.
void FakeDevice::write_truth(double t_s) const {
  const std::string temporary = *scenario_.truth_file + ".tmp";
  {
    std::ofstream out(temporary, std::ios::trunc);
    out << std::setprecision(17) << t_s << ' '
        << (load_ ? load_->counter_energy_j() : true_energy_j(0.0, t_s)) << ' '
        << counter_energy_j(t_s) << '\n';
  }
  std::rename(temporary.c_str(), scenario_.truth_file->c_str());
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
  if (part_time_) return part_time_->reading_w().value_or(true_power_w(t_s));
  return true_power_w(t_s);
}

std::optional<double> FakeDevice::average_power_w(double t_s) const {
  if (!scenario_.power_usage_average_s) return std::nullopt;
  if (load_ || part_time_ || activity_) return power_w(t_s);
  const double window_s = *scenario_.power_usage_average_s;
  return scenario_.power_w.integral(t_s - window_s, t_s) / window_s;
}

double FakeDevice::power_usage_w(double t_s) const {
  return average_power_w(t_s).value_or(power_w(t_s));
}

double FakeDevice::counter_energy_j(double t_s) const {
  if (part_time_) return part_time_->counter_energy_j();
  if (load_) return load_->counter_energy_j();
  return true_energy_j(0.0, last_tick_s(std::max(t_s, 0.0), scenario_.counter_update_period_s));
}

std::uint64_t FakeDevice::energy_mj(double t_s) const {
  return scenario_.energy_start_mj +
         static_cast<std::uint64_t>(std::llround(counter_energy_j(t_s) * 1e3));
}

std::uint64_t FakeDevice::throttle_mask(double t_s) const {
  std::uint64_t mask = 0;
  for (const auto& interval : scenario_.throttle) {
    if (interval.from_s <= t_s && t_s < interval.to_s) mask |= interval.mask;
  }
  return mask;
}

}  // namespace joulebench::fake_nvml
