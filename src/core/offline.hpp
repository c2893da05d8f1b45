// The monitor's summary computed offline from recorded samples (joulebench analyze), fed one
// sample at a time so that a 10-million-row log is never held in memory. Uses the same
// accumulators as the live sampler. Not thread-safe.
#pragma once

#include <memory>
#include <optional>
#include <vector>

#include "core/window.hpp"

namespace joulebench {

class OfflineSummarizer {
 public:
  // Sample times are relative to the trace's first row; from_s / to_s clip the window
  // (inclusive), null = from the first / to the last sample.
  OfflineSummarizer(std::vector<DeviceInfo> devices, std::optional<double> from_s,
                    std::optional<double> to_s);

  void add(std::size_t device, const Sample& sample);
  void mark_lost(std::size_t device, TimeNs time_ns);
  // The device's next sample is not joined to its earlier ones (a gap, a counter jump).
  void mark_gap(std::size_t device);
  Measurement finish(std::string name);

 private:
  bool inside(TimeNs time_ns) const;
  void start_window(TimeNs time_ns);

  std::vector<DeviceInfo> devices_;
  std::optional<TimeNs> from_ns_;
  std::optional<TimeNs> to_ns_;
  std::unique_ptr<WindowAccumulator> window_;
  std::vector<bool> seen_in_round_;
  std::optional<TimeNs> first_ns_;
  TimeNs last_ns_ = 0;
};

}  // namespace joulebench
