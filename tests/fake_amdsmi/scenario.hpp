// The fake amdsmi's scenario: GPUs grouped by socket, each with the values the entry points
// report, read from the JSON file named by JOULEBENCH_FAKE_AMDSMI_SCENARIO (see README.md).
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "joulebench/error.hpp"

namespace joulebench::fake_amdsmi {

struct FakeProcessor {
  std::string name = "AMD Instinct MI300X";
  std::string uuid;  // default: derived from the position
  std::string bdf;   // "0000:03:00.0"; default: derived from the position
  std::string partition = "SPX";
  double power_w = 300;            // current_socket_power (and the energy counter's rate)
  double average_power_w = 300;    // average_socket_power
  std::uint64_t energy_start = 0;  // the accumulator's first value (raw steps)
  double resolution_uj = 15.259;
  // Energy per amdsmi_get_energy_count call, J; unset: power_w times time since amdsmi_init.
  std::optional<double> energy_per_read_j;
  double temperature_c = 50;
  unsigned activity_pct = 0;
  std::uint64_t memory_used_bytes = 0;
  unsigned gfx_clock_mhz = 2100;
  bool violation_ppt = false;
  bool violation_thermal = false;
  // Fields reported as NOT_SUPPORTED (or all ones, for the power fields): "energy", "power"
  // (the whole call), "current_power", "average_power", "temperature", "activity", "memory",
  // "clock", "violation", "uuid", "bdf", "partition", "name".
  std::set<std::string> missing;
  // After this many amdsmi_get_energy_count calls every call about this GPU is NOT_FOUND.
  std::optional<unsigned> lost_after_energy_reads;
};

struct FakeSocket {
  std::vector<FakeProcessor> processors;
};

struct Scenario {
  std::uint32_t version_year = 24;
  std::uint32_t version_major = 7;
  std::uint32_t version_minor = 1;
  bool version_reported = true;
  std::string driver_version = "6.8.5";
  std::uint32_t init_status = 0;  // what amdsmi_init returns
  std::vector<FakeSocket> sockets;
};

// An empty path gives one socket with one default GPU.
Expected<Scenario> load_scenario(const std::string& path);
Expected<Scenario> parse_scenario(const std::string& json_text);

}  // namespace joulebench::fake_amdsmi
