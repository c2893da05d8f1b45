// Results of a measurement window, per device and in total.
// Every energy figure says how it was obtained (`method`); a figure that cannot be known
// is std::nullopt and comes with a reason, never 0. Thread-safety: value types.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "joulebench/calibration.hpp"
#include "joulebench/sensor.hpp"

namespace joulebench {

enum class EnergyMethod {
  counter,     // difference of the hardware energy counter (preferred)
  integrated,  // trapezoid integration of timestamped power samples (fallback)
  none,        // neither was possible; energy is null with a reason
};

const char* to_string(EnergyMethod method);  // "counter", "integrated", "none"

// min / mean / max of a gauge over the window; count == 0 means no data (all nullopt).
struct GaugeSummary {
  std::size_t count = 0;
  std::optional<double> min;
  std::optional<double> mean;
  std::optional<double> max;
  std::optional<double> stddev;  // sample standard deviation (n - 1); null when count < 2
};

// A throttle reason seen during the window.
struct ThrottleEvent {
  std::uint64_t reason_bit = 0;  // one throttle:: bit
  std::string reason;            // "hw_thermal", "sw_power_cap", ...
  double first_seen_s = 0.0;     // seconds since the window began
  std::size_t samples = 0;       // samples on which the bit was set
};

// One stated source of uncertainty in an energy figure, as the half-width of its 95% interval.
struct UncertaintySource {
  std::string name;                    // "sensor accuracy", "calibration", "integration", ...
  std::optional<double> half_width_j;  // null: no one states it (basis says so)
  std::string basis;                   // where the figure comes from
};

// The 95% interval of an energy figure and the sources it is built from (combined in
// quadrature: they are independent). Not complete when a source is unknown: the interval then
// covers only what is stated. Empty (no interval) when the energy itself is null.
struct EnergyUncertainty {
  std::optional<double> ci95_low_j;
  std::optional<double> ci95_high_j;
  std::vector<UncertaintySource> sources;
  bool complete = true;
};

struct DeviceMeasurement {
  DeviceInfo device;
  EnergyMethod method = EnergyMethod::none;
  std::optional<double> energy_j;  // = counter_energy_j or integrated_energy_j per method
  std::string energy_reason;       // why energy is null, or a note on the method
  std::optional<double> counter_energy_j;
  std::optional<double> integrated_energy_j;
  // The sensor's own energy (counter or integrated, per method). energy_j equals it unless a
  // calibration against a reference meter was applied; then energy_j is the calibrated figure.
  std::optional<double> raw_energy_j;
  std::optional<AppliedCalibration> calibration;  // null: no calibration for this device
  EnergyUncertainty energy_uncertainty;           // of energy_j (core/energy_uncertainty.hpp)
  // The trapezoid integration's own 95% half-width: each interval's error is within half the
  // power step times its length, taken as uniform and independent. Null without two readings.
  std::optional<double> integration_half_width_j;
  // |counter - integrated| / counter, when both exist and counter > 0.
  std::optional<double> method_disagreement;
  std::optional<double> avg_power_w;   // energy_j / duration
  std::optional<double> peak_power_w;  // largest power sample
  std::size_t samples = 0;             // successful reads inside the window
  std::size_t failed_reads = 0;
  std::size_t counter_resets = 0;  // counter went backwards (driver reload): not a wrap
  std::size_t counter_wraps = 0;
  GaugeSummary power_w;
  // Coefficient of variation of the device's mean power over the window's consecutive 1 s
  // blocks: how steady the load was (the validity criterion), without the sub-second ripple.
  // Null under 3 complete blocks.
  std::optional<double> steady_power_cv;
  // Part-time sensors only (DeviceInfo::part_time_cycle_s): the power's period when it repeats
  // at 1 to 4 times the sensor's cycle (core/cycle_periodicity.hpp), in how many of the
  // analysed blocks of samples; null when no block did or the sensor is not part-time.
  std::optional<double> cycle_aligned_period_s;
  std::size_t cycle_aligned_blocks = 0;
  std::size_t cycle_blocks = 0;
  GaugeSummary temperature_c;
  GaugeSummary gpu_utilization_pct;
  GaugeSummary sm_clock_mhz;
  GaugeSummary memory_used_bytes;
  std::vector<ThrottleEvent> throttle_events;
  bool lost = false;
  std::optional<double> lost_at_s;  // seconds since the window began
};

struct Measurement {
  std::string name;      // window name ("run" for a whole monitor run)
  double start_s = 0.0;  // seconds since the monitor started
  double duration_s = 0.0;
  std::optional<double> energy_j;        // sum over devices with energy; null if none has one
  std::optional<double> avg_power_w;     // energy_j / duration_s
  std::optional<double> peak_power_w;    // largest sum of simultaneous device power readings
  EnergyUncertainty energy_uncertainty;  // of energy_j: the devices' combined
  std::vector<DeviceMeasurement> devices;
  std::vector<std::string> warnings;  // short sentences, e.g. window shorter than counter period
};

}  // namespace joulebench
