// Power derived from successive readings of a RAPL energy counter (PowerKind::derived).
#pragma once

#include <cstdint>
#include <optional>

#include "joulebench/units.hpp"

namespace joulebench::rapl {

// Average power in W between the previous base reading and this one. Thread-safety: one
// thread at a time (one instance per zone, owned by the sensor).
//
// Reads closer together than kMinIntervalNs give no power and keep the older base: the
// counter advances in steps about 1 ms apart, so over a short interval (a window boundary
// read just after a sampling round) one step would show up as a spike. A counter that goes
// backwards (a wrap, or a reset) gives no power and restarts from the new value; unwrapping
// belongs to the accountant, which knows counter_max_j and counts wraps in one place.
class DerivedPower {
 public:
  static constexpr TimeNs kMinIntervalNs = 20'000'000;  // 20 ms: one step is <= 5%

  std::optional<double> update(std::uint64_t energy_uj, TimeNs now_ns);

 private:
  bool has_base_ = false;
  std::uint64_t base_uj_ = 0;
  TimeNs base_ns_ = 0;
};

}  // namespace joulebench::rapl
