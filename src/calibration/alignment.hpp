// Putting a sensor's trace and a reference meter's recording on one clock. The meter and
// the host keep separate clocks, and the sensor reports a power step some time after the
// meter sees it; from power alone the two are one shift, estimated here by cross-correlating
// the power steps of both recordings. Thread-safety: pure functions.
#pragma once

#include "calibration/power_series.hpp"
#include "joulebench/error.hpp"

namespace joulebench::calibration {

struct AlignmentOptions {
  double max_shift_s = 2.0;  // the shift is searched in [-max, +max]
  double grid_s = 0.010;     // resolution of the search
  // Both recordings are averaged over this long before their steps are compared, so a load
  // switching faster than the sensor can follow (50/50 at 100 ms) does not give false peaks.
  double smoothing_s = 0.5;
};

struct Alignment {
  double shift_s = 0.0;      // the sensor shows a step this much later than the meter
  double correlation = 0.0;  // Pearson correlation of the aligned step series, -1..1
};

// Errors when the recordings overlap too little to align (less than 2 x max_shift_s + 3 s).
Expected<Alignment> align_recordings(const PowerSeries& meter, const PowerSeries& sensor,
                                     const AlignmentOptions& options);

// Mean power of `series` on a regular grid: bins of grid_s from from_s, `bins` of them.
std::vector<double> binned_power_w(const PowerSeries& series, double from_s, double grid_s,
                                   std::size_t bins);

}  // namespace joulebench::calibration
