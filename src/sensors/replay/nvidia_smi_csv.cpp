#include "sensors/replay/nvidia_smi_csv.hpp"

#include <utility>

#include "sensors/replay/bad_rows.hpp"
#include "sensors/replay/csv_text.hpp"
#include "sensors/replay/nvidia_smi_columns.hpp"
#include "sensors/replay/nvidia_smi_row.hpp"
#include "sensors/replay/wall_clock_time.hpp"

namespace joulebench::replay {
namespace {

// A node has at most 16 GPUs today; the bound keeps a corrupt log from making every row
// search a huge device list.
constexpr std::size_t kMaxDevices = 64;

class SmiParser {
 public:
  SmiParser(SmiLayout layout, std::string_view header, const std::string& filename,
            const TraceParseOptions& options, TraceSink& sink)
      : layout_(std::move(layout)),
        header_(header),
        sink_(sink),
        bad_rows_(filename, options, summary_),
        not_available_(layout_.columns.size(), 0) {
    summary_.format = std::string(kNvidiaSmiCsvFormat);
  }

  Expected<TraceSummary> run(CsvRowCursor& rows);

 private:
  bool parse_row(const std::vector<std::string_view>& fields, SmiRow& row);
  bool parse_field(std::size_t column, std::string_view text, SmiRow& row);
  bool read_number(std::size_t column, std::string_view text, std::string_view unit,
                   std::optional<double>& out);
  bool read_memory(std::size_t column, std::string_view text, SmiRow& row);
  bool read_mask(std::size_t column, std::string_view text, SmiRow& row);
  bool accept(SmiRow& row);
  std::optional<std::size_t> find_device(std::string_view key) const;
  std::size_t add_device(const SmiRow& row);
  void send_devices();
  void deliver(std::size_t device, const Sample& sample);
  void add_availability_notes();
  bool fail(std::string message) {
    error_ = std::move(message);
    return false;
  }
  const std::string& column_name(std::size_t column) const { return layout_.columns[column].name; }

  SmiLayout layout_;
  std::string_view header_;
  TraceSink& sink_;
  TraceSummary summary_;
  BadRows bad_rows_;
  WallClockParser clock_;
  std::string error_;
  std::size_t parsed_rows_ = 0;
  std::vector<std::size_t> not_available_;  // per column

  std::vector<std::string> keys_;  // per device: its key column's text
  std::vector<DeviceInfo> devices_;
  std::vector<TimeNs> last_wall_ns_;  // per device
  std::size_t last_device_ = 0;
  bool devices_sent_ = false;
  // Rows of the first round, held until the round is complete and the devices are known.
  std::vector<std::pair<std::size_t, Sample>> first_round_;
  std::optional<TimeNs> origin_wall_ns_;
};

Expected<TraceSummary> SmiParser::run(CsvRowCursor& rows) {
  SmiRow row;
  while (rows.next()) {
    const auto& fields = rows.fields();
    if (fields.size() == 1 && fields[0].empty()) continue;  // a blank line
    ++parsed_rows_;
    if (parse_row(fields, row) && accept(row)) continue;
    if (rows.line() == header_) error_ = "a second header line (were two logs joined?)";
    if (auto error = bad_rows_.reject(rows.line_number(), std::move(error_))) return *error;
  }
  if (!devices_sent_) send_devices();
  add_availability_notes();
  return std::move(summary_);
}

bool SmiParser::parse_row(const std::vector<std::string_view>& fields, SmiRow& row) {
  if (fields.size() != layout_.columns.size()) {
    return fail("expected " + std::to_string(layout_.columns.size()) + " fields, got " +
                std::to_string(fields.size()));
  }
  clear(row);
  for (std::size_t column = 0; column < fields.size(); ++column) {
    if (!parse_field(column, fields[column], row)) return false;
  }
  if (layout_.key_column) row.key = fields[*layout_.key_column];
  return true;
}

bool SmiParser::parse_field(std::size_t column, std::string_view text, SmiRow& row) {
  switch (layout_.columns[column].field) {
    case SmiField::ignored: return true;
    case SmiField::timestamp: {
      auto wall_ns = clock_.parse(text);
      if (!wall_ns) {
        return fail(column_name(column) + ": " + quote_for_message(text) +
                    " is not a timestamp (expected YYYY/MM/DD HH:MM:SS.mmm)");
      }
      row.wall_ns = *wall_ns;
      row.timestamp_text = text;
      return true;
    }
    case SmiField::index:
      if (!parse_uint(text)) {
        return fail(column_name(column) + ": " + quote_for_message(text) + " is not a GPU index");
      }
      row.index = text;
      return true;
    case SmiField::uuid: row.uuid = text; return true;
    case SmiField::name: row.name = text; return true;
    case SmiField::driver_version: row.driver = text; return true;
    case SmiField::power_limit: return read_number(column, text, "W", row.power_limit_w);
    case SmiField::power: return read_number(column, text, "W", row.sample.power_w);
    case SmiField::temperature: return read_number(column, text, "C", row.sample.temperature_c);
    case SmiField::utilization:
      return read_number(column, text, "%", row.sample.gpu_utilization_pct);
    case SmiField::sm_clock: return read_number(column, text, "MHz", row.sample.sm_clock_mhz);
    case SmiField::memory_used: return read_memory(column, text, row);
    case SmiField::throttle_mask: return read_mask(column, text, row);
  }
  return true;
}

bool SmiParser::read_number(std::size_t column, std::string_view text, std::string_view unit,
                            std::optional<double>& out) {
  if (is_not_available(text)) {
    ++not_available_[column];
    out.reset();
    return true;
  }
  auto number = parse_number_with_unit(text);
  if (!number) return fail(column_name(column) + ": " + quote_for_message(text) + " is not a number");
  if (!number->unit.empty() && number->unit != unit) {
    return fail(column_name(column) + ": " + quote_for_message(text) + " is not a number in " +
                std::string(unit));
  }
  out = number->value;
  return true;
}

bool SmiParser::read_memory(std::size_t column, std::string_view text, SmiRow& row) {
  if (is_not_available(text)) {
    ++not_available_[column];
    return true;
  }
  auto number = parse_number_with_unit(text);
  if (!number) return fail(column_name(column) + ": " + quote_for_message(text) + " is not a number");
  row.sample.memory_used_bytes = memory_bytes(number->value, number->unit);
  if (row.sample.memory_used_bytes) return true;
  const bool known_unit = memory_bytes(0.0, number->unit).has_value();
  return fail(column_name(column) + ": " + quote_for_message(text) +
              (known_unit ? " is out of range" : " is not a number in MiB"));
}

bool SmiParser::read_mask(std::size_t column, std::string_view text, SmiRow& row) {
  if (is_not_available(text)) {
    ++not_available_[column];
    return true;
  }
  auto mask = parse_hex_or_uint(text);
  if (!mask) {
    return fail(column_name(column) + ": " + quote_for_message(text) +
                " is not a bit mask (expected hex, e.g. 0x0000000000000004)");
  }
  row.sample.throttle_mask = *mask;
  return true;
}

bool SmiParser::accept(SmiRow& row) {
  std::optional<std::size_t> device = find_device(row.key);
  if (!device) {
    if (devices_sent_) {
      return fail(column_name(*layout_.key_column) + " " + quote_for_message(row.key) +
                  ": this GPU is not in the first round of the log");
    }
    if (devices_.size() >= kMaxDevices) {
      return fail("more than " + std::to_string(kMaxDevices) + " GPUs");
    }
  } else if (row.wall_ns < last_wall_ns_[*device]) {
    return fail("timestamp goes backwards by " +
                seconds_text(ns_to_s(last_wall_ns_[*device] - row.wall_ns)) +
                " s (against the previous row of this GPU)");
  }
  if (!device) {
    device = add_device(row);
  } else if (!devices_sent_) {
    send_devices();  // a GPU repeats: the first round is complete
  }
  last_wall_ns_[*device] = row.wall_ns;
  last_device_ = *device;
  if (!origin_wall_ns_) {
    origin_wall_ns_ = row.wall_ns;
    summary_.start_wall_clock = std::string(row.timestamp_text);
  }
  row.sample.time_ns = row.wall_ns - *origin_wall_ns_;
  deliver(*device, row.sample);
  return true;
}

std::optional<std::size_t> SmiParser::find_device(std::string_view key) const {
  if (keys_.empty()) return std::nullopt;
  // GPUs come round-robin, so the one after the last is the likely match.
  const std::size_t guess = (last_device_ + 1) % keys_.size();
  if (keys_[guess] == key) return guess;
  for (std::size_t i = 0; i < keys_.size(); ++i) {
    if (keys_[i] == key) return i;
  }
  return std::nullopt;
}

std::size_t SmiParser::add_device(const SmiRow& row) {
  const std::size_t position = devices_.size();
  DeviceInfo device = layout_.device_template;
  device.id = "replay:" + std::to_string(position);
  if (!row.name.empty() && !is_not_available(row.name)) {
    device.name = std::string(row.name);
  } else {
    device.name = "GPU " + (row.index.empty() ? std::to_string(position) : std::string(row.index));
  }
  if (!is_not_available(row.uuid)) device.uuid = std::string(row.uuid);
  if (!is_not_available(row.driver)) device.driver_version = std::string(row.driver);
  device.power_limit_w = row.power_limit_w;
  devices_.push_back(std::move(device));
  keys_.emplace_back(row.key);
  last_wall_ns_.push_back(row.wall_ns);
  return position;
}

void SmiParser::send_devices() {
  devices_sent_ = true;
  sink_.on_devices(devices_);
  for (const auto& [device, sample] : first_round_) sink_.on_sample(device, sample);
  first_round_.clear();
}

void SmiParser::deliver(std::size_t device, const Sample& sample) {
  if (summary_.rows == 0 || sample.time_ns < summary_.first_time_ns) {
    summary_.first_time_ns = sample.time_ns;
  }
  if (summary_.rows == 0 || sample.time_ns > summary_.last_time_ns) {
    summary_.last_time_ns = sample.time_ns;
  }
  ++summary_.rows;
  if (devices_sent_) {
    sink_.on_sample(device, sample);
  } else {
    first_round_.emplace_back(device, sample);
  }
}

void SmiParser::add_availability_notes() {
  summary_.notes = std::move(layout_.notes);
  for (std::size_t column = 0; column < not_available_.size(); ++column) {
    if (not_available_[column] == 0) continue;
    summary_.notes.push_back(column_name(column) + ": " + std::to_string(not_available_[column]) +
                             " of " + std::to_string(parsed_rows_) + " rows not available");
  }
}

}  // namespace

Expected<TraceSummary> parse_nvidia_smi_csv(std::string_view text, const std::string& filename,
                                            const TraceParseOptions& options, TraceSink& sink) {
  LineCursor lines(text);
  std::string_view header;
  while (lines.next(header) && trim(header).empty()) {
  }
  if (trim(header).empty()) return Error{"empty file", filename};
  auto layout = parse_smi_header(header);
  if (!layout) return Error{layout.error().message, filename, lines.line_number()};
  SmiParser parser(std::move(layout.value()), header, filename, options, sink);
  CsvRowCursor rows(lines.remaining(), lines.line_number());
  return parser.run(rows);
}

}  // namespace joulebench::replay
