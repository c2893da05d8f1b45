// Which processes compute on which GPU (nvmlDeviceGetComputeRunningProcesses_v3), so that a
// bench of a local server measures the GPUs that serve, not every GPU of the host.
#pragma once

#include <string>
#include <vector>

#include "joulebench/error.hpp"
#include "sensors/nvml/nvml_sensor.hpp"

namespace joulebench {

struct GpuProcesses {
  unsigned index = 0;  // NVML index, as --gpus takes it
  std::string uuid;
  std::vector<unsigned> pids;  // compute processes, in the host's PID namespace
};

// One entry per GPU. An Error when NVML cannot be opened or does not export the call.
Expected<std::vector<GpuProcesses>> list_gpu_compute_processes(const NvmlOptions& options = {});

}  // namespace joulebench
