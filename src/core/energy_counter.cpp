#include "core/energy_counter.hpp"

namespace joulebench {

CounterDelta counter_delta(double previous_j, double current_j, std::optional<double> max_j) {
  if (current_j >= previous_j) return {current_j - previous_j, CounterStep::normal};
  // Backwards. With a known range and a previous value inside it, this is a wrap: the
  // counter ran from previous to max, then from 0 to current.
  // A negative reading is no counter value at all: never a wrap.
  if (max_j && *max_j > 0 && previous_j <= *max_j && current_j >= 0.0) {
    return {(*max_j - previous_j) + current_j, CounterStep::wrapped};
  }
  // Without a range (NVML's 64-bit mJ counter never wraps in practice) it is a reset: the
  // energy of this one step is unknown, so it counts 0 rather than a made-up figure.
  return {0.0, CounterStep::reset};
}

}  // namespace joulebench
