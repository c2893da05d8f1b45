// Fleet analysis: per model, what its GPUs draw, what they produce, how much of the draw is
// the idle floor, where extra traffic stops paying off, and which allocations are too big
// or idle. Pure functions of the history and the options; the writers print the result.
//
//   J/token          = sum of power over the steps / sum of tokens/s over the same steps
//                      (energy / tokens when steps are equally spaced)
//   kg CO2/h         = mean power kW * grid g CO2/kWh / 1000 (GPU power only, no PUE)
//   idle fraction    = GPUs * idle W per GPU / mean power (capped at 1)
//   curve            = J/token per doubling of tokens/s (bins [2^k, 2^(k+1))); returns
//                      diminish at the first bin after which J/token improves less than
//                      `diminishing_gain` per doubling of tokens/s
//   peak load        = (peak power per GPU - idle W) / (TDP - idle W), the share of the
//                      board's dynamic range in use at the busiest step
//   right-sizing     = the fewest GPUs n' < n, a power of two (tensor-parallel sizes), that
//                      hold the model (memory_gb / GPU memory) and keep peak load * n / n'
//                      under `max_load`; assumes the work's dynamic power is unchanged and
//                      each GPU given back saves its idle draw: saved W = (n - n') * idle W
//   consolidation    = idle (tokens/s < `idle_tokens_per_s`) for at least `idle_share` of
//                      the steps; scale to zero saves mean power * 730 h a month
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "fleet/history.hpp"
#include "fleet/models_file.hpp"
#include "models/catalog.hpp"

namespace joulebench::fleet {

inline constexpr double kHoursPerMonth = 730.0;  // 8760 h / 12

struct FleetOptions {
  std::vector<std::pair<std::string, double>> idle_watts;  // --idle-watts TYPE=W
  std::vector<models::GpuSpec> catalog;
  std::vector<ModelEntry> models_file;
  std::optional<double> g_co2_per_kwh;
  std::string intensity_source;
  double usd_per_kwh = 0.10;
  double idle_tokens_per_s = 1.0;
  double idle_share = 0.90;
  double diminishing_gain = 0.10;
  double max_load = 0.70;
};

struct IdleAttribution {
  std::optional<double> idle_w_per_gpu;
  std::string source;  // "--idle-watts", "joulebench_gpu_idle_power_watts", "catalog ..."
  std::optional<double> fraction;  // of the mean power
  std::optional<double> idle_kg_co2_per_hour;
  std::optional<double> productive_kg_co2_per_hour;
  std::string reason;  // why figures are null
};

struct CurveBin {
  double tokens_per_s_low = 0.0;  // bin edges, tokens/s
  double tokens_per_s_high = 0.0;
  double mean_tokens_per_s = 0.0;
  double mean_power_w = 0.0;
  double j_per_token = 0.0;
  std::size_t points = 0;
};

struct EfficiencyCurve {
  std::vector<CurveBin> bins;
  std::optional<double> diminishing_from_tokens_per_s;
  std::string reason;  // why there is no such point
};

struct RightSizing {
  bool flagged = false;
  std::optional<int> suggested_gpus;
  std::optional<double> peak_load;  // 0..1 of the dynamic range, at the busiest step
  std::optional<double> j_per_token_after;
  std::optional<double> power_saved_w;
  std::optional<double> kwh_saved_per_month;
  std::optional<double> usd_saved_per_month;
  std::optional<double> kg_co2_saved_per_month;
  std::string reason;  // why flagged, or why not
};

struct Consolidation {
  bool candidate = false;
  std::optional<double> idle_share;           // of the steps with a throughput figure
  std::optional<double> kwh_saved_per_month;  // scaled to zero
  std::optional<double> usd_saved_per_month;
  std::optional<double> kg_co2_saved_per_month;
  std::string share_with;  // another idle model whose allocation could hold both
  std::string reason;
};

struct ModelFigures {
  std::string model;
  std::string gpu_type;
  int gpus = 0;
  std::optional<double> mean_power_w;
  std::optional<double> tokens_per_s;  // mean
  std::optional<double> peak_tokens_per_s;
  std::optional<double> j_per_token;
  bool idle = false;  // mean tokens/s below the idle threshold
  std::string j_per_token_reason;
  std::optional<double> kg_co2_per_hour;
  std::string co2_reason;
  std::size_t points = 0;
  IdleAttribution idle_attribution;
  EfficiencyCurve curve;
  RightSizing right_sizing;
  Consolidation consolidation;
  std::vector<std::string> notes;
};

struct FleetReport {
  std::string source;
  std::string power_source;  // the Prometheus metric power came from; empty for a CSV
  std::optional<double> g_co2_per_kwh;
  std::string intensity_source;
  FleetOptions thresholds;  // the options in force (catalog and models left empty)
  std::vector<ModelFigures> models;
  std::vector<std::string> notes;
  std::vector<std::string> warnings;  // the back end's: a partial answer reads low
  std::size_t series_received = 0;
  std::size_t points_received = 0;
};

FleetReport analyze_fleet(const FleetHistory& history, const FleetOptions& options);

// The pieces, for tests.
EfficiencyCurve efficiency_curve(const std::vector<HistoryPoint>& points, double idle_tokens_per_s,
                                 double diminishing_gain);
// Same GPU: equal after dropping case, '-', '_', ' ' and a "NVIDIA " prefix, or the same catalog
// entry.
bool same_gpu_type(const std::vector<models::GpuSpec>& catalog, const std::string& a,
                   const std::string& b);
// "A100=60,A6000=25" (also repeatable); the error names --idle-watts.
Expected<std::vector<std::pair<std::string, double>>> parse_idle_watts(
    const std::vector<std::string>& items);

}  // namespace joulebench::fleet
