// The fake NVML's scenario: devices, their profiles over fake time and their failures,
// read from the JSON file named by $JOULEBENCH_FAKE_NVML_SCENARIO (fields: README.md).
// Thread-safety: plain values.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "joulebench/error.hpp"
#include "profile.hpp"

namespace joulebench::fake_nvml {

// `function` returns `code` for calls at fake times in [from_s, to_s).
struct Failure {
  std::string function;
  int code = 0;
  double from_s = 0.0;
  double to_s = std::numeric_limits<double>::infinity();
};

// Throttle reason bits `mask` are set for fake times in [from_s, to_s).
struct ThrottleInterval {
  double from_s = 0.0;
  double to_s = 0.0;
  std::uint64_t mask = 0;
};

// Power = idle_power_w + power_per_load_w * (the number in load_file).
struct LoadDrivenPower {
  std::string load_file;
  double idle_power_w = 0.0;
  double power_per_load_w = 0.0;
};

// Power = busy_power_w inside the busy intervals that a workload appends to activity_file
// ("start_s end_s" lines in CLOCK_MONOTONIC seconds), idle_power_w outside.
struct ActivityDrivenPower {
  std::string activity_file;
  double idle_power_w = 0.0;
  double busy_power_w = 0.0;
};

// The sensor averages [k * cycle_s + phase_s, + window_s) of every cycle k (fake time), the
// last 25 ms of each 100 ms by default.
struct PartTimeSampling {
  double cycle_s = 0.1;
  double window_s = 0.025;
  double phase_s = 0.075;
};

struct DeviceScenario {
  std::string name = "NVIDIA Fake GPU";
  std::string uuid;           // default: GPU-fa4e0000-0000-0000-0000-<index as 12 hex digits>
  unsigned architecture = 9;  // Hopper
  double power_limit_w = 700.0;
  Profile power_w{100.0};
  std::optional<LoadDrivenPower> load;          // replaces power_w when set
  std::optional<ActivityDrivenPower> activity;  // replaces power_w when set
  std::optional<PartTimeSampling> part_time;    // every power API and the counter go part-time
  std::optional<std::string> truth_file;        // rewritten at every call: the true energy so far
  // nvmlDeviceGetPowerUsage (and field 185) report the trailing average over this window.
  std::optional<double> power_usage_average_s;
  bool power_instant_field = true;
  bool energy_counter = true;
  std::uint64_t energy_start_mj = 0;
  double counter_update_period_s = 0.1;
  Profile temperature_c{40.0};
  Profile gpu_utilization_pct{0.0};
  Profile memory_utilization_pct{0.0};
  Profile sm_clock_mhz{1980.0};
  Profile memory_used_bytes{0.0};
  double memory_total_bytes = 85899345920.0;  // 80 GiB
  std::vector<ThrottleInterval> throttle;
  std::vector<unsigned> compute_pids;  // nvmlDeviceGetComputeRunningProcesses_v3
  std::optional<double> lost_at_s;
  // Settable limits and clocks (sweeps): the limit's constraints and default (both default to
  // power_limit_w) and the supported clocks, highest first.
  double power_limit_default_w = 700.0;
  double power_limit_min_w = 200.0;
  double power_limit_max_w = 700.0;
  std::vector<unsigned> graphics_clocks_mhz{1980, 1755, 1500, 1200, 990, 705};
  std::vector<unsigned> memory_clocks_mhz{2619};
  std::vector<Failure> failures;  // "unsupported" entries become permanent NOT_SUPPORTED ones
};

struct Scenario {
  std::string driver_version = "550.54.15";
  std::optional<int> init_error;  // nvmlInit_v2 returns it
  std::vector<DeviceScenario> devices;
};

// The error names the field ("devices[0].power_w: ...") or, for malformed JSON, the line.
Expected<Scenario> parse_scenario(std::string_view json_text);

// Used when $JOULEBENCH_FAKE_NVML_SCENARIO is unset: one device with every default.
Scenario default_scenario();

}  // namespace joulebench::fake_nvml
