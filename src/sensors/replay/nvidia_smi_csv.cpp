#include "sensors/replay/nvidia_smi_csv.hpp"

#include <algorithm>
#include <array>
#include <utility>

#include "sensors/replay/bad_rows.hpp"
#include "sensors/replay/csv_text.hpp"
#include "sensors/replay/nvidia_smi_columns.hpp"
#include "sensors/replay/nvidia_smi_row.hpp"
#include "sensors/replay/plausible_rows.hpp"
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
        not_available_(layout_.columns.size(), 0),
        plausible_(devices_, options) {
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
  void choose_power(SmiRow& row);
  bool accept(SmiRow& row, std::size_t line);
  bool hold(std::size_t device, const SmiRow& row, std::size_t line);
  void release(std::size_t device, std::size_t line, TimeNs wall_ns,
               std::string_view timestamp_text, std::size_t power_rank, Sample sample);
  void add_power_notes();
  void release_held_rows();
  std::optional<std::size_t> find_device(std::string_view key) const;
  std::size_t add_device(const SmiRow& row);
  void send_devices();
  void deliver(std::size_t device, const Sample& sample, bool after_gap);
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
  // Per device, the row held back with skip_bad_lines (see order_verdict).
  struct HeldRow {
    std::size_t line = 0;
    TimeNs wall_ns = 0;
    std::string_view timestamp_text;
    std::size_t power_rank = 0;
    Sample sample;
  };
  std::array<std::size_t, kPowerColumns> power_rows_{};  // delivered rows per power column rank
  std::vector<std::optional<HeldRow>> held_;
  std::vector<bool> delivered_;  // per device: has a row been delivered
  PlausibleRows plausible_;
};

Expected<TraceSummary> SmiParser::run(CsvRowCursor& rows) {
  SmiRow row;
  while (rows.next()) {
    const auto& fields = rows.fields();
    if (rows.too_long()) {
      ++parsed_rows_;
      if (auto error = bad_rows_.reject(rows.line_number(), line_too_long_message())) return *error;
      continue;
    }
    if (fields.size() == 1 && fields[0].empty()) continue;  // a blank line
    ++parsed_rows_;
    if (parse_row(fields, row) && accept(row, rows.line_number())) continue;
    if (rows.line() == header_) error_ = "a second header line (were two logs joined?)";
    if (auto error = bad_rows_.reject(rows.line_number(), std::move(error_))) return *error;
  }
  release_held_rows();
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
  choose_power(row);
  return true;
}

// Column by column: a row whose preferred power column is "[N/A]" (power.draw.instant on
// older GPUs) takes the next power column that has a value.
void SmiParser::choose_power(SmiRow& row) {
  row.power_rank = 0;
  for (std::size_t rank = 0; rank < layout_.power_columns.size(); ++rank) {
    if (!row.power_by_rank[rank]) continue;
    row.sample.power_w = row.power_by_rank[rank];
    row.power_rank = rank;
    return;
  }
}

bool SmiParser::parse_field(std::size_t column, std::string_view text, SmiRow& row) {
  switch (layout_.columns[column].field) {
    case SmiField::ignored:
      return true;
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
    case SmiField::uuid:
      row.uuid = text;
      return true;
    case SmiField::name:
      row.name = text;
      return true;
    case SmiField::driver_version:
      row.driver = text;
      return true;
    case SmiField::power_limit:
      return read_number(column, text, "W", row.power_limit_w);
    case SmiField::power:
      return read_number(column, text, "W", row.power_by_rank[layout_.columns[column].power_rank]);
    case SmiField::temperature:
      return read_number(column, text, "C", row.sample.temperature_c);
    case SmiField::utilization:
      return read_number(column, text, "%", row.sample.gpu_utilization_pct);
    case SmiField::sm_clock:
      return read_number(column, text, "MHz", row.sample.sm_clock_mhz);
    case SmiField::memory_used:
      return read_memory(column, text, row);
    case SmiField::throttle_mask:
      return read_mask(column, text, row);
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
  if (!number)
    return fail(column_name(column) + ": " + quote_for_message(text) + " is not a number");
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
  if (!number)
    return fail(column_name(column) + ": " + quote_for_message(text) + " is not a number");
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

bool SmiParser::accept(SmiRow& row, std::size_t line) {
  std::optional<std::size_t> device = find_device(row.key);
  if (!device) {
    if (devices_sent_) {
      return fail(column_name(*layout_.key_column) + " " + quote_for_message(row.key) +
                  ": this GPU is not in the first round of the log");
    }
    if (devices_.size() >= kMaxDevices) {
      return fail("more than " + std::to_string(kMaxDevices) + " GPUs");
    }
  } else if (delivered_[*device] && row.wall_ns < last_wall_ns_[*device]) {
    return fail("timestamp goes backwards by " +
                seconds_text(ns_to_s(last_wall_ns_[*device] - row.wall_ns)) +
                " s (against the previous row of this GPU)");
  }
  if (!device) {
    device = add_device(row);
  } else if (!devices_sent_) {
    send_devices();  // a GPU repeats: the first round is complete
  }
  last_device_ = *device;
  if (bad_rows_.skipping()) return hold(*device, row, line);
  release(*device, line, row.wall_ns, row.timestamp_text, row.power_rank, row.sample);
  return true;
}

// Holds the row back until the device's next row shows whether it is in order.
bool SmiParser::hold(std::size_t device, const SmiRow& row, std::size_t line) {
  auto& held = held_[device];
  if (held) {
    const std::optional<TimeNs> last =
        delivered_[device] ? std::optional<TimeNs>(last_wall_ns_[device]) : std::nullopt;
    switch (order_verdict(last, held->wall_ns, row.wall_ns)) {
      case OrderVerdict::deliver_held:
        release(device, held->line, held->wall_ns, held->timestamp_text, held->power_rank,
                held->sample);
        break;
      case OrderVerdict::drop_held:
        bad_rows_.reject(held->line, "timestamp is ahead of the next row of this GPU by " +
                                         seconds_text(ns_to_s(held->wall_ns - row.wall_ns)) + " s");
        break;
      case OrderVerdict::drop_incoming:
        return fail("timestamp goes backwards by " +
                    seconds_text(ns_to_s(held->wall_ns - row.wall_ns)) +
                    " s (against the previous row of this GPU)");
    }
  }
  held = HeldRow{line, row.wall_ns, row.timestamp_text, row.power_rank, row.sample};
  return true;
}

void SmiParser::release(std::size_t device, std::size_t line, TimeNs wall_ns,
                        std::string_view timestamp_text, std::size_t power_rank, Sample sample) {
  last_wall_ns_[device] = wall_ns;
  delivered_[device] = true;
  if (!origin_wall_ns_) {
    origin_wall_ns_ = wall_ns;
    summary_.start_wall_clock = std::string(timestamp_text);
  }
  sample.time_ns = wall_ns - *origin_wall_ns_;
  const bool after_gap = plausible_.check(device, line, sample);
  if (sample.power_w) ++power_rows_[power_rank];
  deliver(device, sample, after_gap);
}

// At the end of the log: the rows still held, in file order.
void SmiParser::release_held_rows() {
  std::vector<std::pair<std::size_t, std::size_t>> order;  // line, device
  for (std::size_t device = 0; device < held_.size(); ++device) {
    if (held_[device]) order.emplace_back(held_[device]->line, device);
  }
  std::sort(order.begin(), order.end());
  for (const auto& [line, device] : order) {
    const HeldRow& held = *held_[device];
    release(device, held.line, held.wall_ns, held.timestamp_text, held.power_rank, held.sample);
    held_[device].reset();
  }
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
  // The first row tells which power column this GPU has (power.draw.instant is "[N/A]" on
  // older GPUs): the kind follows the column its readings come from.
  if (row.sample.power_w && row.power_rank != 0) {
    describe_power_column(column_name(layout_.power_columns[row.power_rank]), device);
  }
  devices_.push_back(std::move(device));
  keys_.emplace_back(row.key);
  last_wall_ns_.push_back(row.wall_ns);
  held_.emplace_back();
  delivered_.push_back(false);
  return position;
}

void SmiParser::send_devices() {
  devices_sent_ = true;
  sink_.on_devices(devices_);
  for (const auto& [device, sample] : first_round_) sink_.on_sample(device, sample);
  first_round_.clear();
}

void SmiParser::deliver(std::size_t device, const Sample& sample, bool after_gap) {
  if (summary_.rows == 0 || sample.time_ns < summary_.first_time_ns) {
    summary_.first_time_ns = sample.time_ns;
  }
  if (summary_.rows == 0 || sample.time_ns > summary_.last_time_ns) {
    summary_.last_time_ns = sample.time_ns;
  }
  ++summary_.rows;
  if (devices_sent_) {
    if (after_gap) sink_.on_gap(device);
    sink_.on_sample(device, sample);
  } else {
    first_round_.emplace_back(device, sample);
  }
}

// Says which power column fed power_w where the preferred one was not available, in place
// of the header's notes that assumed the preferred column throughout.
void SmiParser::add_power_notes() {
  if (layout_.power_columns.empty()) return;
  const std::string& preferred = column_name(layout_.power_columns.front());
  std::size_t rows_with_power = 0;
  for (std::size_t count : power_rows_) rows_with_power += count;
  auto replace_note = [&](std::string_view starts_with, std::string note) {
    for (auto& existing : summary_.notes) {
      if (std::string_view(existing).starts_with(starts_with)) {
        existing = std::move(note);
        return;
      }
    }
  };
  bool described_fallback = false;
  for (std::size_t rank = 1; rank < layout_.power_columns.size(); ++rank) {
    if (power_rows_[rank] == 0) continue;
    const std::string& name = column_name(layout_.power_columns[rank]);
    DeviceInfo unused;
    replace_note(name + ": not used", name + ": power_w in " + std::to_string(power_rows_[rank]) +
                                          " of " + std::to_string(rows_with_power) +
                                          " rows, where " + preferred + " is not available");
    if (power_rows_[0] == 0 && !described_fallback) {
      replace_note("power_w from " + preferred, describe_power_column(name, unused) + "; " +
                                                    preferred + " is not available in any row");
      described_fallback = true;
    }
  }
}

void SmiParser::add_availability_notes() {
  summary_.notes = std::move(layout_.notes);
  summary_.warnings = plausible_.warnings();
  add_power_notes();
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
  while (lines.next(header) && !lines.too_long() && trim(header).empty()) {
  }
  if (lines.too_long()) return Error{line_too_long_message(), filename, lines.line_number()};
  if (trim(header).empty()) return Error{"empty file", filename};
  auto layout = parse_smi_header(header);
  if (!layout) return Error{layout.error().message, filename, lines.line_number()};
  SmiParser parser(std::move(layout.value()), header, filename, options, sink);
  CsvRowCursor rows(lines.remaining(), lines.line_number());
  return parser.run(rows);
}

}  // namespace joulebench::replay
