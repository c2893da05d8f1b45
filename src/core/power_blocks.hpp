// Steady-state power: a device's mean power over consecutive fixed-length blocks of a window,
// reduced to their coefficient of variation. The validity criterion "power CV < 5%" is about
// whether the load was steady, not about the sample-to-sample ripple that a serving load (one
// request ending, the next prefilling) creates at 100 ms; averaging over 1 s blocks, the period
// of NVML's own averaged power, keeps the first and smooths the second.
// Not thread-safe (owned by one DeviceAccumulator).
#pragma once

#include <optional>

#include "core/gauge.hpp"
#include "joulebench/units.hpp"

namespace joulebench {

inline constexpr TimeNs kSteadyPowerBlockNs = 1'000'000'000;  // 1 s
inline constexpr std::size_t kMinSteadyPowerBlocks = 3;       // fewer: no CV

class PowerBlocks {
 public:
  PowerBlocks(TimeNs origin_ns, TimeNs block_ns = kSteadyPowerBlockNs)
      : origin_ns_(origin_ns), block_ns_(block_ns) {}

  // One trapezoid segment of power between two timestamped readings (t0 < t1); its energy is
  // shared among the blocks it spans by linear interpolation at their edges.
  void add_segment(TimeNs t0_ns, double p0_w, TimeNs t1_ns, double p1_w);

  // CV of the complete blocks' mean power; null below kMinSteadyPowerBlocks complete blocks
  // or with a zero mean.
  std::optional<double> cv() const;
  std::size_t complete_blocks() const { return block_means_w_.summary().count; }

 private:
  void close_block();

  TimeNs origin_ns_;
  TimeNs block_ns_;
  std::size_t current_block_ = 0;
  double current_energy_j_ = 0.0;
  TimeNs current_covered_ns_ = 0;  // time inside the current block covered by segments
  Gauge block_means_w_;
};

}  // namespace joulebench
