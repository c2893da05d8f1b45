// What nvmlDeviceGetPowerUsage means on a given GPU: a 1 s moving average on Ampere and
// newer except GA100 (A100, A800, A30), an instantaneous reading on GA100 and older GPUs.
// Thread-safety: pure functions.
#pragma once

#include <optional>
#include <string_view>

#include "joulebench/sensor.hpp"

namespace joulebench::nvml {

// True for GA100 boards by marketing name: "NVIDIA A100-SXM4-80GB", "NVIDIA A800 40GB",
// "NVIDIA A30", "NVIDIA A100X"; not for "NVIDIA RTX A3000" (GA104).
bool is_ga100_name(std::string_view device_name);

// `architecture` is nvmlDeviceGetArchitecture's value, nullopt when NVML could not tell.
PowerKind power_usage_kind(std::optional<unsigned> architecture, std::string_view device_name);

}  // namespace joulebench::nvml
