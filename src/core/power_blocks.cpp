#include "core/power_blocks.hpp"

#include <algorithm>
#include <cmath>

namespace joulebench {

void PowerBlocks::close_block() {
  // A block with a gap (no readings over part of it) has no honest mean: it is skipped.
  if (current_covered_ns_ >= block_ns_) {
    block_means_w_.add(current_energy_j_ / ns_to_s(block_ns_));
  }
  ++current_block_;
  current_energy_j_ = 0.0;
  current_covered_ns_ = 0;
}

void PowerBlocks::add_segment(TimeNs t0_ns, double p0_w, TimeNs t1_ns, double p1_w) {
  if (t1_ns <= t0_ns || t0_ns < origin_ns_) return;
  const double slope_w_per_ns = (p1_w - p0_w) / static_cast<double>(t1_ns - t0_ns);
  const auto power_at = [&](TimeNs t) {
    return p0_w + slope_w_per_ns * static_cast<double>(t - t0_ns);
  };
  TimeNs from = t0_ns;
  while (from < t1_ns) {
    const auto block = static_cast<std::size_t>((from - origin_ns_) / block_ns_);
    while (current_block_ < block) close_block();
    const TimeNs block_end = origin_ns_ + static_cast<TimeNs>(block + 1) * block_ns_;
    const TimeNs to = std::min(t1_ns, block_end);
    current_energy_j_ += 0.5 * (power_at(from) + power_at(to)) * ns_to_s(to - from);
    current_covered_ns_ += to - from;
    if (to == block_end) close_block();
    from = to;
  }
}

std::optional<double> PowerBlocks::cv() const {
  const GaugeSummary blocks = block_means_w_.summary();
  if (blocks.count < kMinSteadyPowerBlocks || !blocks.stddev || !blocks.mean ||
      *blocks.mean == 0.0) {
    return std::nullopt;
  }
  return *blocks.stddev / std::fabs(*blocks.mean);
}

}  // namespace joulebench
