// The header line of an nvidia-smi CSV log (`--query-gpu=... --format=csv`) and what each
// column means to joulebench. Thread-safety: value types and pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "joulebench/error.hpp"
#include "joulebench/sensor.hpp"

namespace joulebench::replay {

enum class SmiField : std::uint8_t {
  ignored,
  timestamp,
  index,
  uuid,
  name,
  driver_version,
  power_limit,
  power,  // the one power column chosen for power_w
  temperature,
  utilization,
  sm_clock,
  memory_used,
  throttle_mask,
};

struct SmiColumn {
  std::string name;  // without the unit: "power.draw"
  SmiField field = SmiField::ignored;
  // For a power column: 0 for the preferred one, 1, 2 for the fallbacks, used in a row
  // where the ones before are not available ("[N/A]" on older GPUs).
  std::uint8_t power_rank = 0;
};

// At most this many power columns (power.draw.instant, power.draw, power.draw.average).
inline constexpr std::size_t kPowerColumns = 3;

struct SmiLayout {
  std::vector<SmiColumn> columns;           // in header order
  std::optional<std::size_t> key_column;    // the column that tells GPUs apart
  std::optional<std::size_t> power_column;  // the preferred column feeding power_w
  std::vector<std::size_t> power_columns;   // every power column, by rank
  DeviceInfo device_template;               // power kind and capabilities shared by every GPU
  std::vector<std::string> notes;           // how the columns are used
};

// The power kind and capability that readings of the power column `name` give `device`;
// returns the note saying where power_w comes from.
std::string describe_power_column(const std::string& name, DeviceInfo& device);

// Reads the header line. Errors: no timestamp column, a log recorded with
// --format=csv,noheader, a duplicate column, a unit joulebench does not convert.
Expected<SmiLayout> parse_smi_header(std::string_view line);

}  // namespace joulebench::replay
