// The ElmorLabs PMD's raw log, decoded as ../shared/reference/external-meter.md describes.
#include <fmt/format.h>

#include <array>
#include <cstdint>
#include <filesystem>

#include "calibration/reference_meter.hpp"
#include "platform/files.hpp"
#include "sensors/replay/csv_text.hpp"

namespace joulebench::calibration {
namespace {

constexpr std::size_t kRecordBytes = 18;
constexpr double kTicksPerMs = 2933.5;
constexpr double kVoltsPerCount = 0.007568;
constexpr double kAmperesPerCount = 0.0488;
// The host stamps PMD_start_ts.txt 50 ms after the meter's first record.
constexpr double kStartStampLateS = 0.050;

std::uint16_t word_at(std::string_view bytes, std::size_t offset) {
  return static_cast<std::uint16_t>(static_cast<unsigned char>(bytes[offset]) |
                                    (static_cast<unsigned char>(bytes[offset + 1]) << 8));
}

// A 12-bit reading: the signed word shifted right by 4; bit 11 set marks an invalid one.
std::optional<double> reading(std::uint16_t word) {
  const auto value = static_cast<std::uint16_t>((static_cast<std::int16_t>(word) >> 4) & 0xfff);
  if ((value & 0x800) != 0) return std::nullopt;
  return static_cast<double>(value);
}

// The card's power of one record: the four (voltage, current) pairs, words 1..8.
double record_power_w(std::string_view record, std::size_t& invalid_readings) {
  double power_w = 0.0;
  for (std::size_t pair = 0; pair < 4; ++pair) {
    const auto volts = reading(word_at(record, 2 + pair * 4));
    const auto amperes = reading(word_at(record, 4 + pair * 4));
    if (!volts || !amperes) {
      ++invalid_readings;
      continue;
    }
    power_w += *volts * kVoltsPerCount * *amperes * kAmperesPerCount;
  }
  return power_w;
}

}  // namespace

Expected<ReferenceRecording> decode_pmd_records(std::string_view bytes, double start_epoch_s,
                                                const std::string& origin) {
  const std::size_t records = bytes.size() / kRecordBytes;
  if (records < 2) return Error{"a PMD log needs at least two 18-byte records", origin};
  ReferenceRecording out;
  out.meter = "ElmorLabs PMD";
  out.series.time_s.reserve(records);
  out.series.power_w.reserve(records);
  std::size_t invalid_readings = 0;
  std::uint64_t ticks = 0;
  std::uint16_t previous_tick = word_at(bytes, 0);
  const double first_s = start_epoch_s - kStartStampLateS;
  for (std::size_t i = 0; i < records; ++i) {
    const std::string_view record = bytes.substr(i * kRecordBytes, kRecordBytes);
    const std::uint16_t tick = word_at(record, 0);
    // A free-running 16-bit counter: forward differences, modulo 65536.
    ticks += static_cast<std::uint16_t>(tick - previous_tick);
    previous_tick = tick;
    out.series.time_s.push_back(first_s + static_cast<double>(ticks) / kTicksPerMs / 1000.0);
    out.series.power_w.push_back(record_power_w(record, invalid_readings));
  }
  out.notes.push_back(fmt::format(
      "{} records; power = the sum of the four rails (PCIe slot, auxiliary, 12 V EPS)", records));
  if (invalid_readings > 0)
    out.notes.push_back(
        fmt::format("{} rail readings marked invalid, counted as 0 W", invalid_readings));
  if (bytes.size() % kRecordBytes != 0)
    out.notes.push_back(fmt::format("{} trailing bytes (an incomplete record) ignored",
                                    bytes.size() % kRecordBytes));
  return out;
}

Expected<ReferenceRecording> load_pmd_recording(const std::string& path) {
  auto bytes = platform::read_file(path);
  if (!bytes) return bytes.error();
  const std::string stamp_path =
      (std::filesystem::path(path).parent_path() / "PMD_start_ts.txt").string();
  auto stamp = platform::read_file(stamp_path);
  if (!stamp) {
    return Error{
        "a PMD log needs PMD_start_ts.txt beside it (the host's clock at the start, "
        "microseconds since the Unix epoch)",
        stamp_path};
  }
  const auto start_us = replay::parse_finite(replay::trim(
      std::string_view(*stamp).substr(0, std::string_view(*stamp).find_first_of("\r\n"))));
  if (!start_us || *start_us <= 0.0)
    return Error{"expected microseconds since the Unix epoch", stamp_path, 1};
  return decode_pmd_records(*bytes, *start_us / 1e6, path);
}

}  // namespace joulebench::calibration
