#include "core/device_accumulator.hpp"

#include <fmt/format.h>

#include <cmath>

#include "core/energy_counter.hpp"

namespace joulebench {

std::string throttle_reason_name(std::uint64_t bit) {
  switch (bit) {
    case throttle::kGpuIdle:
      return "gpu_idle";
    case throttle::kApplicationsClocks:
      return "applications_clocks";
    case throttle::kSwPowerCap:
      return "sw_power_cap";
    case throttle::kHwSlowdown:
      return "hw_slowdown";
    case throttle::kSyncBoost:
      return "sync_boost";
    case throttle::kSwThermal:
      return "sw_thermal";
    case throttle::kHwThermal:
      return "hw_thermal";
    case throttle::kHwPowerBrake:
      return "hw_power_brake";
    case throttle::kDisplayClocks:
      return "display_clocks";
    default:
      break;
  }
  int index = 0;
  while (index < 63 && (bit >> index) != 1) ++index;
  return "bit_" + std::to_string(index);
}

void DeviceAccumulator::add(const Sample& sample) {
  if (lost()) return;
  ++samples_;
  if (sample.energy_counter_j) add_counter(*sample.energy_counter_j);
  if (sample.power_w) add_power(sample.time_ns, *sample.power_w);
  if (sample.temperature_c) temperature_c_.add(*sample.temperature_c);
  if (sample.gpu_utilization_pct) utilization_pct_.add(*sample.gpu_utilization_pct);
  if (sample.sm_clock_mhz) sm_clock_mhz_.add(*sample.sm_clock_mhz);
  if (sample.memory_used_bytes)
    memory_used_bytes_.add(static_cast<double>(*sample.memory_used_bytes));
  if (sample.throttle_mask) add_throttle(*sample.throttle_mask, sample.time_ns);
}

void DeviceAccumulator::add_counter(double counter_j) {
  ++counter_readings_;
  if (last_counter_j_) {
    const CounterDelta delta = counter_delta(*last_counter_j_, counter_j, device_->counter_max_j);
    counter_energy_j_ += delta.delta_j;
    if (delta.step == CounterStep::wrapped) ++counter_wraps_;
    if (delta.step == CounterStep::reset) ++counter_resets_;
  }
  last_counter_j_ = counter_j;
}

void DeviceAccumulator::add_power(TimeNs time_ns, double power_w) {
  ++power_readings_;
  power_w_.add(power_w);
  if (cycle_periodicity_) cycle_periodicity_->add(time_ns, power_w);
  // Trapezoid between consecutive power samples; a gap of failed reads is bridged linearly.
  if (last_power_ns_ && time_ns > *last_power_ns_) {
    const double interval_s = ns_to_s(time_ns - *last_power_ns_);
    integrated_energy_j_ += 0.5 * (*last_power_w_ + power_w) * interval_s;
    const double step_j = (power_w - *last_power_w_) * interval_s;
    integration_step_sum_j2_ += step_j * step_j;
    power_blocks_.add_segment(*last_power_ns_, *last_power_w_, time_ns, power_w);
  }
  last_power_ns_ = time_ns;
  last_power_w_ = power_w;
}

void DeviceAccumulator::add_throttle(std::uint64_t mask, TimeNs time_ns) {
  for (std::size_t bit = 0; bit < throttle_bits_.size(); ++bit) {
    if ((mask & (std::uint64_t{1} << bit)) == 0) continue;
    auto& seen = throttle_bits_[bit];
    if (seen.samples++ == 0) seen.first_ns = time_ns;
  }
}

void DeviceAccumulator::break_chain() {
  last_power_ns_.reset();
  last_counter_j_.reset();
}

void DeviceAccumulator::mark_lost(TimeNs time_ns) {
  if (!lost_at_ns_) lost_at_ns_ = time_ns;
}

namespace {

// An energy counter moves in steps of its update period, so its difference over a window
// covers a whole number of updates: up to one period more or less than the window. Over fewer
// than this many updates that error can pass 5% (a 10 ms window read a 195.5 W average against
// a 195.0 W peak); integrated power, read at the window's own edges, is used there instead.
constexpr double kMinCounterUpdatesPerWindow = 20;

}  // namespace

bool DeviceAccumulator::counter_too_coarse_for(double window_s) const {
  const auto& period_s = device_->counter_update_period_s;
  return period_s && *period_s > 0 && window_s < kMinCounterUpdatesPerWindow * *period_s;
}

EnergyMethod DeviceAccumulator::choose_method(double window_s, std::string& reason) const {
  const bool counter = device_->supports(Metric::energy_counter) && counter_readings_ >= 2;
  const bool coarse = counter && counter_too_coarse_for(window_s);
  if (coarse && power_readings_ >= 2) {
    reason = fmt::format(
        "integrated power: the {:.3f} s window spans fewer than {:.0f} updates of the energy "
        "counter ({} s each), whose difference could be off by one update",
        window_s, kMinCounterUpdatesPerWindow, *device_->counter_update_period_s);
    return EnergyMethod::integrated;
  }
  if (counter) return EnergyMethod::counter;
  if (power_readings_ >= 2) {
    if (device_->power_kind == PowerKind::average_1s) {
      reason =
          "integrated 1 s-averaged power (nvmlDeviceGetPowerUsage): short windows lag the load";
    }
    return EnergyMethod::integrated;
  }
  if (!device_->supports(Metric::energy_counter) && !device_->supports(Metric::power)) {
    reason = "the device reports neither an energy counter nor power";
  } else {
    reason = "fewer than 2 readings of power or of the energy counter in the window";
  }
  return EnergyMethod::none;
}

double DeviceAccumulator::energy_so_far_j() const {
  if (device_->supports(Metric::energy_counter) && counter_readings_ >= 2) return counter_energy_j_;
  return integrated_energy_j_;
}

DeviceMeasurement DeviceAccumulator::finish(TimeNs end_ns) const {
  DeviceMeasurement out;
  out.device = *device_;
  out.method = choose_method(ns_to_s(end_ns - start_ns_), out.energy_reason);
  if (counter_readings_ >= 2) out.counter_energy_j = counter_energy_j_;
  if (power_readings_ >= 2) {
    out.integrated_energy_j = integrated_energy_j_;
    // Each trapezoid is off by at most half its power step x its length; as independent
    // uniform errors their sum has sd sqrt(sum (step x dt)^2 / 12), 95% at 1.96 sd.
    out.integration_half_width_j = 1.96 * std::sqrt(integration_step_sum_j2_ / 12.0);
  }
  if (out.method == EnergyMethod::counter) out.energy_j = out.counter_energy_j;
  if (out.method == EnergyMethod::integrated) out.energy_j = out.integrated_energy_j;
  out.raw_energy_j = out.energy_j;
  if (out.counter_energy_j && out.integrated_energy_j && *out.counter_energy_j > 0) {
    out.method_disagreement =
        std::fabs(*out.counter_energy_j - *out.integrated_energy_j) / *out.counter_energy_j;
  }
  // A lost device's power is averaged over the time it was there.
  const TimeNs until_ns = lost_at_ns_ ? std::min(*lost_at_ns_, end_ns) : end_ns;
  const double seconds = ns_to_s(until_ns - start_ns_);
  if (out.energy_j && seconds > 0) out.avg_power_w = *out.energy_j / seconds;
  out.power_w = power_w_.summary();
  out.peak_power_w = out.power_w.max;
  out.steady_power_cv = power_blocks_.cv();
  if (cycle_periodicity_) {
    const CyclePeriodicity periodicity = cycle_periodicity_->result();
    out.cycle_blocks = periodicity.blocks;
    out.cycle_aligned_blocks = periodicity.aligned_blocks;
    out.cycle_aligned_period_s = periodicity.period_s;
  }
  out.samples = samples_;
  out.failed_reads = failed_reads_;
  out.counter_wraps = counter_wraps_;
  out.counter_resets = counter_resets_;
  out.temperature_c = temperature_c_.summary();
  out.gpu_utilization_pct = utilization_pct_.summary();
  out.sm_clock_mhz = sm_clock_mhz_.summary();
  out.memory_used_bytes = memory_used_bytes_.summary();
  for (std::size_t bit = 0; bit < throttle_bits_.size(); ++bit) {
    const auto& seen = throttle_bits_[bit];
    if (seen.samples == 0) continue;
    const std::uint64_t mask = std::uint64_t{1} << bit;
    out.throttle_events.push_back(
        {mask, throttle_reason_name(mask), ns_to_s(seen.first_ns - start_ns_), seen.samples});
  }
  out.lost = lost_at_ns_.has_value();
  if (lost_at_ns_) out.lost_at_s = ns_to_s(*lost_at_ns_ - start_ns_);
  return out;
}

}  // namespace joulebench
