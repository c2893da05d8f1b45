// Everything measured about one device over one window: counter energy, trapezoid-integrated
// energy, gauges, throttle events, failed reads, loss. Fed samples in time order; finish()
// makes the DeviceMeasurement. The live sampler and the offline summarizer both use it, so
// live and offline figures come from the same code. Not thread-safe (one owner).
#pragma once

#include <array>
#include <optional>

#include "core/cycle_periodicity.hpp"
#include "core/gauge.hpp"
#include "core/power_blocks.hpp"
#include "joulebench/result.hpp"

namespace joulebench {

class DeviceAccumulator {
 public:
  // `device` must outlive the accumulator. start_ns: the window's start on the samples' clock.
  DeviceAccumulator(const DeviceInfo& device, TimeNs start_ns)
      : device_(&device), start_ns_(start_ns), power_blocks_(start_ns) {
    if (device.part_time_cycle_s) cycle_periodicity_.emplace(*device.part_time_cycle_s);
  }

  void add(const Sample& sample);
  void add_failed_read() { ++failed_reads_; }
  void mark_lost(TimeNs time_ns);
  // The next sample follows a gap or a counter jump: it starts a new chain (no trapezoid,
  // no counter step joins it to the samples before).
  void break_chain();

  // Energy so far by the method finish() would choose (0 before two readings).
  double energy_so_far_j() const;
  // The latest power reading, if any.
  std::optional<double> latest_power_w() const { return last_power_w_; }
  bool lost() const { return lost_at_ns_.has_value(); }

  DeviceMeasurement finish(TimeNs end_ns) const;

 private:
  void add_counter(double counter_j);
  void add_power(TimeNs time_ns, double power_w);
  void add_throttle(std::uint64_t mask, TimeNs time_ns);
  EnergyMethod choose_method(double window_s, std::string& reason) const;
  bool counter_too_coarse_for(double window_s) const;

  struct ThrottleBit {
    std::size_t samples = 0;
    TimeNs first_ns = 0;
  };

  const DeviceInfo* device_;
  TimeNs start_ns_;
  std::size_t samples_ = 0;
  std::size_t failed_reads_ = 0;
  std::optional<double> last_counter_j_;
  std::size_t counter_readings_ = 0;
  double counter_energy_j_ = 0.0;
  std::size_t counter_wraps_ = 0;
  std::size_t counter_resets_ = 0;
  std::optional<TimeNs> last_power_ns_;
  std::optional<double> last_power_w_;
  std::size_t power_readings_ = 0;
  double integrated_energy_j_ = 0.0;
  double integration_step_sum_j2_ = 0.0;  // sum of (power step x interval)^2
  Gauge power_w_;
  PowerBlocks power_blocks_;
  std::optional<CyclePeriodicityDetector> cycle_periodicity_;  // part-time sensors only
  Gauge temperature_c_;
  Gauge utilization_pct_;
  Gauge sm_clock_mhz_;
  Gauge memory_used_bytes_;
  std::array<ThrottleBit, 16> throttle_bits_{};
  std::optional<TimeNs> lost_at_ns_;
};

// "sw_power_cap", "hw_thermal", ... for a throttle:: bit; "bit_N" for others.
std::string throttle_reason_name(std::uint64_t bit);

}  // namespace joulebench
