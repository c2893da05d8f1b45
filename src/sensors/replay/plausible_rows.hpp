// Readings no device can produce, caught where the rows are read so that a warning can name
// them: power outside 0 .. the device's plausible maximum (core/plausibility.hpp), a
// negative energy counter, a counter step larger than that power could add, and a gap of
// more than kMaxGapIntervals sampling intervals. Such a value is dropped (the row's other
// fields are kept), and a gap or a counter jump is not integrated across: the trapezoid
// turned a one-day gap in a 16 s log into 5.31 MJ.
// Thread-safety: used by one parser on one thread.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "joulebench/sample.hpp"
#include "joulebench/sensor.hpp"
#include "sensors/replay/trace.hpp"

namespace joulebench::replay {

class PlausibleRows {
 public:
  // `devices` must outlive the checker; devices may be appended to it later.
  PlausibleRows(const std::vector<DeviceInfo>& devices, const TraceParseOptions& options)
      : devices_(devices), options_(options) {}

  // Cleans `sample` (absolute times are fine: only differences are used). Returns true when
  // the device's readings must not be joined to its previous ones (a gap, a counter jump).
  bool check(std::size_t device, std::size_t line, Sample& sample);

  // One warning per kind of problem and device, naming the first lines; empty when clean.
  std::vector<std::string> warnings() const;

 private:
  enum Kind { kPower, kNegativeCounter, kCounterJump, kGap, kKinds };
  struct Problem {
    std::size_t count = 0;
    std::vector<std::string> examples;  // "line 12 (-50 W)"
  };
  struct DeviceState {
    std::optional<TimeNs> last_ns;
    std::optional<double> last_counter_j;
    std::optional<TimeNs> last_counter_ns;
    std::optional<double> interval_s;  // the typical step: the sampling interval
    std::vector<Problem> problems = std::vector<Problem>(kKinds);
    std::optional<double> max_power_w;  // looked up once
  };

  // The device's own power limit, else the board's (options), else the global bound.
  double max_power_w(std::size_t device);

  void note(std::size_t device, Kind kind, std::string example);
  bool check_gap(DeviceState& state, std::size_t device, std::size_t line, TimeNs time_ns);
  bool check_counter(DeviceState& state, std::size_t device, std::size_t line, Sample& sample);

  const std::vector<DeviceInfo>& devices_;
  const TraceParseOptions& options_;
  std::vector<DeviceState> states_;
};

}  // namespace joulebench::replay
