#include "sensors/replay/joulebench_trace.hpp"

#include <algorithm>
#include <utility>

#include "sensors/replay/bad_rows.hpp"
#include "sensors/replay/csv_text.hpp"
#include "sensors/replay/plausible_rows.hpp"
#include "sensors/replay/trace_devices.hpp"
#include "sensors/replay/trace_format.hpp"

namespace joulebench::replay {
namespace {

// "# word rest" -> {"word", "rest"}; the word is empty for "# key=value" metadata.
struct CommentLine {
  std::string_view directive;
  std::string_view rest;
};

CommentLine split_comment(std::string_view line) {
  const std::string_view body = trim(line.substr(1));
  const std::size_t space = body.find_first_of(" \t");
  const std::string_view word = body.substr(0, space);
  if (word.find('=') != std::string_view::npos) return {{}, body};
  return {word, space == std::string_view::npos ? std::string_view() : body.substr(space + 1)};
}

bool is_blank(std::string_view line) { return trim(line).empty(); }

class OwnTraceParser {
 public:
  OwnTraceParser(const std::string& filename, const TraceParseOptions& options, TraceSink& sink)
      : sink_(sink), bad_rows_(filename, options, summary_), plausible_(devices_, options) {
    summary_.format = std::string(kJoulebenchTraceFormat);
  }

  Expected<TraceSummary> run(std::string_view text);

 private:
  std::optional<Error> read_magic_line();
  std::optional<Error> read_preamble();
  std::optional<Error> read_comment(std::string_view line);
  std::optional<Error> read_rows();
  bool parse_row(const std::vector<std::string_view>& fields);
  bool parse_lost(std::string_view tokens);
  bool read_optional_number(std::string_view text, std::string_view name,
                            std::optional<double>& out);
  bool read_optional_uint(std::string_view text, std::string_view name, bool hex,
                          std::optional<std::uint64_t>& out);
  bool read_device(std::string_view text, std::size_t& device);
  // Time relative to the first row; false when the device's times would go backwards.
  bool place_in_time(std::size_t device, TimeNs absolute_ns, TimeNs& relative_ns);
  void note_time(TimeNs relative_ns);
  bool hold(std::size_t device, TimeNs absolute_ns, const Sample& sample);
  void deliver(std::size_t device, std::size_t line, TimeNs absolute_ns, Sample sample);
  void release_held(std::size_t device);
  void release_held_rows();
  bool fail(std::string message) {
    error_ = std::move(message);
    return false;
  }

  std::optional<LineCursor> lines_;
  TraceSink& sink_;
  TraceSummary summary_;
  BadRows bad_rows_;
  std::vector<DeviceInfo> devices_;
  std::vector<std::optional<TimeNs>> last_time_ns_;  // per device, absolute
  std::vector<bool> lost_;
  std::optional<TimeNs> origin_ns_;
  bool has_times_ = false;
  // Per device, the row held back with skip_bad_lines (see order_verdict).
  struct HeldRow {
    std::size_t line = 0;
    TimeNs absolute_ns = 0;
    Sample sample;
  };
  std::vector<std::optional<HeldRow>> held_;
  std::size_t line_ = 0;  // of the row being parsed
  PlausibleRows plausible_;
  std::string error_;
};

Expected<TraceSummary> OwnTraceParser::run(std::string_view text) {
  lines_.emplace(text);
  if (auto error = read_magic_line()) return *error;
  if (auto error = read_preamble()) return *error;
  sink_.on_devices(devices_);
  if (auto error = read_rows()) return *error;
  return std::move(summary_);
}

std::optional<Error> OwnTraceParser::read_magic_line() {
  std::string_view line;
  while (lines_->next(line) && !lines_->too_long() && is_blank(line)) {
  }
  if (lines_->too_long()) return bad_rows_.fatal(lines_->line_number(), line_too_long_message());
  if (!line.starts_with(kTraceMagic)) {
    return bad_rows_.fatal(lines_->line_number(),
                           "not a joulebench trace (the first line is not "
                           "\"# joulebench-trace v1\")");
  }
  const std::string_view version = trim(line.substr(kTraceMagic.size()));
  if (version != kTraceVersion) {
    return bad_rows_.fatal(lines_->line_number(),
                           "unsupported trace version " + quote_for_message(version) +
                               " (this joulebench reads " + std::string(kTraceVersion) + ")");
  }
  return std::nullopt;
}

// Metadata and device lines up to and including the CSV header.
std::optional<Error> OwnTraceParser::read_preamble() {
  std::string_view line;
  while (lines_->next(line)) {
    if (lines_->too_long()) return bad_rows_.fatal(lines_->line_number(), line_too_long_message());
    if (is_blank(line)) continue;
    if (line.front() == '#') {
      if (auto error = read_comment(line)) return error;
      continue;
    }
    if (trim(line) != kTraceHeader) {
      return bad_rows_.fatal(lines_->line_number(),
                             "expected the header line " + std::string(kTraceHeader));
    }
    if (devices_.empty()) {
      return bad_rows_.fatal(lines_->line_number(), "no \"# device\" line before the header");
    }
    return std::nullopt;
  }
  return bad_rows_.fatal(lines_->line_number(),
                         "no header line (expected " + std::string(kTraceHeader) + ")");
}

std::optional<Error> OwnTraceParser::read_comment(std::string_view line) {
  const CommentLine comment = split_comment(line);
  if (comment.directive == kDeviceDirective) {
    auto device = parse_device_tokens(comment.rest, devices_.size(), summary_.notes);
    if (!device) return bad_rows_.fatal(lines_->line_number(), device.error().message);
    devices_.push_back(std::move(device.value()));
    last_time_ns_.emplace_back();
    lost_.push_back(false);
    held_.emplace_back();
    return std::nullopt;
  }
  if (!comment.directive.empty()) {
    return bad_rows_.fatal(lines_->line_number(),
                           "unexpected line " + quote_for_message(line) + " before the header");
  }
  auto pairs = parse_key_values(comment.rest);
  if (!pairs) return bad_rows_.fatal(lines_->line_number(), pairs.error().message);
  for (auto& pair : *pairs) {
    if (pair.key == "start_time") summary_.start_wall_clock = pair.value;
    summary_.metadata.emplace_back(std::string(pair.key), std::move(pair.value));
  }
  return std::nullopt;
}

std::optional<Error> OwnTraceParser::read_rows() {
  CsvRowCursor rows(lines_->remaining(), lines_->line_number());
  while (rows.next()) {
    line_ = rows.line_number();
    const std::string_view line = trim(rows.line());
    if (line.empty() && !rows.too_long()) continue;
    bool ok = false;
    if (rows.too_long()) {
      error_ = line_too_long_message();
    } else if (line.front() != '#') {
      ok = parse_row(rows.fields());
    } else if (const CommentLine comment = split_comment(line);
               comment.directive == kLostDirective) {
      ok = parse_lost(comment.rest);
    } else {
      error_ = "unexpected comment " + quote_for_message(line) + " among the rows";
    }
    if (ok) continue;
    if (auto error = bad_rows_.reject(rows.line_number(), std::move(error_))) return error;
  }
  release_held_rows();
  summary_.warnings = plausible_.warnings();
  return std::nullopt;
}

bool OwnTraceParser::parse_row(const std::vector<std::string_view>& fields) {
  if (fields.size() != kTraceFieldCount) {
    return fail("expected " + std::to_string(kTraceFieldCount) + " fields, got " +
                std::to_string(fields.size()));
  }
  const auto time_ns = parse_time_s(fields[0]);
  if (!time_ns)
    return fail("time_s: " + quote_for_message(fields[0]) + " is not a time in seconds");
  std::size_t device = 0;
  Sample sample;
  const bool parsed =
      read_device(fields[1], device) &&
      read_optional_number(fields[2], "power_w", sample.power_w) &&
      read_optional_number(fields[3], "energy_counter_j", sample.energy_counter_j) &&
      read_optional_number(fields[4], "temperature_c", sample.temperature_c) &&
      read_optional_number(fields[5], "gpu_utilization_pct", sample.gpu_utilization_pct) &&
      read_optional_number(fields[6], "sm_clock_mhz", sample.sm_clock_mhz) &&
      read_optional_uint(fields[7], "memory_used_bytes", false, sample.memory_used_bytes) &&
      read_optional_uint(fields[8], "throttle_mask", true, sample.throttle_mask);
  if (!parsed) return false;
  if (bad_rows_.skipping()) return hold(device, *time_ns, sample);
  if (!place_in_time(device, *time_ns, sample.time_ns)) return false;
  deliver(device, line_, *time_ns, sample);
  return true;
}

// Holds the row back until the device's next row shows whether it is in order.
bool OwnTraceParser::hold(std::size_t device, TimeNs absolute_ns, const Sample& sample) {
  auto& held = held_[device];
  if (held) {
    switch (order_verdict(last_time_ns_[device], held->absolute_ns, absolute_ns)) {
      case OrderVerdict::deliver_held:
        release_held(device);
        break;
      case OrderVerdict::drop_held:
        bad_rows_.reject(
            held->line, "time_s is ahead of the next row of device " + std::to_string(device) +
                            " by " + seconds_text(ns_to_s(held->absolute_ns - absolute_ns)) + " s");
        break;
      case OrderVerdict::drop_incoming:
        return fail("time_s goes backwards by " +
                    seconds_text(ns_to_s(held->absolute_ns - absolute_ns)) + " s for device " +
                    std::to_string(device));
    }
  } else if (last_time_ns_[device] && absolute_ns < *last_time_ns_[device]) {
    TimeNs unused = 0;
    return place_in_time(device, absolute_ns, unused);  // fails with the message
  }
  held = HeldRow{line_, absolute_ns, sample};
  return true;
}

void OwnTraceParser::deliver(std::size_t device, std::size_t line, TimeNs absolute_ns,
                             Sample sample) {
  if (!origin_ns_) origin_ns_ = absolute_ns;
  sample.time_ns = absolute_ns - *origin_ns_;
  if (plausible_.check(device, line, sample)) sink_.on_gap(device);
  ++summary_.rows;
  note_time(sample.time_ns);
  sink_.on_sample(device, sample);
}

void OwnTraceParser::release_held(std::size_t device) {
  auto& held = held_[device];
  if (!held) return;
  TimeNs unused = 0;
  place_in_time(device, held->absolute_ns, unused);  // in order by construction
  deliver(device, held->line, held->absolute_ns, held->sample);
  held.reset();
}

// At the end of the trace: the rows still held, in file order.
void OwnTraceParser::release_held_rows() {
  std::vector<std::pair<std::size_t, std::size_t>> order;  // line, device
  for (std::size_t device = 0; device < held_.size(); ++device) {
    if (held_[device]) order.emplace_back(held_[device]->line, device);
  }
  std::sort(order.begin(), order.end());
  for (const auto& [line, device] : order) release_held(device);
}

bool OwnTraceParser::parse_lost(std::string_view tokens) {
  auto pairs = parse_key_values(tokens);
  if (!pairs) return fail("lost: " + pairs.error().message);
  std::optional<std::size_t> device;
  std::optional<TimeNs> time_ns;
  for (const auto& pair : *pairs) {
    std::size_t index = 0;
    if (pair.key == "device" && read_device(pair.value, index)) device = index;
    if (pair.key == "time_s") time_ns = parse_time_s(pair.value);
  }
  if (!device || !time_ns) return fail("lost: expected device=N time_s=SECONDS");
  if (lost_[*device]) return fail("lost: device " + std::to_string(*device) + " is already lost");
  release_held(*device);  // its rows come before the loss
  TimeNs relative_ns = 0;
  if (!place_in_time(*device, *time_ns, relative_ns)) return false;
  lost_[*device] = true;
  note_time(relative_ns);
  sink_.on_lost(*device, relative_ns);
  return true;
}

bool OwnTraceParser::read_optional_number(std::string_view text, std::string_view name,
                                          std::optional<double>& out) {
  if (text.empty()) return true;
  out = parse_finite(text);
  if (!out) return fail(std::string(name) + ": " + quote_for_message(text) + " is not a number");
  return true;
}

bool OwnTraceParser::read_optional_uint(std::string_view text, std::string_view name, bool hex,
                                        std::optional<std::uint64_t>& out) {
  if (text.empty()) return true;
  out = hex ? parse_hex_or_uint(text) : parse_uint(text);
  if (!out) {
    return fail(std::string(name) + ": " + quote_for_message(text) + " is not " +
                (hex ? "a bit mask" : "a non-negative integer"));
  }
  return true;
}

bool OwnTraceParser::read_device(std::string_view text, std::size_t& device) {
  auto index = parse_uint(text);
  if (!index || *index >= devices_.size()) {
    return fail("device: " + quote_for_message(text) + " is not a declared device (the trace has " +
                std::to_string(devices_.size()) + ")");
  }
  device = static_cast<std::size_t>(*index);
  return true;
}

bool OwnTraceParser::place_in_time(std::size_t device, TimeNs absolute_ns, TimeNs& relative_ns) {
  const auto& last = last_time_ns_[device];
  if (last && absolute_ns < *last) {
    return fail("time_s goes backwards by " + seconds_text(ns_to_s(*last - absolute_ns)) +
                " s for device " + std::to_string(device));
  }
  last_time_ns_[device] = absolute_ns;
  if (!origin_ns_) origin_ns_ = absolute_ns;
  relative_ns = absolute_ns - *origin_ns_;
  return true;
}

void OwnTraceParser::note_time(TimeNs relative_ns) {
  if (!has_times_ || relative_ns < summary_.first_time_ns) summary_.first_time_ns = relative_ns;
  if (!has_times_ || relative_ns > summary_.last_time_ns) summary_.last_time_ns = relative_ns;
  has_times_ = true;
}

}  // namespace

Expected<TraceSummary> parse_joulebench_trace(std::string_view text, const std::string& filename,
                                              const TraceParseOptions& options, TraceSink& sink) {
  OwnTraceParser parser(filename, options, sink);
  return parser.run(text);
}

}  // namespace joulebench::replay
