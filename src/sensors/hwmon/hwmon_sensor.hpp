// Accelerators that Linux hwmon exposes (amdgpu, Intel xe/i915, others): one device per hwmon
// directory of a PCI function with an energy or power channel (see hwmon_devices.hpp).
// The energy counter (energyN_input, µJ) is preferred; power is powerN_input (instantaneous)
// or, when the driver has only that, powerN_average; with no power file, power is derived
// from the counter. Ids "hwmon:hwmon3".
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "joulebench/error.hpp"
#include "joulebench/sensor.hpp"
#include "sensors/rapl/energy_file.hpp"

namespace joulebench {

struct HwmonOptions {
  // The hwmon class directory; when unset $JOULEBENCH_HWMON_ROOT, else /sys/class/hwmon.
  std::optional<std::string> root;
  // How the files are opened; unset: open(2). Tests inject EACCES here.
  rapl::OpenReadOnly open_read_only;
};

// Fails when no hwmon device has a readable energy or power channel; the reason names the
// root and every directory left out.
Expected<std::unique_ptr<Sensor>> open_hwmon_sensor(const HwmonOptions& options = {});

}  // namespace joulebench
