// Format detection and the in-memory Trace built from the streaming parsers.
#include <utility>

#include "sensors/replay/csv_text.hpp"
#include "sensors/replay/joulebench_trace.hpp"
#include "sensors/replay/mapped_file.hpp"
#include "sensors/replay/nvidia_smi_csv.hpp"
#include "sensors/replay/trace.hpp"
#include "sensors/replay/trace_format.hpp"

namespace joulebench {
namespace {

constexpr std::string_view kUtf8ByteOrderMark = "\xEF\xBB\xBF";

struct FirstLine {
  std::string_view text;  // empty when the whole input is blank
  std::size_t number = 0;
  bool too_long = false;
};

FirstLine first_non_blank_line(std::string_view text) {
  replay::LineCursor lines(text);
  std::string_view line;
  while (lines.next(line)) {
    if (lines.too_long()) return {line, lines.line_number(), true};
    if (!replay::trim(line).empty()) return {line, lines.line_number()};
  }
  return {};
}

// Collects what a parser streams into a Trace.
class TraceCollector : public TraceSink {
 public:
  explicit TraceCollector(Trace& trace) : trace_(trace) {}

  void on_devices(const std::vector<DeviceInfo>& devices) override {
    trace_.devices = devices;
    trace_.samples.assign(devices.size(), {});
    trace_.lost_at_ns.assign(devices.size(), std::nullopt);
  }
  void on_sample(std::size_t device_index, const Sample& sample) override {
    trace_.samples[device_index].push_back(sample);
  }
  void on_lost(std::size_t device_index, TimeNs time_ns) override {
    trace_.lost_at_ns[device_index] = time_ns;
  }

 private:
  Trace& trace_;
};

}  // namespace

void TraceSink::on_lost(std::size_t /*device_index*/, TimeNs /*time_ns*/) {}
void TraceSink::on_gap(std::size_t /*device_index*/) {}

Expected<TraceSummary> parse_trace_stream(std::string_view text, const std::string& filename,
                                          const TraceParseOptions& options, TraceSink& sink) {
  if (text.starts_with(kUtf8ByteOrderMark)) text.remove_prefix(kUtf8ByteOrderMark.size());
  const FirstLine first = first_non_blank_line(text);
  if (first.too_long) return Error{replay::line_too_long_message(), filename, first.number};
  if (first.text.empty()) return Error{"empty file", filename};
  if (first.text.starts_with(replay::kTraceMagic)) {
    return replay::parse_joulebench_trace(text, filename, options, sink);
  }
  // Without its "#" lines a joulebench trace would otherwise be read as an nvidia-smi log
  // and get advice on recording one.
  if (replay::trim(first.text) == replay::kTraceHeader) {
    return Error{
        "a joulebench trace header without the \"# joulebench-trace v1\" and "
        "\"# device\" lines before it (was the start of the file cut off?)",
        filename, first.number};
  }
  if (first.text.front() == '#') {
    return Error{
        "unknown trace format: the first line is neither \"# joulebench-trace v1\" "
        "nor an nvidia-smi CSV header",
        filename, first.number};
  }
  return replay::parse_nvidia_smi_csv(text, filename, options, sink);
}

Expected<TraceSummary> parse_trace_file(const std::string& path, const TraceParseOptions& options,
                                        TraceSink& sink) {
  auto file = replay::MappedFile::open(path);
  if (!file) return file.error();
  return parse_trace_stream(file->text(), path, options, sink);
}

Expected<Trace> parse_trace(std::string_view text, const std::string& filename,
                            const TraceParseOptions& options) {
  Trace trace;
  TraceCollector collector(trace);
  auto summary = parse_trace_stream(text, filename, options, collector);
  if (!summary) return summary.error();
  trace.summary = std::move(summary.value());
  return trace;
}

Expected<Trace> load_trace(const std::string& path, const TraceParseOptions& options) {
  auto file = replay::MappedFile::open(path);
  if (!file) return file.error();
  return parse_trace(file->text(), path, options);
}

}  // namespace joulebench
