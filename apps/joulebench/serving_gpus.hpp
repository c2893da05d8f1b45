// The GPUs a bench of a local server measures by default: those that hold the server's
// processes. On a host with 2 GPUs where the server uses one, summing both inflated J/token
// by ~60% and failed every level's utilisation check. --gpus and CUDA_VISIBLE_DEVICES still
// decide when given; a server on another host, or one whose processes cannot be matched to a
// GPU, leaves every GPU measured, with the reason.
#pragma once

#include <string>
#include <vector>

#include "cli_common.hpp"
#include "sensors/nvml/gpu_processes.hpp"

namespace joulebench::cli {

struct ServingGpus {
  std::string gpus;  // for --gpus ("0,2"); empty: measure what the flags already say
  std::string note;  // one line for the user and the result, why these devices
};

// Pure part: the GPUs among `gpus` running any of `server_pids` (descendants included).
ServingGpus match_serving_gpus(const std::vector<GpuProcesses>& gpus,
                               const std::vector<int>& server_pids);

// Looks the server's processes up (URL's port on this host -> PIDs -> NVML compute processes)
// when `flags` leave the choice open: no --gpus, no CUDA_VISIBLE_DEVICES, NVML among the
// sensors, a loopback URL.
ServingGpus serving_gpus(const std::string& url, const SensorFlags& flags);

}  // namespace joulebench::cli
