// The pieces of joulebench's own trace format (docs/trace-format.md) that its writer and
// its parser share, so that the two cannot drift apart. Thread-safety: pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "joulebench/error.hpp"
#include "joulebench/sensor.hpp"
#include "joulebench/units.hpp"

namespace joulebench::replay {

inline constexpr std::string_view kTraceMagic = "# joulebench-trace";
inline constexpr std::string_view kTraceVersion = "v1";
inline constexpr std::string_view kTraceHeader =
    "time_s,device,power_w,energy_counter_j,temperature_c,gpu_utilization_pct,sm_clock_mhz,"
    "memory_used_bytes,throttle_mask";
inline constexpr std::size_t kTraceFieldCount = 9;
inline constexpr std::string_view kDeviceDirective = "device";
inline constexpr std::string_view kLostDirective = "lost";

// Appends `value` as one token of a "# ..." line: bare when it is non-empty and has no
// space, '"', '\\', '=' or control byte; otherwise in double quotes with \" \\ \n \r \t
// and \xHH escapes. Bytes >= 0x80 (UTF-8) pass through.
void append_token(std::string& out, std::string_view value);

struct KeyValue {
  std::string_view key;
  std::string value;  // unescaped
};

// Splits "key=value key2=\"quoted value\"" into its pairs, in order. Keys are
// [A-Za-z0-9_.-]+; an error names the problem (message only, no file or line).
Expected<std::vector<KeyValue>> parse_key_values(std::string_view text);

// Seconds with exactly nine decimals, so integer nanoseconds survive: "-1.500000000".
void append_time_s(std::string& out, TimeNs time_ns);

// The inverse, for [-]DIGITS[.DIGITS]; more than nine decimals are rounded to the nearest
// nanosecond. |time| must be below 10^9 s. Nullopt otherwise.
std::optional<TimeNs> parse_time_s(std::string_view text);

// Shortest text that reads back to the same double ("312.5", "1e+21").
void append_double(std::string& out, double value);

std::optional<PowerKind> power_kind_from_string(std::string_view text);
std::optional<Metric> metric_from_string(std::string_view text);

}  // namespace joulebench::replay
