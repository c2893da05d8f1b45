#include "report/svg_scale.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace joulebench::report {

double nice_number(double value, bool round) {
  if (!(value > 0.0) || !std::isfinite(value)) return 1.0;
  const double exponent = std::floor(std::log10(value));
  const double power = std::pow(10.0, exponent);
  const double fraction = value / power;
  double nice = 10.0;
  if (round) {
    nice = fraction < 1.5 ? 1.0 : fraction < 3.0 ? 2.0 : fraction < 7.0 ? 5.0 : 10.0;
  } else {
    nice = fraction <= 1.0 ? 1.0 : fraction <= 2.0 ? 2.0 : fraction <= 5.0 ? 5.0 : 10.0;
  }
  return nice * power;
}

NiceAxis nice_axis(double min_value, double max_value, int target_ticks) {
  if (!std::isfinite(min_value) || !std::isfinite(max_value))
    return nice_axis(0.0, 1.0, target_ticks);
  if (min_value > max_value) std::swap(min_value, max_value);
  if (min_value == max_value) {
    // One value: give it room on both sides (or 0..1 for a zero).
    const double pad = min_value == 0.0 ? 1.0 : std::abs(min_value) * 0.1;
    min_value -= pad;
    max_value += pad;
  }
  const int intervals = std::max(target_ticks - 1, 1);
  const double range = nice_number(max_value - min_value, false);
  NiceAxis axis;
  axis.step = nice_number(range / intervals, true);
  axis.lower = std::floor(min_value / axis.step) * axis.step;
  axis.upper = std::ceil(max_value / axis.step) * axis.step;
  const auto count = static_cast<int>(std::lround((axis.upper - axis.lower) / axis.step));
  for (int i = 0; i <= count; ++i) {
    const double tick = axis.lower + i * axis.step;
    // Snap values like 0.30000000000000004 and -0 so labels and goldens stay clean.
    const double snapped = std::abs(tick) < axis.step * 1e-9 ? 0.0 : tick;
    axis.ticks.push_back(snapped);
  }
  return axis;
}

NiceAxis log_axis(double min_value, double max_value) {
  if (!(min_value > 0.0) || !(max_value > 0.0) || !std::isfinite(min_value) ||
      !std::isfinite(max_value)) {
    return nice_axis(min_value, max_value);
  }
  if (min_value > max_value) std::swap(min_value, max_value);
  NiceAxis axis;
  axis.logarithmic = true;
  axis.step = 1.0;  // labels are whole or decimal by their own value (tick_label)
  const int first_decade = static_cast<int>(std::floor(std::log10(min_value)));
  const int last_decade = static_cast<int>(std::ceil(std::log10(max_value)));
  std::vector<double> candidates;
  for (int decade = first_decade; decade <= last_decade; ++decade) {
    for (const double mantissa : {1.0, 2.0, 5.0})
      candidates.push_back(mantissa * std::pow(10.0, decade));
  }
  axis.lower = candidates.front();
  axis.upper = candidates.back();
  for (double value : candidates) {
    if (value <= min_value * (1 + 1e-12)) axis.lower = value;
  }
  for (auto it = candidates.rbegin(); it != candidates.rend(); ++it) {
    if (*it >= max_value * (1 - 1e-12)) axis.upper = *it;
  }
  for (double value : candidates) {
    if (value >= axis.lower && value <= axis.upper) axis.ticks.push_back(value);
  }
  return axis;
}

bool spans_factor(double min_value, double max_value, double factor) {
  return min_value > 0.0 && std::isfinite(max_value) && max_value / min_value >= factor;
}

std::string tick_label(double value, double step) {
  if (std::abs(value) >= 1e6 || (value != 0.0 && std::abs(value) < 1e-4))
    return fmt::format("{:g}", value);
  if (step == 1.0 && value != std::floor(value))
    return fmt::format("{:g}", value);  // log ticks below 1
  const int decimals = step >= 1.0 ? 0 : static_cast<int>(std::ceil(-std::log10(step) - 1e-9));
  return fmt::format("{:.{}f}", value, std::clamp(decimals, 0, 6));
}

LinearScale::LinearScale(double domain_lower, double domain_upper, double range_lower,
                         double range_upper)
    : domain_lower_(domain_lower),
      domain_width_(domain_upper - domain_lower),
      range_lower_(range_lower),
      range_width_(range_upper - range_lower) {}

LinearScale LinearScale::of(const NiceAxis& axis, double range_lower, double range_upper) {
  if (!axis.logarithmic) return LinearScale(axis.lower, axis.upper, range_lower, range_upper);
  LinearScale scale(std::log10(axis.lower), std::log10(axis.upper), range_lower, range_upper);
  scale.log_ = true;
  return scale;
}

double LinearScale::operator()(double value) const {
  if (log_) value = value > 0.0 ? std::log10(value) : domain_lower_;
  if (domain_width_ == 0.0) return range_lower_ + range_width_ / 2.0;
  return range_lower_ + (value - domain_lower_) / domain_width_ * range_width_;
}

}  // namespace joulebench::report
