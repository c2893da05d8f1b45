#include "calibration/power_series.hpp"

#include <algorithm>
#include <iterator>

namespace joulebench::calibration {

double power_at_w(const PowerSeries& series, double t_s) {
  const auto& t = series.time_s;
  if (t_s <= t.front()) return series.power_w.front();
  if (t_s >= t.back()) return series.power_w.back();
  const auto upper = std::upper_bound(t.begin(), t.end(), t_s);
  const auto i = static_cast<std::size_t>(std::distance(t.begin(), upper));
  const double span_s = t[i] - t[i - 1];
  if (span_s <= 0.0) return series.power_w[i];
  const double share = (t_s - t[i - 1]) / span_s;
  return series.power_w[i - 1] + share * (series.power_w[i] - series.power_w[i - 1]);
}

double energy_between_j(const PowerSeries& series, double from_s, double to_s) {
  if (series.size() < 2 || to_s <= from_s) return 0.0;
  const auto& t = series.time_s;
  from_s = std::max(from_s, t.front());
  to_s = std::min(to_s, t.back());
  if (to_s <= from_s) return 0.0;
  // Trapezoids between from_s, every sample strictly inside, and to_s.
  auto i = static_cast<std::size_t>(
      std::distance(t.begin(), std::upper_bound(t.begin(), t.end(), from_s)));
  double previous_s = from_s;
  double previous_w = power_at_w(series, from_s);
  double energy_j = 0.0;
  for (; i < t.size() && t[i] < to_s; ++i) {
    energy_j += 0.5 * (previous_w + series.power_w[i]) * (t[i] - previous_s);
    previous_s = t[i];
    previous_w = series.power_w[i];
  }
  energy_j += 0.5 * (previous_w + power_at_w(series, to_s)) * (to_s - previous_s);
  return energy_j;
}

double mean_power_w(const PowerSeries& series, double from_s, double to_s) {
  return energy_between_j(series, from_s, to_s) / (to_s - from_s);
}

}  // namespace joulebench::calibration
