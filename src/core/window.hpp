// One measurement window over every device: per-device accumulators, the peak of the summed
// power, and the warnings that make a Measurement honest. Not thread-safe (one owner: the
// sampler thread, or the offline summarizer).
#pragma once

#include <string>
#include <vector>

#include "core/device_accumulator.hpp"

namespace joulebench {

class WindowAccumulator {
 public:
  // `devices` must outlive the window (each accumulator points at its DeviceInfo).
  // origin_ns: the time that Measurement::start_s counts from (the monitor's start);
  // start_ns: the window's first boundary.
  WindowAccumulator(std::string name, const std::vector<DeviceInfo>& devices, TimeNs origin_ns,
                    TimeNs start_ns);

  void add(std::size_t device, const Sample& sample) { devices_[device].add(sample); }
  void add_failed_read(std::size_t device) { devices_[device].add_failed_read(); }
  void mark_lost(std::size_t device, TimeNs time_ns) { devices_[device].mark_lost(time_ns); }
  void break_chain(std::size_t device) { devices_[device].break_chain(); }
  // After every device of a round was added: tracks the peak of the summed latest power.
  void end_round();

  double energy_so_far_j(std::size_t device) const { return devices_[device].energy_so_far_j(); }

  Measurement finish(TimeNs end_ns) const;

 private:
  void add_warnings(Measurement& measurement) const;

  std::string name_;
  TimeNs origin_ns_;
  TimeNs start_ns_;
  std::vector<DeviceAccumulator> devices_;
  std::optional<double> peak_total_w_;
};

}  // namespace joulebench
