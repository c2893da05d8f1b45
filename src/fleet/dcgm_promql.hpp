// The PromQL of `joulebench fleet --metrics dcgm`: the fleet as NVIDIA's dcgm-exporter and the
// serving engines' own counters describe it, aggregated per model inside the back end.
//
//   power    rate(DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION) / 1000 (mJ -> W) where a GPU has the
//            counter, else the DCGM_FI_DEV_POWER_USAGE gauge (label `source` says which)
//   GPU      identity UUID, type modelName, host Hostname, index gpu
//   MIG      a GPU's power is split over its instances in proportion to their compute
//            slices, read from GPU_I_PROFILE ("3g.40gb" is 3): a 3g and a 4g instance on one
//            GPU get 3/7 and 4/7. Profiles that do not start with 1g..7g get no share.
//   models   vLLM/SGLang generation_tokens_total{model_name}, TGI
//            tgi_request_generated_tokens_sum (no model label: its `container` names it),
//            joined to GPUs on the Kubernetes `namespace` and `pod` labels both carry; or,
//            with models.yaml, GPUs by `Hostname` (and `gpu`) and tokens by model_name.
// Pure.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "fleet/models_file.hpp"
#include "fleet/promql.hpp"

namespace joulebench::fleet {

inline constexpr std::string_view kDcgmEnergyCounter = "DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION";
inline constexpr std::string_view kDcgmPowerGauge = "DCGM_FI_DEV_POWER_USAGE";
inline constexpr std::string_view kMigSplit =
    "MIG instances share their GPU's power in proportion to their compute slices "
    "(GPU_I_PROFILE 3g.40gb = 3)";

FleetQueries dcgm_fleet_queries(const std::vector<ModelEntry>& entries,
                                const std::string& rate_window, const std::string& range);

// Instant query over `lookback`: a series labelled metrics="joulebench" or metrics="dcgm"
// for each family the back end holds (its value: how many series).
std::string metrics_detection_query(const std::string& lookback);

}  // namespace joulebench::fleet
