#include "core/plausibility.hpp"

#include <algorithm>

namespace joulebench {

double max_plausible_power_w(std::optional<double> power_limit_w) {
  if (power_limit_w && *power_limit_w > 0.0) {
    return std::min(kPowerLimitHeadroom * *power_limit_w, kMaxPlausibleDevicePowerW);
  }
  return kMaxPlausibleDevicePowerW;
}

double max_plausible_power_w(const DeviceInfo& device) {
  return max_plausible_power_w(device.power_limit_w);
}

double max_plausible_energy_j(const DeviceInfo& device, double seconds) {
  return max_plausible_power_w(device) * (std::max(seconds, 0.0) + 1.0);
}

}  // namespace joulebench
