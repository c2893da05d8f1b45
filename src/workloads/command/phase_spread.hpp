// Phase spreading for `joulebench run`: a random idle delay before each iteration, uniform in
// [0, the sensor's cycle), so that a load that repeats in step with a part-time power sensor
// (A100/H100: 25 ms of every 100 ms) is not seen at the same phase in every iteration. Over
// the iterations the phases are uniform and the aliasing error averages out instead of adding
// up. The delay lies between iteration windows: no iteration's energy includes it, the
// whole-run window does (idle time, reported as total_delay_s).
// Thread-safety: value types; a PhaseSpreader is used by one thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "joulebench/error.hpp"

namespace joulebench {

// NVML's energy and power update period: the cycle used when spreading is forced on for GPUs
// that the catalog does not mark part-time.
inline constexpr double kDefaultSensorCycleS = 0.1;

enum class PhaseSpreadMode { automatic, on, off };

// "auto", "on" or "off"; an error naming --spread-phases otherwise.
Expected<PhaseSpreadMode> parse_phase_spread_mode(std::string_view text);
const char* to_string(PhaseSpreadMode mode);

struct PhaseSpreading {
  std::string mode = "off";  // as asked: "auto", "on", "off"
  bool enabled = false;
  std::string reason;                     // why it is on or off
  std::uint64_t seed = 0;                 // --phase-seed, or the random one drawn
  double cycle_s = kDefaultSensorCycleS;  // delays are uniform in [0, cycle_s)
  std::size_t delays = 0;
  double total_delay_s = 0.0;  // idle time between iterations, outside every iteration window
};

// `part_time_devices`: one description per measured device that samples part-time (empty:
// none); `cycle_s`: their longest cycle. Auto spreads exactly when there is such a device.
PhaseSpreading plan_phase_spreading(PhaseSpreadMode mode,
                                    const std::vector<std::string>& part_time_devices,
                                    std::optional<double> cycle_s, std::uint64_t seed);

class PhaseSpreader {
 public:
  // Records every delay in `record`, which must outlive the spreader.
  explicit PhaseSpreader(PhaseSpreading& record) : record_(record), state_(record.seed) {}

  // The delay before the next iteration in seconds: uniform in [0, cycle_s) from the seeded
  // splitmix64 stream (identical on every platform); 0 when spreading is off.
  double next_delay_s();

 private:
  PhaseSpreading& record_;
  std::uint64_t state_;
};

}  // namespace joulebench
