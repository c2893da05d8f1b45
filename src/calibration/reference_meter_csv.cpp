// A reference meter's CSV: "time,slot_w,pcie8_w" with the time in Unix seconds or ISO 8601
// UTC and the channels in watts, summed per row.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "calibration/reference_meter.hpp"
#include "platform/files.hpp"
#include "sensors/replay/csv_text.hpp"
#include "sensors/replay/wall_clock_time.hpp"

namespace joulebench::calibration {
namespace {

std::string lowercase(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// The first column whose name mentions time ("time", "timestamp", "time_s"); else column 0.
std::size_t time_column(const std::vector<std::string_view>& header) {
  for (std::size_t i = 0; i < header.size(); ++i) {
    if (lowercase(header[i]).find("time") != std::string::npos) return i;
  }
  return 0;
}

// Unix seconds ("1688840907.47") or ISO 8601 UTC ("2023-07-08T18:28:27.236Z").
std::optional<double> epoch_seconds(std::string_view text, replay::WallClockParser& wall_clock) {
  if (auto number = replay::parse_finite(text)) {
    if (*number >= 1e8) return number;  // before 1973: not a Unix time, a relative one
    return std::nullopt;
  }
  if (auto ns = wall_clock.parse(text)) return ns_to_s(*ns);
  return std::nullopt;
}

Expected<std::vector<std::size_t>> power_columns(const std::vector<std::string_view>& header,
                                                 std::size_t time_index,
                                                 const std::vector<std::string>& channels,
                                                 const std::string& origin) {
  std::vector<std::size_t> out;
  if (channels.empty()) {
    for (std::size_t i = 0; i < header.size(); ++i)
      if (i != time_index) out.push_back(i);
  }
  for (const auto& channel : channels) {
    auto found = std::find(header.begin(), header.end(), channel);
    if (found == header.end())
      return Error{"--channels: no column '" + channel + "' in the header", origin, 1};
    out.push_back(static_cast<std::size_t>(found - header.begin()));
  }
  if (out.empty()) return Error{"no power column beside the time column", origin, 1};
  return out;
}

}  // namespace

Expected<ReferenceRecording> parse_reference_csv(std::string_view text, const std::string& origin,
                                                 const std::vector<std::string>& channels) {
  replay::LineCursor lines(text);
  std::string_view line;
  if (!lines.next(line) || lines.too_long())
    return Error{"expected a header line (time and power columns)", origin, 1};
  std::vector<std::string_view> header;
  replay::split_fields(line, header);
  const std::size_t time_index = time_column(header);
  auto columns = power_columns(header, time_index, channels, origin);
  if (!columns) return columns.error();

  ReferenceRecording out;
  out.meter = "reference meter (CSV)";
  replay::WallClockParser wall_clock;
  std::vector<std::string_view> fields;
  while (lines.next(line)) {
    const std::size_t number = lines.line_number();
    if (lines.too_long()) return Error{replay::line_too_long_message(), origin, number};
    if (replay::trim(line).empty()) continue;
    replay::split_fields(line, fields);
    if (fields.size() != header.size())
      return Error{fmt::format("expected {} fields, found {}", header.size(), fields.size()),
                   origin, number};
    const auto time_s = epoch_seconds(fields[time_index], wall_clock);
    if (!time_s)
      return Error{std::string(header[time_index]) +
                       ": expected Unix seconds or ISO 8601 UTC, found " +
                       replay::quote_for_message(fields[time_index]),
                   origin, number};
    if (!out.series.empty() && *time_s < out.series.last_s())
      return Error{std::string(header[time_index]) + ": time goes backwards", origin, number};
    double power_w = 0.0;
    for (std::size_t column : *columns) {
      const auto value = replay::parse_finite(fields[column]);
      if (!value || *value < 0.0)
        return Error{std::string(header[column]) + ": expected watts >= 0, found " +
                         replay::quote_for_message(fields[column]),
                     origin, number};
      power_w += *value;
    }
    out.series.time_s.push_back(*time_s);
    out.series.power_w.push_back(power_w);
  }
  if (out.series.size() < 2) return Error{"a recording needs at least two rows", origin};
  std::string summed;
  for (std::size_t column : *columns)
    summed += (summed.empty() ? "" : " + ") + std::string(header[column]);
  out.notes.push_back(fmt::format("{} rows; power = {}", out.series.size(), summed));
  return out;
}

Expected<ReferenceRecording> load_reference_recording(const std::string& path,
                                                      const std::vector<std::string>& channels) {
  if (path.ends_with(".bin")) {
    if (!channels.empty())
      return Error{"--channels: a PMD log always sums its four rails; the flag is for CSV"};
    return load_pmd_recording(path);
  }
  auto text = platform::read_file(path);
  if (!text) return text.error();
  return parse_reference_csv(*text, path, channels);
}

}  // namespace joulebench::calibration
