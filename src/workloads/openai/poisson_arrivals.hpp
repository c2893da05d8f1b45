// Arrival times of a Poisson process: independent exponential gaps with mean 1/rate, drawn
// from a seeded generator so that a run's schedule is repeatable. Thread-safety: one
// instance per run, not shared.
#pragma once

#include <cstdint>

#include "joulebench/units.hpp"

namespace joulebench {

class PoissonArrivals {
 public:
  // rate_per_s must be > 0 and finite (the load generator validates it).
  PoissonArrivals(double rate_per_s, std::uint64_t seed);

  // Time from one arrival to the next, in nanoseconds (>= 0).
  TimeNs next_gap_ns();

 private:
  double mean_gap_ns_;
  std::uint64_t state_;
};

}  // namespace joulebench
