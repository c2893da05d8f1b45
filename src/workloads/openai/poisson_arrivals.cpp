#include "workloads/openai/poisson_arrivals.hpp"

#include <cmath>

#include "core/splitmix64.hpp"

namespace joulebench {

PoissonArrivals::PoissonArrivals(double rate_per_s, std::uint64_t seed)
    : mean_gap_ns_(1e9 / rate_per_s), state_(seed) {}

TimeNs PoissonArrivals::next_gap_ns() {
  // Inverse CDF of the exponential distribution; 1 - u is in (0, 1], so the log is finite.
  const double u = splitmix64_unit(state_);
  return static_cast<TimeNs>(std::llround(-std::log1p(-u) * mean_gap_ns_));
}

}  // namespace joulebench
