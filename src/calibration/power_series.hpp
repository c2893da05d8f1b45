// A power recording on a wall clock: the reference meter's, or a sensor's trace placed on
// the same clock. Thread-safety: value types and pure functions.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace joulebench::calibration {

// Samples in time order; time_s counts seconds since the Unix epoch (UTC).
struct PowerSeries {
  std::vector<double> time_s;
  std::vector<double> power_w;

  std::size_t size() const { return time_s.size(); }
  bool empty() const { return time_s.empty(); }
  double first_s() const { return time_s.front(); }
  double last_s() const { return time_s.back(); }
};

// Trapezoid energy of the series over [from_s, to_s], the ends interpolated; the series
// must cover the interval (the caller checks), else the uncovered part counts as zero.
double energy_between_j(const PowerSeries& series, double from_s, double to_s);

// Mean power over [from_s, to_s]: energy_between_j / length.
double mean_power_w(const PowerSeries& series, double from_s, double to_s);

// Linear interpolation at t_s (clamped to the ends).
double power_at_w(const PowerSeries& series, double t_s);

}  // namespace joulebench::calibration
