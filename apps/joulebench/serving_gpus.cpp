#include "serving_gpus.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "platform/files.hpp"
#include "platform/listening_processes.hpp"
#include "platform/url.hpp"

namespace joulebench::cli {
namespace {

bool nvml_among(const std::vector<std::string>& specs) {
  if (specs.empty()) return true;  // auto
  return std::any_of(specs.begin(), specs.end(),
                     [](const std::string& spec) { return spec == "auto" || spec == "nvml"; });
}

std::string joined(const std::vector<std::string>& items, const char* separator) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : separator) + item;
  return out;
}

}  // namespace

ServingGpus match_serving_gpus(const std::vector<GpuProcesses>& gpus,
                               const std::vector<int>& server_pids) {
  if (gpus.size() < 2) return {};  // one GPU or none: nothing to choose
  std::vector<std::string> indices;
  std::vector<std::string> held;
  for (const auto& gpu : gpus) {
    std::vector<std::string> pids;
    for (unsigned pid : gpu.pids) {
      if (std::find(server_pids.begin(), server_pids.end(), static_cast<int>(pid)) !=
          server_pids.end()) {
        pids.push_back(std::to_string(pid));
      }
    }
    if (pids.empty()) continue;
    indices.push_back(std::to_string(gpu.index));
    held.push_back(fmt::format("nvml:{} (PID {})", gpu.index, joined(pids, ", ")));
  }
  if (indices.empty()) {
    return {"", "measuring every GPU: none of them runs the server's processes (give --gpus)"};
  }
  if (indices.size() == gpus.size()) {
    return {"", fmt::format("measuring every GPU: each runs the server's processes: {}",
                            joined(held, "; "))};
  }
  return {joined(indices, ","),
          fmt::format("measuring the GPUs that run the server's processes: {} (--gpus overrides)",
                      joined(held, "; "))};
}

ServingGpus serving_gpus(const std::string& url, const SensorFlags& flags) {
  if (!flags.gpus.empty() || platform::env("CUDA_VISIBLE_DEVICES") || !nvml_among(flags.sensors) ||
      !platform::is_loopback_url(url)) {
    return {};
  }
  const auto port = platform::url_port(url);
  if (!port) return {};
  const auto listening = platform::pids_listening_on(*port);
  if (listening.empty()) {
    return {"", fmt::format("measuring every GPU: no process of this host seen listening on port "
                            "{} (give --gpus)",
                            *port)};
  }
  auto gpus = list_gpu_compute_processes();
  if (!gpus) return {};  // no NVML here: the sensors say so themselves
  return match_serving_gpus(*gpus, platform::with_descendants(listening));
}

}  // namespace joulebench::cli
