#include "calibration/calibration_fit.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace joulebench::calibration {
namespace {

struct BlockMeans {
  std::vector<double> sensor_w;
  std::vector<double> meter_w;
};

BlockMeans block_means(const PowerSeries& meter, const PowerSeries& sensor, double shift_s,
                       double block_s) {
  const double from_s = std::max(meter.first_s(), sensor.first_s() - shift_s);
  const double to_s = std::min(meter.last_s(), sensor.last_s() - shift_s);
  BlockMeans out;
  for (double lo_s = from_s; lo_s + block_s <= to_s; lo_s += block_s) {
    out.meter_w.push_back(mean_power_w(meter, lo_s, lo_s + block_s));
    out.sensor_w.push_back(mean_power_w(sensor, lo_s + shift_s, lo_s + shift_s + block_s));
  }
  return out;
}

double mean_of(const std::vector<double>& values) {
  double sum = 0.0;
  for (double v : values) sum += v;
  return sum / static_cast<double>(values.size());
}

// A recording whose power hardly changes cannot tell a gain from an offset: the offset is
// then fixed at 0 W and only the gain is fitted (a line through the origin).
bool range_separates_gain_from_offset(const std::vector<double>& sensor_w) {
  const auto [lo, hi] = std::minmax_element(sensor_w.begin(), sensor_w.end());
  return *hi - *lo >= std::max(20.0, 0.1 * mean_of(sensor_w));
}

// Ordinary least squares with the standard errors of both parameters and their covariance.
void least_squares(const BlockMeans& blocks, bool with_offset, DeviceCalibration& out) {
  const auto& x = blocks.sensor_w;
  const auto& y = blocks.meter_w;
  const double n = static_cast<double>(x.size());
  const double x_mean = with_offset ? mean_of(x) : 0.0;
  const double y_mean = with_offset ? mean_of(y) : 0.0;
  double sxx = 0.0, sxy = 0.0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    sxx += (x[i] - x_mean) * (x[i] - x_mean);
    sxy += (x[i] - x_mean) * (y[i] - y_mean);
  }
  out.gain = sxy / sxx;
  out.offset_w = with_offset ? y_mean - out.gain * x_mean : 0.0;
  double sse = 0.0, syy = 0.0;
  const double y_all_mean = mean_of(y);
  for (std::size_t i = 0; i < x.size(); ++i) {
    const double residual = y[i] - (out.gain * x[i] + out.offset_w);
    sse += residual * residual;
    syy += (y[i] - y_all_mean) * (y[i] - y_all_mean);
  }
  const double parameters = with_offset ? 2.0 : 1.0;
  const double s2 = sse / (n - parameters);
  out.residual_sd_w = std::sqrt(s2);
  out.gain_stderr = std::sqrt(s2 / sxx);
  out.offset_stderr_w = with_offset ? std::sqrt(s2 * (1.0 / n + x_mean * x_mean / sxx)) : 0.0;
  out.gain_offset_covariance_w = with_offset ? -x_mean * s2 / sxx : 0.0;
  out.r_squared = syy > 0.0 ? 1.0 - sse / syy : 0.0;
}

}  // namespace

Expected<DeviceCalibration> fit_calibration(const PowerSeries& meter, const PowerSeries& sensor,
                                            double shift_s, const FitOptions& options) {
  const BlockMeans blocks = block_means(meter, sensor, shift_s, options.block_s);
  if (blocks.sensor_w.size() < options.min_blocks) {
    return Error{fmt::format("the recordings overlap for {} blocks of {} s; a fit needs {}",
                             blocks.sensor_w.size(), options.block_s, options.min_blocks)};
  }
  DeviceCalibration out;
  out.block_s = options.block_s;
  out.blocks = blocks.sensor_w.size();
  out.shift_s = shift_s;
  const auto [lo, hi] = std::minmax_element(blocks.sensor_w.begin(), blocks.sensor_w.end());
  out.fit_min_power_w = *lo;
  out.fit_max_power_w = *hi;
  const bool with_offset = range_separates_gain_from_offset(blocks.sensor_w);
  least_squares(blocks, with_offset, out);
  // With the offset fixed, R^2 about the mean still says how well the sensor follows.
  if (with_offset && out.r_squared < options.min_r_squared) {
    return Error{fmt::format(
        "the sensor's {} s means explain only {:.0f}% of the meter's (R^2 {:.2f}, residual "
        "{:.1f} W): it does not follow this load. A load switching faster than the sensor "
        "averages aliases with it (A100/H100 average 25 ms of every 100 ms, so a 50/50 load "
        "at 100 ms reads as a random share of its peak); calibrate on a load whose steps last "
        "seconds",
        options.block_s, 100.0 * std::max(0.0, out.r_squared), out.r_squared, out.residual_sd_w)};
  }
  return out;
}

}  // namespace joulebench::calibration
