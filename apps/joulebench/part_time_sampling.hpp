// Which measured GPUs sample power part-time (the GPU catalog's part_time_sampling), and the
// phase spreading of `joulebench run` that this decides.
// Thread-safety: pure functions; the describer is immutable once made.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "joulebench/sensor.hpp"

namespace joulebench::cli {

// "nvml:0 (NVIDIA H100 80GB HBM3) samples power 25 ms of every 100 ms" for each part-time
// device; empty when there is none.
std::vector<std::string> part_time_devices(const std::vector<DeviceInfo>& devices);

// The longest part-time cycle of the devices; null when none is part-time.
std::optional<double> part_time_cycle_s(const std::vector<DeviceInfo>& devices);

}  // namespace joulebench::cli
