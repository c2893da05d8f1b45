#include "calibration/alignment.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numeric>

namespace joulebench::calibration {
namespace {

// Moving average of `width` bins, then the difference between neighbours: the steps.
std::vector<double> smoothed_steps(const std::vector<double>& values, std::size_t width) {
  std::vector<double> sums(values.size() + 1, 0.0);
  std::partial_sum(values.begin(), values.end(), sums.begin() + 1);
  std::vector<double> smooth;
  for (std::size_t i = 0; i + width <= values.size(); ++i)
    smooth.push_back((sums[i + width] - sums[i]) / static_cast<double>(width));
  std::vector<double> steps;
  for (std::size_t i = 1; i < smooth.size(); ++i) steps.push_back(smooth[i] - smooth[i - 1]);
  return steps;
}

// Pearson correlation of a[i] with b[i + lag] over the indices both have.
double lagged_correlation(const std::vector<double>& a, const std::vector<double>& b, long lag) {
  double sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0;
  std::size_t n = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const long j = static_cast<long>(i) + lag;
    if (j < 0 || j >= static_cast<long>(b.size())) continue;
    const double x = a[i];
    const double y = b[static_cast<std::size_t>(j)];
    sa += x, sb += y, saa += x * x, sbb += y * y, sab += x * y;
    ++n;
  }
  if (n < 2) return 0.0;
  const double count = static_cast<double>(n);
  const double cov = sab - sa * sb / count;
  const double var = (saa - sa * sa / count) * (sbb - sb * sb / count);
  return var > 0.0 ? cov / std::sqrt(var) : 0.0;
}

}  // namespace

std::vector<double> binned_power_w(const PowerSeries& series, double from_s, double grid_s,
                                   std::size_t bins) {
  std::vector<double> out(bins);
  for (std::size_t i = 0; i < bins; ++i) {
    const double lo_s = from_s + static_cast<double>(i) * grid_s;
    out[i] = mean_power_w(series, lo_s, lo_s + grid_s);
  }
  return out;
}

Expected<Alignment> align_recordings(const PowerSeries& meter, const PowerSeries& sensor,
                                     const AlignmentOptions& options) {
  const double from_s = std::max(meter.first_s(), sensor.first_s());
  const double to_s = std::min(meter.last_s(), sensor.last_s());
  const double needed_s = 2.0 * options.max_shift_s + 3.0;
  if (to_s - from_s < needed_s) {
    return Error{fmt::format(
        "the meter's recording and the trace overlap for {:.1f} s; aligning them within "
        "+-{:.1f} s needs {:.1f} s (are both of the same period, and is --trace-utc-offset "
        "right?)",
        std::max(0.0, to_s - from_s), options.max_shift_s, needed_s)};
  }
  const auto bins = static_cast<std::size_t>((to_s - from_s) / options.grid_s);
  const auto width = std::max<std::size_t>(1, std::lround(options.smoothing_s / options.grid_s));
  const auto meter_steps =
      smoothed_steps(binned_power_w(meter, from_s, options.grid_s, bins), width);
  const auto sensor_steps =
      smoothed_steps(binned_power_w(sensor, from_s, options.grid_s, bins), width);
  const long max_lag = std::lround(options.max_shift_s / options.grid_s);
  Alignment best{0.0, -2.0};
  for (long lag = -max_lag; lag <= max_lag; ++lag) {
    const double r = lagged_correlation(meter_steps, sensor_steps, lag);
    if (r > best.correlation) best = {static_cast<double>(lag) * options.grid_s, r};
  }
  return best;
}

}  // namespace joulebench::calibration
