// NVIDIA GPUs through NVML, opened at run time (never linked).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "joulebench/error.hpp"
#include "joulebench/sensor.hpp"

namespace joulebench {

struct NvmlOptions {
  // Library to open; when unset: $JOULEBENCH_NVML_LIBRARY, then libnvidia-ml.so.1 and the
  // usual fallbacks.
  std::optional<std::string> library_path;
  // --gpus: NVML indices ("0", "2") or UUIDs ("GPU-8f3a..."; a unique prefix is enough).
  // When unset, CUDA_VISIBLE_DEVICES (indices or UUIDs) selects; when that is unset too,
  // every GPU is measured.
  std::optional<std::vector<std::string>> gpus;
};

// The error's message is the reason shown by `joulebench devices` (library missing,
// driver not loaded, no GPU, ...).
Expected<std::unique_ptr<Sensor>> open_nvml_sensor(const NvmlOptions& options = {});

}  // namespace joulebench
