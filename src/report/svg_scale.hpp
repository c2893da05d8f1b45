// Axes for the report's charts: "nice" tick positions (1, 2 or 5 times a power of ten) that
// cover the data, and the linear map from data values to SVG pixels. Pure functions.
#pragma once

#include <string>
#include <vector>

namespace joulebench::report {

struct NiceAxis {
  double lower = 0.0;  // first tick, <= the smallest value
  double upper = 1.0;  // last tick, >= the largest value
  double step = 0.2;   // distance between ticks (linear axes)
  std::vector<double> ticks;
  bool logarithmic = false;  // values are placed by their log10 (ticks 1, 2, 5 x 10^k)
};

// The nearest of 1, 2, 5 (x 10^k) to `value` (round) or the smallest not below it (!round):
// Heckbert's "nice numbers" (Graphics Gems, 1990).
double nice_number(double value, bool round);

// Ticks covering [min_value, max_value] with about `target_ticks` ticks. A zero-width range
// is widened around its value; non-finite input gives the axis 0..1.
NiceAxis nice_axis(double min_value, double max_value, int target_ticks = 5);

// A logarithmic axis over [min_value, max_value] (both > 0) with ticks at 1, 2 and 5 x 10^k;
// the bounds are the nearest such values outside the data. Loads from 1 to 64 (a factor of 8
// or more) read better so: the small levels are not crushed against the axis.
NiceAxis log_axis(double min_value, double max_value);

// True when positive values span `factor` or more (max / min), where a log axis serves.
bool spans_factor(double min_value, double max_value, double factor);

// A tick label with as many decimals as the step needs ("0.25", "1500", "2e+06").
std::string tick_label(double value, double step);

// Maps [domain_lower, domain_upper] onto [range_lower, range_upper] (pixels; the range may be
// reversed, as for a y axis that grows upwards).
class LinearScale {
 public:
  LinearScale(double domain_lower, double domain_upper, double range_lower, double range_upper);
  double operator()(double value) const;
  // The scale of an axis: linear, or linear in log10 for a logarithmic axis.
  static LinearScale of(const NiceAxis& axis, double range_lower, double range_upper);

 private:
  bool log_ = false;
  double domain_lower_;
  double domain_width_;
  double range_lower_;
  double range_width_;
};

}  // namespace joulebench::report
