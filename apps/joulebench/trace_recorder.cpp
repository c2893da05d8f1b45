#include "trace_recorder.hpp"

#include <iostream>

namespace joulebench::cli {

Expected<std::unique_ptr<TraceRecorder>> TraceRecorder::create(
    const std::string& path, const std::vector<DeviceInfo>& devices,
    const report::Provenance& provenance) {
  TraceMetadata metadata;
  metadata.start_time = provenance.start_time;
  metadata.interval_s = provenance.interval_s;
  metadata.extra = {{"host", provenance.host}, {"tool_version", report::tool_version()}};
  for (const auto& source : provenance.replay_sources)
    metadata.extra.push_back({"replay_source", source});
  auto writer = TraceWriter::open(path, devices, std::move(metadata));
  if (!writer) return writer.error();
  return std::unique_ptr<TraceRecorder>(
      new TraceRecorder(std::move(writer.value()), devices.size()));
}

void TraceRecorder::record(const Snapshot& snapshot) {
  for (std::size_t device = 0; device < snapshot.latest.size(); ++device) {
    const auto& latest = snapshot.latest[device];
    if (latest && latest->time_ns == snapshot.time_ns) writer_->write(device, *latest);
    if (device < snapshot.lost.size() && snapshot.lost[device] && !lost_marked_[device]) {
      writer_->mark_lost(device, snapshot.time_ns);
      lost_marked_[device] = true;
    }
  }
  writer_->flush();  // an error sticks in the writer and comes back from close()
}

Expected<bool> TraceRecorder::close() { return writer_->close(); }

Expected<std::unique_ptr<TraceRecorder>> open_trace(const std::string& path,
                                                    const OpenedSensors& opened,
                                                    const report::Provenance& provenance) {
  if (path.empty()) return std::unique_ptr<TraceRecorder>();
  std::vector<DeviceInfo> devices;
  for (const auto& sensor : opened.sensors) {
    for (const auto& device : sensor->devices()) devices.push_back(device);
  }
  auto created = TraceRecorder::create(path, devices, provenance);
  if (!created) return Error{"--trace: " + created.error().what_line()};
  return created;
}

void record_rounds(MonitorOptions& options, TraceRecorder* recorder) {
  if (recorder == nullptr) return;
  options.on_round = [recorder, before = std::move(options.on_round)](const Snapshot& snapshot) {
    recorder->record(snapshot);
    if (before) before(snapshot);
  };
}

bool close_trace(TraceRecorder* recorder, std::vector<std::string>& warnings) {
  if (recorder == nullptr) return true;
  auto closed = recorder->close();
  if (closed) return true;
  const std::string message = "trace incomplete: " + closed.error().what_line();
  std::cerr << "error: --trace: " << message << "\n";
  warnings.push_back(message);
  return false;
}

}  // namespace joulebench::cli
