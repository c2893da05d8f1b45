// What one GPU is and can report: asked once at open, so that the read path only calls
// what works. Every metric gets a Capability; a call that is missing, NOT_SUPPORTED or
// NO_PERMISSION is unsupported with the reason, never a 0 later.
// Thread-safety: call from one thread (NVML calls themselves are thread-safe).
#pragma once

#include <string>

#include "joulebench/sensor.hpp"
#include "sensors/nvml/device_reader.hpp"
#include "sensors/nvml/nvml_library.hpp"

namespace joulebench::nvml {

struct ProbedDevice {
  DeviceInfo info;
  ReadPlan plan;
  std::string lost_reason;  // non-empty when the GPU was lost (or had no handle) at open
};

// Which power reading to integrate: the instantaneous field 186 where the GPU has it (the
// default), or nvmlDeviceGetPowerUsage always ($JOULEBENCH_NVML_POWER=usage), to compare the
// two on a real GPU (scripts/gpu-validate.sh).
enum class PowerPreference { instant_first, power_usage };

// `handle_code` is what nvmlDeviceGetHandleByIndex_v2 returned for `nvml_index`.
ProbedDevice probe_device(const NvmlLibrary& library, unsigned nvml_index, Device handle,
                          Return handle_code, const std::string& driver_version,
                          PowerPreference preference = PowerPreference::instant_first);

}  // namespace joulebench::nvml
