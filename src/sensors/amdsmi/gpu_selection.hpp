// Which AMD GPUs to measure: --gpus, else ROCR_VISIBLE_DEVICES then HIP_VISIBLE_DEVICES,
// else all. Pure functions of their arguments (the caller reads the environment).
// `uuids[i]` is amdsmi's UUID of processor i ("" when amdsmi could not tell).
// Thread-safety: pure functions.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "joulebench/error.hpp"

namespace joulebench::amdsmi {

struct VisibleDevices {
  std::optional<std::string> rocr;  // ROCR_VISIBLE_DEVICES; nullopt = unset ("" is set)
  std::optional<std::string> hip;   // HIP_VISIBLE_DEVICES
};

// --gpus: amdsmi indices or unique UUID prefixes, as for NVIDIA GPUs. Otherwise the ROCm
// runtime's own rule: ROCR_VISIBLE_DEVICES picks among all GPUs (indices, or "GPU-" followed
// by a unique prefix of the UUID), then HIP_VISIBLE_DEVICES picks among those by position.
// Each list is read up to its first entry that names no GPU. Selecting none is an error
// naming the variable.
Expected<std::vector<unsigned>> select_gpus(const std::optional<std::vector<std::string>>& gpus,
                                            const VisibleDevices& visible,
                                            const std::vector<std::string>& uuids);

}  // namespace joulebench::amdsmi
