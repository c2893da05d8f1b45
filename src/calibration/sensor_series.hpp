// A device's power from a recorded trace (a joulebench trace or an nvidia-smi log), placed
// on the Unix-epoch clock so it can be compared with a reference meter.
// Thread-safety: pure functions.
#pragma once

#include <string>

#include "calibration/power_series.hpp"
#include "joulebench/error.hpp"
#include "joulebench/sensor.hpp"
#include "sensors/replay/trace.hpp"

namespace joulebench::calibration {

struct SensorSeries {
  DeviceInfo device;
  PowerSeries series;
};

// The trace's device chosen by `device` (its index, id, name or UUID; empty: the only one),
// with times = the trace's wall clock of time 0 + each sample's time - utc_offset_s (an
// nvidia-smi log is in the host's local time: +3600 for UTC+1). Errors name the file.
Expected<SensorSeries> sensor_series(const Trace& trace, const std::string& file,
                                     const std::string& device, double utc_offset_s);

// "+01:00", "-05:30", "+1", "0": seconds east of UTC; nullopt when not an offset.
std::optional<double> parse_utc_offset_s(std::string_view text);

}  // namespace joulebench::calibration
