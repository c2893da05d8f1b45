#include "part_time_sampling.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace joulebench::cli {

std::vector<std::string> part_time_devices(const std::vector<DeviceInfo>& devices) {
  std::vector<std::string> out;
  for (const auto& device : devices) {
    if (!device.part_time_cycle_s) continue;
    out.push_back(fmt::format("{} ({}) samples power part-time, in a {} s cycle (GPU catalog)",
                              device.id, device.name, *device.part_time_cycle_s));
  }
  return out;
}

std::optional<double> part_time_cycle_s(const std::vector<DeviceInfo>& devices) {
  std::optional<double> longest;
  for (const auto& device : devices) {
    if (device.part_time_cycle_s)
      longest = std::max(longest.value_or(0.0), *device.part_time_cycle_s);
  }
  return longest;
}

}  // namespace joulebench::cli
