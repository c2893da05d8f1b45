#include "core/window.hpp"

#include <fmt/format.h>

namespace joulebench {

WindowAccumulator::WindowAccumulator(std::string name, const std::vector<DeviceInfo>& devices,
                                     TimeNs origin_ns, TimeNs start_ns)
    : name_(std::move(name)), origin_ns_(origin_ns), start_ns_(start_ns) {
  devices_.reserve(devices.size());
  for (const auto& device : devices) devices_.emplace_back(device, start_ns);
}

void WindowAccumulator::end_round() {
  double total_w = 0.0;
  bool any = false;
  for (const auto& device : devices_) {
    if (device.lost()) continue;
    if (auto power_w = device.latest_power_w()) {
      total_w += *power_w;
      any = true;
    }
  }
  if (any && (!peak_total_w_ || total_w > *peak_total_w_)) peak_total_w_ = total_w;
}

Measurement WindowAccumulator::finish(TimeNs end_ns) const {
  Measurement out;
  out.name = name_;
  out.start_s = ns_to_s(start_ns_ - origin_ns_);
  out.duration_s = ns_to_s(end_ns - start_ns_);
  out.peak_power_w = peak_total_w_;
  for (const auto& device : devices_) out.devices.push_back(device.finish(end_ns));
  for (const auto& device : out.devices) {
    if (device.energy_j) out.energy_j = out.energy_j.value_or(0.0) + *device.energy_j;
  }
  if (out.energy_j && out.duration_s > 0) out.avg_power_w = *out.energy_j / out.duration_s;
  add_warnings(out);
  return out;
}

void WindowAccumulator::add_warnings(Measurement& m) const {
  for (const auto& device : m.devices) {
    const auto& id = device.device.id;
    const auto& period = device.device.counter_update_period_s;
    if (device.method == EnergyMethod::counter && period && m.duration_s < *period) {
      m.warnings.push_back(fmt::format(
          "window '{}' of {:.3f} s is shorter than the {} s energy-counter update period of {}; "
          "its energy may read 0",
          m.name, m.duration_s, *period, id));
    }
    if (device.samples < 2) {
      m.warnings.push_back(fmt::format("{} has {} sample(s) in window '{}' (at least 2 are needed)",
                                       id, device.samples, m.name));
    }
    if (device.lost) {
      m.warnings.push_back(
          fmt::format("{} was lost at {:.3f} s into window '{}'; its energy up to "
                      "then is kept",
                      id, device.lost_at_s.value_or(0.0), m.name));
    }
    if (device.counter_wraps > 0 || device.counter_resets > 0) {
      m.warnings.push_back(
          fmt::format("{}: energy counter wrapped {} and reset {} time(s); a reset "
                      "step counts 0 J",
                      id, device.counter_wraps, device.counter_resets));
    }
    if (!device.energy_j) {
      m.warnings.push_back(fmt::format("{} has no energy and is left out of the total: {}", id,
                                       device.energy_reason));
    }
    if (device.cycle_aligned_period_s && device.device.part_time_cycle_s) {
      m.warnings.push_back(fmt::format(
          "{}: power repeats every {:.3f} s ({} of {} blocks of samples), a multiple of the {} s "
          "cycle of its part-time power sensor: readings in step with the load may over- or "
          "under-state its energy (aliasing); spread the load's phase (joulebench run "
          "--spread-phases on)",
          id, *device.cycle_aligned_period_s, device.cycle_aligned_blocks, device.cycle_blocks,
          *device.device.part_time_cycle_s));
    }
    if (device.failed_reads > 0) {
      m.warnings.push_back(fmt::format("{}: {} read(s) failed", id, device.failed_reads));
    }
  }
}

}  // namespace joulebench
