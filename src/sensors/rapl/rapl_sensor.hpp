// CPU package and DRAM energy from Linux powercap (Intel RAPL; AMD uses the same zones).
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "joulebench/error.hpp"
#include "joulebench/sensor.hpp"

namespace joulebench {

// root: the powercap directory; when unset $JOULEBENCH_POWERCAP_ROOT, else /sys/class/powercap.
Expected<std::unique_ptr<Sensor>> open_rapl_sensor(std::optional<std::string> root = std::nullopt);

}  // namespace joulebench
