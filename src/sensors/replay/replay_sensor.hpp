// The replay sensor: plays a recorded trace (nvidia-smi CSV log or joulebench trace) as if
// its devices were live, so that everything above the Sensor interface can run without a
// GPU. The first read() defines time 0; read(index, now) returns that device's latest
// recorded sample at or before (now - t0), stamped with `now`. Before the device's first
// sample and after the trace's last one the read fails with a reason; values are never
// invented. Energy counters are replayed as recorded. A device that the trace marks as
// lost reads as ReadStatus::lost from then on.
// Thread-safety: one thread at a time, like every Sensor.
#pragma once

#include <memory>
#include <string>

#include "joulebench/error.hpp"
#include "joulebench/sensor.hpp"
#include "sensors/replay/trace.hpp"

namespace joulebench {

class ReplaySensor : public Sensor {
 public:
  // Devices are presented as sensor "replay" with ids "replay:<position>" whatever the
  // trace recorded; their names, UUIDs, power kind and capabilities are kept.
  explicit ReplaySensor(Trace trace);

  std::string name() const override { return "replay"; }
  const std::vector<DeviceInfo>& devices() const override { return trace_.devices; }
  Reading read(std::size_t index, TimeNs now_ns) override;

  const TraceSummary& summary() const { return trace_.summary; }

 private:
  // The latest sample of `index` at or before offset_ns; null when there is none.
  const Sample* latest_at(std::size_t index, TimeNs offset_ns) const;
  Reading failed(std::string why) const;

  Trace trace_;
  std::optional<TimeNs> start_ns_;  // now_ns of the first read
};

// Loads the trace at `path`. Errors: the file cannot be read or parsed, or it has no
// samples (a replay sensor without data would only ever fail).
Expected<std::unique_ptr<Sensor>> open_replay_sensor(const std::string& path,
                                                     const TraceParseOptions& options = {});

}  // namespace joulebench
