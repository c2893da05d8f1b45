// Part-time power sensing as A100/H100 do it (Yang et al., arXiv 2312.02741): the sensor
// averages the true power over only `window_s` of every `cycle_s` (25 ms of 100 ms), reports
// that mean until the next window ends, and its energy counter advances by the mean x cycle_s
// each cycle. A load in step with the cycle is therefore over- or under-read.
// ActivityPower is a true power that follows a workload exactly: the workload appends its busy
// intervals to a file, so the fake knows the true energy to the microjoule.
// Thread-safety: not thread-safe (the fake runtime serialises calls).
#pragma once

#include <functional>
#include <vector>

#include "scenario.hpp"

namespace joulebench::fake_nvml {

class ActivityPower {
 public:
  // `epoch_monotonic_s`: CLOCK_MONOTONIC seconds at fake time 0, to convert the file's times.
  ActivityPower(ActivityDrivenPower config, double epoch_monotonic_s);

  // Reads the complete lines appended since the last call ("start_s end_s", monotonic).
  void observe();
  double power_w(double t_s) const;
  // The exact integral of the true power over [from_s, to_s] of fake time.
  double energy_j(double from_s, double to_s) const;

 private:
  struct Interval {
    double from_s;
    double to_s;
  };
  ActivityDrivenPower config_;
  double epoch_monotonic_s_;
  std::size_t read_bytes_ = 0;  // of the file, up to the last complete line
  std::vector<Interval> busy_;  // fake time; kept whole (test runs are short)
};

class PartTimeSensor {
 public:
  using EnergyOver = std::function<double(double from_s, double to_s)>;
  explicit PartTimeSensor(PartTimeSampling config) : config_(config) {}

  // Accounts for every window that ended by t_s (fake time never goes back), averaging the
  // true power given by its integral `true_energy_j`.
  void observe(double t_s, const EnergyOver& true_energy_j);
  // The mean of the last complete window; null before the first one ends.
  std::optional<double> reading_w() const { return reading_w_; }
  // Sum over complete windows of their mean x cycle_s.
  double counter_energy_j() const { return counter_energy_j_; }

 private:
  PartTimeSampling config_;
  long long next_window_ = 0;  // index of the first window not yet accounted
  std::optional<double> reading_w_;
  double counter_energy_j_ = 0.0;
};

}  // namespace joulebench::fake_nvml
