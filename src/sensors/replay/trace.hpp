// Recorded traces: nvidia-smi CSV logs and joulebench's own trace format
// (docs/trace-format.md), parsed from text into DeviceInfo and timestamped Samples.
//
// The parsers stream: they walk the text once, call a TraceSink per device list and per
// row, and allocate nothing per row, so `joulebench analyze` can read logs with tens of
// millions of rows. Bad input is an Error naming the file, the line and the field; with
// TraceParseOptions::skip_bad_lines a bad data row is skipped and counted instead.
// Thread-safety: the functions are reentrant; a sink is called on the caller's thread.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "joulebench/error.hpp"
#include "joulebench/sample.hpp"
#include "joulebench/sensor.hpp"

namespace joulebench {

struct TraceParseOptions {
  // Skip (and count) data rows that do not parse instead of failing. Problems with the
  // header or the device list are never skipped.
  bool skip_bad_lines = false;
  // The board power limit of a device whose trace gives none (e.g. the GPU catalog's TDP
  // for its name), for the plausibility bound on power; unset or nullopt: 5000 W.
  std::function<std::optional<double>(const DeviceInfo&)> board_power_limit_w;
};

inline constexpr std::string_view kNvidiaSmiCsvFormat = "nvidia-smi-csv";
inline constexpr std::string_view kJoulebenchTraceFormat = "joulebench-trace";

struct TraceSummary {
  std::string format;             // kNvidiaSmiCsvFormat or kJoulebenchTraceFormat
  std::size_t rows = 0;           // samples delivered to the sink
  std::size_t skipped_lines = 0;  // bad rows skipped (only with skip_bad_lines)
  // The first few skipped rows' errors, so a user can see what was dropped.
  std::vector<Error> skipped_examples;
  // Sample times, nanoseconds relative to the first accepted row (so first_time_ns is 0
  // unless a later row of another device is older); both 0 when there are no rows.
  TimeNs first_time_ns = 0;
  TimeNs last_time_ns = 0;
  // Wall-clock label of time 0: the first row's timestamp as written in an nvidia-smi log
  // (local time), or the start_time metadata of a joulebench trace; empty when unknown.
  std::string start_wall_clock;
  // How columns were used: "power_w from power.draw.instant (instantaneous)",
  // "pstate: ignored", "temperature.gpu: 3 of 120 values not available".
  std::vector<std::string> notes;
  // Implausible readings dropped and gaps not integrated across, naming the lines
  // (replay/plausible_rows.hpp); empty for a clean trace.
  std::vector<std::string> warnings;
  // A joulebench trace's "# key=value" lines, in file order (tool, start_time, interval_s, ...).
  std::vector<std::pair<std::string, std::string>> metadata;

  double duration_s() const { return ns_to_s(last_time_ns - first_time_ns); }
};

// Receives a parsed trace in file order.
class TraceSink {
 public:
  virtual ~TraceSink() = default;
  // Called exactly once per successful parse, before any other call, with every device;
  // device_index in the calls below is a position in this vector. For an nvidia-smi log
  // that interleaves GPUs, the devices are those of the first round (the rows before a GPU
  // repeats); a GPU that appears only later is a bad row. A log without rows gives an
  // empty vector.
  virtual void on_devices(const std::vector<DeviceInfo>& devices) = 0;
  // One row. sample.time_ns is relative to the first accepted row.
  virtual void on_sample(std::size_t device_index, const Sample& sample) = 0;
  // The device was lost (fell off the bus) at time_ns; only joulebench traces record it.
  virtual void on_lost(std::size_t device_index, TimeNs time_ns);
  // The device's next sample follows a gap or a counter jump: it must not be joined to the
  // device's earlier samples (no trapezoid, no counter step across it).
  virtual void on_gap(std::size_t device_index);
};

// Parses `text`, detecting the format from its first line ("# joulebench-trace v1" or an
// nvidia-smi header). `filename` only labels errors.
Expected<TraceSummary> parse_trace_stream(std::string_view text, const std::string& filename,
                                          const TraceParseOptions& options, TraceSink& sink);

// The same for a file, read through a memory map when possible.
Expected<TraceSummary> parse_trace_file(const std::string& path, const TraceParseOptions& options,
                                        TraceSink& sink);

// A whole trace in memory. Value type.
struct Trace {
  std::vector<DeviceInfo> devices;
  std::vector<std::vector<Sample>> samples;       // per device, in file order
  std::vector<std::optional<TimeNs>> lost_at_ns;  // per device; set when the trace says lost
  TraceSummary summary;
};

// Parses `text` into a Trace.
Expected<Trace> parse_trace(std::string_view text, const std::string& filename,
                            const TraceParseOptions& options);

// Reads and parses the file at `path`.
Expected<Trace> load_trace(const std::string& path, const TraceParseOptions& options);

}  // namespace joulebench
