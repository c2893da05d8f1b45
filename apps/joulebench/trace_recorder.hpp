// Writes every sample the monitor takes to a trace file (`--trace` of monitor, run and bench
// openai), from the sampler thread's on_round callback. A failed write stops the trace, never
// the measurement; the command says so at the end and exits 1. The trace is stored with the result,
// so `report` can draw power over time with the measured windows shaded.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "cli_common.hpp"
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

// The recorder for `--trace PATH` (nullptr when PATH is empty), over every device of the
// opened sensors; call before the sensors move into the Monitor.
Expected<std::unique_ptr<TraceRecorder>> open_trace(const std::string& path,
                                                    const OpenedSensors& opened,
                                                    const report::Provenance& provenance);

// Adds recording to whatever `options.on_round` already does; a null recorder changes nothing.
void record_rounds(MonitorOptions& options, TraceRecorder* recorder);

// Closes the recorder after the monitor stopped. A failed write (a full disk) is reported on
// stderr and as a warning of the result, and false comes back: the command then keeps the
// measurement (its JSON, the store) but not the incomplete trace, and exits 1.
// true when there was no recorder or every row was written.
bool close_trace(TraceRecorder* recorder, std::vector<std::string>& warnings);

}  // namespace joulebench::cli
