// Writes joulebench's own trace format (docs/trace-format.md): what `joulebench monitor
// --trace FILE.csv` records, and what the replay sensor and `joulebench analyze` read back.
//
//   TraceWriter writer(file, devices, {.start_time = "2026-11-24T10:11:12.345Z",
//                                      .interval_s = 0.1});
//   writer.write(0, sample);        // once per device per round
//   writer.flush();                 // once per round: one write(2), cheap
//
// Times are written relative to the first row (its time_s is 0) with nanosecond
// precision, numbers in their shortest exact form, so that parsing the file gives back the
// same samples and device information. Non-finite numbers are written as empty (missing).
// Thread-safety: one thread at a time (the monitor's sampler thread).
#pragma once

#include <cstddef>
#include <cstdio>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "joulebench/error.hpp"
#include "joulebench/sample.hpp"
#include "joulebench/sensor.hpp"

namespace joulebench {

struct TraceMetadata {
  // Wall clock of the monitor's start, ISO 8601 UTC ("2026-11-24T10:11:12.345Z");
  // empty: the time the writer is created.
  std::string start_time;
  std::optional<double> interval_s;  // the sampling interval, seconds
  // More "# key=value" lines (host, command...). Characters outside [A-Za-z0-9_.-] in a
  // key are replaced by '_'; values may hold anything.
  std::vector<std::pair<std::string, std::string>> extra;
};

class TraceWriter {
 public:
  // Writes into a stream or FILE* that the caller keeps open for the writer's lifetime.
  // The preamble (metadata, device lines, header) is buffered at once.
  TraceWriter(std::ostream& out, std::vector<DeviceInfo> devices, TraceMetadata metadata);
  TraceWriter(std::FILE* out, std::vector<DeviceInfo> devices, TraceMetadata metadata);
  // Creates (truncates) the file at `path`, or writes to stdout for "-". The error names
  // the path and the reason.
  static Expected<std::unique_ptr<TraceWriter>> open(const std::string& path,
                                                     std::vector<DeviceInfo> devices,
                                                     TraceMetadata metadata);
  ~TraceWriter();  // flushes; closes the file that open() created
  TraceWriter(const TraceWriter&) = delete;
  TraceWriter& operator=(const TraceWriter&) = delete;

  // One row for `device` (a position in the devices given at construction). Throws
  // std::out_of_range for a device that does not exist: that is a programming error.
  void write(std::size_t device, const Sample& sample);
  // Records that `device` was lost (fell off the bus) at `time_ns` on the sampler's clock.
  void mark_lost(std::size_t device, TimeNs time_ns);

  // Hands the buffered rows to the OS. After a failure every later call returns the same
  // error and rows are dropped (the measurement goes on; only the trace is incomplete). A file
  // from open() is then cut back to its last complete round, so that it still parses.
  Expected<bool> flush();
  // flush() and, for a file from open(), fclose(); later writes are ignored.
  Expected<bool> close();

  std::size_t rows_written() const { return rows_; }

 private:
  TraceWriter(std::vector<DeviceInfo> devices, TraceMetadata metadata);
  void check_device(std::size_t device) const;
  TimeNs relative(TimeNs time_ns);
  bool push(std::string_view bytes);
  void cut_to_complete_rows();

  std::ostream* stream_ = nullptr;
  std::FILE* file_ = nullptr;
  bool owns_file_ = false;
  std::string path_;  // for errors; empty when the caller gave the output
  std::size_t device_count_ = 0;
  std::string buffer_;
  std::optional<TimeNs> origin_ns_;
  std::size_t rows_ = 0;
  std::size_t complete_bytes_ = 0;  // written by successful flushes
  std::optional<Error> error_;
  bool closed_ = false;
};

}  // namespace joulebench
