// Turning two raw readings of a cumulative hardware energy counter into energy.
// The one place where counter wrap-around and resets are handled (table-tested).
#pragma once

#include <optional>

namespace joulebench {

enum class CounterStep {
  normal,   // the counter moved forward
  wrapped,  // it passed its maximum and restarted from 0 (RAPL max_energy_range_uj)
  reset,    // it went backwards with no known maximum (driver reload): the step counts 0
};

struct CounterDelta {
  double delta_j = 0.0;  // never negative
  CounterStep step = CounterStep::normal;
};

// previous_j, current_j: raw counter values in J; max_j: the value after which the counter
// wraps to 0, when the device documents one.
CounterDelta counter_delta(double previous_j, double current_j, std::optional<double> max_j);

}  // namespace joulebench
