#include "sensors/nvml/gpu_processes.hpp"

#include "platform/files.hpp"
#include "sensors/nvml/nvml_library.hpp"

namespace joulebench {
namespace {

using namespace nvml;

Expected<std::vector<unsigned>> compute_pids(const NvmlLibrary& nvml, Device device) {
  std::vector<ProcessInfo> infos(16);
  for (int attempt = 0; attempt < 4; ++attempt) {
    auto count = static_cast<unsigned>(infos.size());
    const Return code =
        nvml.api().device_get_compute_running_processes(device, &count, infos.data());
    if (code == kInsufficientSize) {
      infos.resize(static_cast<std::size_t>(count) + 16);  // processes may start meanwhile
      continue;
    }
    if (code != kSuccess)
      return Error{std::string(symbol::kDeviceGetComputeRunningProcesses) + ": " +
                   nvml.describe(code)};
    std::vector<unsigned> pids;
    for (unsigned i = 0; i < count && i < infos.size(); ++i) pids.push_back(infos[i].pid);
    return pids;
  }
  return Error{std::string(symbol::kDeviceGetComputeRunningProcesses) +
               ": the process list kept growing"};
}

}  // namespace

Expected<std::vector<GpuProcesses>> list_gpu_compute_processes(const NvmlOptions& options) {
  auto library = NvmlLibrary::open(
      library_candidates(options.library_path, platform::env("JOULEBENCH_NVML_LIBRARY")));
  if (!library) return library.error();
  const NvmlLibrary& nvml = **library;
  if (nvml.api().device_get_compute_running_processes == nullptr) {
    return Error{nvml.not_exported(symbol::kDeviceGetComputeRunningProcesses)};
  }
  unsigned count = 0;
  if (const Return code = nvml.api().device_get_count(&count); code != kSuccess) {
    return Error{std::string(symbol::kDeviceGetCount) + ": " + nvml.describe(code)};
  }
  std::vector<GpuProcesses> out;
  for (unsigned index = 0; index < count; ++index) {
    Device device = nullptr;
    if (const Return code = nvml.api().device_get_handle_by_index(index, &device);
        code != kSuccess) {
      return Error{std::string(symbol::kDeviceGetHandleByIndex) + ": " + nvml.describe(code)};
    }
    auto pids = compute_pids(nvml, device);
    if (!pids) return pids.error();
    GpuProcesses gpu;
    gpu.index = index;
    gpu.pids = std::move(*pids);
    if (nvml.api().device_get_uuid != nullptr) {
      char buffer[96] = {};
      if (nvml.api().device_get_uuid(device, buffer, sizeof buffer) == kSuccess) gpu.uuid = buffer;
    }
    out.push_back(std::move(gpu));
  }
  return out;
}

}  // namespace joulebench
