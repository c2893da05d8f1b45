// Which GPUs to measure: --gpus, else CUDA_VISIBLE_DEVICES, else all. Pure functions of
// their arguments (the caller reads the environment), so every rule is table-tested.
// `uuids[i]` is the UUID of NVML index i ("GPU-8f3a..."; "" when NVML could not tell).
// Thread-safety: pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "joulebench/error.hpp"

namespace joulebench::nvml {

// CUDA_VISIBLE_DEVICES as CUDA reads it: a comma list of indices or "GPU-" UUID prefixes
// (unique ones), read up to the first entry that names no GPU, is ambiguous or repeats
// one ("" and "-1" therefore select none). MIG instance ids ("MIG-...") end the list too:
// NVML measures whole GPUs. Indices are taken as NVML indices, which is what CUDA uses
// with CUDA_DEVICE_ORDER=PCI_BUS_ID (and on hosts with one GPU model).
std::vector<unsigned> parse_cuda_visible_devices(std::string_view value,
                                                 const std::vector<std::string>& uuids);

// --gpus entries (each may itself be a comma list): NVML indices or unique UUID prefixes,
// with or without "GPU-", in the order given; repeats are measured once. Anything that
// names no GPU is an error naming it: "--gpus: no GPU with index 5 (4 GPUs found)".
Expected<std::vector<unsigned>> parse_gpus_option(const std::vector<std::string>& gpus,
                                                  const std::vector<std::string>& uuids);

// --gpus when given, else CUDA_VISIBLE_DEVICES when set (nullopt = unset; "" is set), else
// every GPU. Selecting no GPU at all is an error naming the variable or flag.
Expected<std::vector<unsigned>> select_gpus(
    const std::optional<std::vector<std::string>>& gpus_option,
    const std::optional<std::string>& cuda_visible_devices, const std::vector<std::string>& uuids);

}  // namespace joulebench::nvml
