#include "sensors/replay/replay_sensor.hpp"

#include <algorithm>
#include <utility>

#include "sensors/replay/csv_text.hpp"

namespace joulebench {

ReplaySensor::ReplaySensor(Trace trace) : trace_(std::move(trace)) {
  for (std::size_t i = 0; i < trace_.devices.size(); ++i) {
    trace_.devices[i].id = "replay:" + std::to_string(i);
    trace_.devices[i].sensor = "replay";
  }
  trace_.samples.resize(trace_.devices.size());
  trace_.lost_at_ns.resize(trace_.devices.size());
}

Reading ReplaySensor::failed(std::string why) const {
  Reading reading;
  reading.status = ReadStatus::failed;
  reading.error = std::move(why);
  return reading;
}

const Sample* ReplaySensor::latest_at(std::size_t index, TimeNs offset_ns) const {
  const std::vector<Sample>& samples = trace_.samples[index];
  // The parsers guarantee each device's samples are in time order.
  auto after = std::upper_bound(samples.begin(), samples.end(), offset_ns,
                                [](TimeNs t, const Sample& s) { return t < s.time_ns; });
  if (after == samples.begin()) return nullptr;
  return &*(after - 1);
}

Reading ReplaySensor::read(std::size_t index, TimeNs now_ns) {
  if (index >= trace_.devices.size()) {
    return failed("replay: no device " + std::to_string(index));
  }
  if (!start_ns_) start_ns_ = now_ns;
  const TimeNs offset_ns = now_ns - *start_ns_;
  const std::optional<TimeNs>& lost_at = trace_.lost_at_ns[index];
  if (lost_at && offset_ns >= *lost_at) {
    Reading reading;
    reading.status = ReadStatus::lost;
    reading.error =
        "the replayed trace lost this device at " + replay::seconds_text(ns_to_s(*lost_at)) + " s";
    return reading;
  }
  if (offset_ns > trace_.summary.last_time_ns) {
    return failed("replay trace ended at " +
                  replay::seconds_text(ns_to_s(trace_.summary.last_time_ns)) + " s");
  }
  const Sample* sample = latest_at(index, offset_ns);
  if (sample == nullptr) {
    const std::vector<Sample>& samples = trace_.samples[index];
    return failed(samples.empty() ? std::string("replay trace has no sample of this device")
                                  : "replay trace has no sample of this device before " +
                                        replay::seconds_text(ns_to_s(samples.front().time_ns)) +
                                        " s");
  }
  Reading reading;
  reading.sample = *sample;
  reading.sample.time_ns = now_ns;
  return reading;
}

Expected<std::unique_ptr<Sensor>> open_replay_sensor(const std::string& path,
                                                     const TraceParseOptions& options) {
  auto trace = load_trace(path, options);
  if (!trace) return trace.error();
  if (trace->summary.rows == 0) return Error{"the trace has no samples", path};
  std::unique_ptr<Sensor> sensor = std::make_unique<ReplaySensor>(std::move(trace.value()));
  return sensor;
}

}  // namespace joulebench
