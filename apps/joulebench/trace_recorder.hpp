// Writes every sample the monitor takes to a trace file (`monitor --trace`), from the
// sampler thread's on_round callback. A failed write stops the trace, never the measurement.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "joulebench/monitor.hpp"
#include "report/run_reports.hpp"
#include "sensors/replay/trace_writer.hpp"

namespace joulebench::cli {

class TraceRecorder {
 public:
  static Expected<std::unique_ptr<TraceRecorder>> create(const std::string& path,
                                                         const std::vector<DeviceInfo>& devices,
                                                         const report::Provenance& provenance);

  // Writes the samples taken in this round (not the stale ones of devices whose read failed).
  void record(const Snapshot& snapshot);
  // Flushes and closes; returns the first write error, if any.
  Expected<bool> close();

 private:
  explicit TraceRecorder(std::unique_ptr<TraceWriter> writer, std::size_t devices)
      : writer_(std::move(writer)), lost_marked_(devices, false) {}

  std::unique_ptr<TraceWriter> writer_;
  std::vector<bool> lost_marked_;
};

}  // namespace joulebench::cli
