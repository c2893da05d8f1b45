#include "sensors/remote/energy_series.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace joulebench::remote {

void EnergySeries::add_counter(double time_s, double counter_j) {
  if (last_counter_j_ && counter_j == *last_counter_j_) return;
  if (!points_.empty() && time_s <= points_.back().time_s) return;  // not newer: a repeat
  bool restarted = false;
  if (last_counter_j_ && counter_j < *last_counter_j_) {
    // The counter began again from about zero: what it held stays counted.
    restart_offset_j_ += *last_counter_j_;
    ++restarts_;
    restarted = true;
  }
  if (!first_counter_j_) first_counter_j_ = counter_j;
  last_counter_j_ = counter_j;
  points_.push_back({time_s, restart_offset_j_ + counter_j - *first_counter_j_, restarted});
}

void EnergySeries::add_power(double time_s, double power_w) {
  if (!points_.empty() && time_s <= points_.back().time_s) return;
  double energy = 0;
  if (!points_.empty() && last_power_w_) {
    energy = points_.back().energy_j +
             0.5 * (*last_power_w_ + power_w) * (time_s - points_.back().time_s);
  }
  last_power_w_ = power_w;
  points_.push_back({time_s, energy, false});
}

std::optional<double> EnergySeries::last_time_s() const {
  if (points_.empty()) return std::nullopt;
  return points_.back().time_s;
}

std::optional<double> EnergySeries::recent_power_w(double span_s) const {
  if (last_power_w_) return last_power_w_;
  if (points_.size() < 2 || points_.back().after_restart) return std::nullopt;
  const SeriesPoint& b = points_.back();
  std::size_t a = points_.size() - 2;
  while (a > 0 && b.time_s - points_[a].time_s < span_s && !points_[a].after_restart) --a;
  return (b.energy_j - points_[a].energy_j) / (b.time_s - points_[a].time_s);
}

std::optional<double> EnergySeries::energy_at(double time_s) const {
  if (points_.empty() || time_s < points_.front().time_s || time_s > points_.back().time_s) {
    return std::nullopt;
  }
  auto after = std::lower_bound(points_.begin(), points_.end(), time_s,
                                [](const SeriesPoint& p, double t) { return p.time_s < t; });
  if (after->time_s == time_s || after == points_.begin()) return after->energy_j;
  const auto before = std::prev(after);
  const double share = (time_s - before->time_s) / (after->time_s - before->time_s);
  return before->energy_j + share * (after->energy_j - before->energy_j);
}

void EnergySeries::forget_before(double time_s) {
  auto first_kept = std::lower_bound(points_.begin(), points_.end(), time_s,
                                     [](const SeriesPoint& p, double t) { return p.time_s < t; });
  if (first_kept != points_.begin()) --first_kept;
  points_.erase(points_.begin(), first_kept);
}

WindowEnergy window_energy(const EnergySeries& series, double begin_s, double end_s,
                           bool power_only, double max_gap_s) {
  WindowEnergy out;
  const auto& points = series.points();
  if (points.empty() || points.front().time_s > begin_s) {
    out.reason = points.empty() ? "no reading at all"
                                : fmt::format(
                                      "the first reading came {:.2f} s after the window "
                                      "opened",
                                      points.front().time_s - begin_s);
    return out;
  }
  if (points.back().time_s < end_s) {
    out.reason = fmt::format(
        "no reading after the window closed (the last came {:.2f} s before "
        "its end)",
        end_s - points.back().time_s);
    return out;
  }
  for (std::size_t i = 1; i < points.size(); ++i) {
    const SeriesPoint& a = points[i - 1];
    const SeriesPoint& b = points[i];
    if (b.time_s <= begin_s || a.time_s >= end_s) continue;
    if (b.after_restart) {
      out.reason = fmt::format("the counter restarted {:.2f} s into the window",
                               std::max(0.0, b.time_s - begin_s));
      return out;
    }
    if (power_only && b.time_s - a.time_s > max_gap_s) {
      out.reason =
          fmt::format("no power reading for {:.2f} s inside the window", b.time_s - a.time_s);
      return out;
    }
    if (b.time_s < end_s) ++out.readings_inside;
  }
  out.energy_j = *series.energy_at(end_s) - *series.energy_at(begin_s);
  return out;
}

}  // namespace joulebench::remote
