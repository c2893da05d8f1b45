// One data row of an nvidia-smi log, shared by the general row parser and its fast path.
// Thread-safety: value types and pure functions.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

#include "joulebench/sample.hpp"

namespace joulebench::replay {

// A row as views into the log's text (no allocation).
struct SmiRow {
  TimeNs wall_ns = 0;
  std::string_view timestamp_text;
  std::string_view key;
  std::string_view index;
  std::string_view name;
  std::string_view uuid;
  std::string_view driver;
  std::optional<double> power_limit_w;
  // Each power column's reading, by rank (SmiColumn::power_rank); sample.power_w is the
  // first one available.
  std::array<std::optional<double>, 3> power_by_rank;
  std::size_t power_rank = 0;  // the one that gave sample.power_w
  Sample sample;
};

// Resets a row for reuse, field by field: assigning SmiRow{} compiles to a 240-byte memset
// per row, which showed up as a large cost on long logs.
inline void clear(SmiRow& row) {
  row.key = row.index = row.name = row.uuid = row.driver = {};
  row.power_limit_w.reset();
  for (auto& power : row.power_by_rank) power.reset();
  Sample& s = row.sample;
  s.power_w.reset();
  s.energy_counter_j.reset();
  s.temperature_c.reset();
  s.gpu_utilization_pct.reset();
  s.sm_clock_mhz.reset();
  s.memory_used_bytes.reset();
  s.throttle_mask.reset();
}

// nvidia-smi writes "[N/A]", "[Not Supported]", "[Unknown Error]"... for a value it cannot
// read; older versions write a bare "N/A".
inline bool is_not_available(std::string_view text) {
  return text == "N/A" || (text.size() >= 2 && text.front() == '[' && text.back() == ']');
}

// memory.used in bytes: `unit` is what followed the number (empty means MiB, the unit of
// the header). Nullopt for an unknown unit or a value outside 0 .. 2^64.
inline std::optional<std::uint64_t> memory_bytes(double value, std::string_view unit) {
  struct MemoryUnit {
    std::string_view name;
    double bytes;
  };
  static constexpr std::array<MemoryUnit, 4> kUnits = {
      {{"MiB", 1024.0 * 1024.0}, {"GiB", 1024.0 * 1024.0 * 1024.0}, {"KiB", 1024.0}, {"B", 1.0}}};
  constexpr double kMaxBytes = 1.8e19;  // a bit below 2^64
  if (unit.empty()) unit = "MiB";
  for (const auto& known : kUnits) {
    if (known.name != unit) continue;
    const double bytes = value * known.bytes;
    if (bytes < 0.0 || bytes >= kMaxBytes) return std::nullopt;
    return static_cast<std::uint64_t>(bytes + 0.5);
  }
  return std::nullopt;
}

}  // namespace joulebench::replay
