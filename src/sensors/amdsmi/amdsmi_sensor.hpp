// AMD Instinct (and other amdgpu) GPUs through AMD's amdsmi library, opened at run time
// (never linked).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "joulebench/error.hpp"
#include "joulebench/sensor.hpp"

namespace joulebench {

struct AmdSmiOptions {
  // Library to open; when unset: $JOULEBENCH_AMDSMI_LIBRARY, then libamd_smi.so and
  // /opt/rocm/lib/libamd_smi.so.
  std::optional<std::string> library_path;
  // --gpus: amdsmi indices or UUID prefixes. When unset, ROCR_VISIBLE_DEVICES and
  // HIP_VISIBLE_DEVICES select; when both are unset, every GPU is measured.
  std::optional<std::vector<std::string>> gpus;
};

// The error's message is the reason `joulebench devices` shows (library missing, driver not
// loaded, no GPU, ...).
Expected<std::unique_ptr<Sensor>> open_amdsmi_sensor(const AmdSmiOptions& options = {});

}  // namespace joulebench
