// One reading of one device at one instant. Every field that a sensor cannot report is
// std::nullopt (never 0): "missing is not zero".
#pragma once

#include <cstdint>
#include <optional>

#include "joulebench/units.hpp"

namespace joulebench {

// NVML clocks-event (throttle) reason bits, as documented in nvml.h.
namespace throttle {
inline constexpr std::uint64_t kGpuIdle = 0x1;
inline constexpr std::uint64_t kApplicationsClocks = 0x2;
inline constexpr std::uint64_t kSwPowerCap = 0x4;
inline constexpr std::uint64_t kHwSlowdown = 0x8;
inline constexpr std::uint64_t kSyncBoost = 0x10;
inline constexpr std::uint64_t kSwThermal = 0x20;
inline constexpr std::uint64_t kHwThermal = 0x40;
inline constexpr std::uint64_t kHwPowerBrake = 0x80;
inline constexpr std::uint64_t kDisplayClocks = 0x100;
// Reasons that invalidate an energy measurement (thermal or power-brake slowdowns).
inline constexpr std::uint64_t kInvalidating = kHwSlowdown | kSwThermal | kHwThermal | kHwPowerBrake;
}  // namespace throttle

struct Sample {
  TimeNs time_ns = 0;                             // sampler's monotonic clock
  std::optional<double> power_w;                  // see DeviceInfo::power_kind for averaging
  std::optional<double> energy_counter_j;         // raw cumulative hardware counter, as read
  std::optional<double> temperature_c;
  std::optional<double> gpu_utilization_pct;      // 0..100
  std::optional<double> sm_clock_mhz;
  std::optional<std::uint64_t> memory_used_bytes;
  std::optional<std::uint64_t> throttle_mask;     // throttle:: bits
};

}  // namespace joulebench
