// A quantity over fake time: piecewise-linear through points [[t_s, value], ...], constant
// before the first point and after the last; two points at the same time make a step (the
// later one holds from that time on). Integrals are exact (trapezoids of the pieces), so the
// fake's energy counter is the analytic integral of its power profile.
// Thread-safety: immutable after construction.
#pragma once

#include <cstddef>
#include <vector>

namespace joulebench::fake_nvml {

class Profile {
 public:
  struct Point {
    double t_s;
    double value;
  };

  explicit Profile(double constant = 0.0);
  // `points` must be non-empty with non-decreasing times (the scenario parser checks).
  explicit Profile(std::vector<Point> points);

  double at(double t_s) const;
  double peak() const;  // the largest value
  // The integral of the profile over [from_s, to_s] (value-seconds; J for a power in W).
  double integral(double from_s, double to_s) const;

 private:
  // Integral from the first point's time to t_s (negative before it).
  double antiderivative(double t_s) const;
  // Index of the last point with t <= t_s; requires t_s >= the first point's time.
  std::size_t last_at_or_before(double t_s) const;

  std::vector<Point> points_;
  std::vector<double> cumulative_;  // antiderivative at each point
};

}  // namespace joulebench::fake_nvml
