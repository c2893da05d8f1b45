// One remote device's energy as points in time on this host's clock, and the energy of a window
// from them: the cumulative energy is interpolated linearly at each end of the window between
// the readings around it, so a window needs a reading at or after its end (the caller waits
// for it). A counter that goes backwards restarted (exporter or driver restart): the energy
// across that restart is unknown, so a window containing one has none. Power-only sources are
// integrated (trapezoid) between readings; a gap of more than `max_gap_s` between them inside
// a window leaves the window without energy. Pure value type; the caller locks.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace joulebench::remote {

struct SeriesPoint {
  double time_s = 0;           // this host's steady clock, seconds
  double energy_j = 0;         // cumulative since the series began (restarts folded in)
  bool after_restart = false;  // the counter restarted between the previous point and this one
};

class EnergySeries {
 public:
  // A cumulative counter read at `time_s`. Only a changed value is a new point: its time is
  // when the change was first seen; repeats of a value say nothing new.
  void add_counter(double time_s, double counter_j);
  // A power reading at `time_s`: the energy since the previous one by the trapezoid rule.
  void add_power(double time_s, double power_w);

  const std::vector<SeriesPoint>& points() const { return points_; }
  std::size_t restarts() const { return restarts_; }
  std::optional<double> last_time_s() const;
  // Mean power from the last point back to the latest point at least `span_s` before it (or
  // the first, after the last restart); the last power reading of a power-only series. Null
  // with fewer than two points.
  std::optional<double> recent_power_w(double span_s = 0.0) const;
  // The cumulative energy at `time_s`, by linear interpolation; null outside the points.
  std::optional<double> energy_at(double time_s) const;
  // Drops points older than `time_s` but keeps the last one before it.
  void forget_before(double time_s);

 private:
  std::vector<SeriesPoint> points_;
  std::optional<double> first_counter_j_;
  std::optional<double> last_counter_j_;
  std::optional<double> last_power_w_;
  double restart_offset_j_ = 0;
  std::size_t restarts_ = 0;
};

struct WindowEnergy {
  std::optional<double> energy_j;
  std::string reason;               // why energy_j is null
  std::size_t readings_inside = 0;  // points strictly inside the window
};

// The energy between `begin_s` and `end_s` (this host's steady clock, seconds).
// `max_gap_s`: the longest gap between readings a power-only series may bridge.
WindowEnergy window_energy(const EnergySeries& series, double begin_s, double end_s,
                           bool power_only, double max_gap_s);

}  // namespace joulebench::remote
