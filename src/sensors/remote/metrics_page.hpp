// Reads the energy of each GPU on a remote /metrics page, whichever exporter wrote it:
//   joulebench exporter: joulebench_gpu_energy_joules_total (J since the exporter started),
//     labels gpu, uuid, name, hostname; joulebench_sampling_interval_seconds;
//   dcgm-exporter: DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION (mJ since boot), else only
//     DCGM_FI_DEV_POWER_USAGE (W), labels gpu, UUID, modelName, Hostname.
// MIG slices repeat their GPU's figures under the same UUID: each GPU is counted once.
// Pure; the text is parsed by the exporter's Prometheus text parser.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "joulebench/error.hpp"

namespace joulebench::remote {

inline constexpr std::string_view kJoulebenchFormat = "joulebench";
inline constexpr std::string_view kDcgmEnergyFormat = "dcgm-energy";
inline constexpr std::string_view kDcgmPowerFormat = "dcgm-power";

struct PageDevice {
  std::string key;                 // stable across scrapes: the UUID, else the gpu label
  std::string gpu;                 // the gpu label ("0", "nvml:0")
  std::string uuid;                // empty when the page has none
  std::string name;                // "NVIDIA A100-SXM4-80GB"
  std::string host;                // the page's host label; empty when it has none
  std::optional<double> energy_j;  // cumulative counter, in J
  std::optional<double> power_w;
};

struct MetricsPage {
  std::string format;  // one of the k*Format names
  std::vector<PageDevice> devices;
  std::optional<double> update_interval_s;  // the page's own statement (joulebench)
};

// `url` names the page in errors.
Expected<MetricsPage> read_metrics_page(std::string_view text, const std::string& url);

}  // namespace joulebench::remote
