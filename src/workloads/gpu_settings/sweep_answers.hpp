// The answers of a power-limit / clock sweep: per setting, throughput, power, tokens/J and
// J/token with statistics; the most efficient setting overall, within the SLO and within a
// throughput-loss budget; and each setting against the default one (Welch's t-test, the
// statistics of `joulebench compare`), as one line: "power-limit 400 W: power -24%
// (p < 0.001), throughput -12% (p = 0.002), tokens/J +14% (p < 0.001)".
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "core/statistics_compare.hpp"
#include "models/result_samples.hpp"
#include "workloads/gpu_settings/setting_plan.hpp"

namespace joulebench::gpu_settings {

// What one GPU reported after the setting was applied and settled.
struct ReadBack {
  unsigned index = 0;
  std::string uuid;
  std::optional<double> power_limit_w;       // nvmlDeviceGetPowerManagementLimit
  std::optional<double> graphics_clock_mhz;  // current graphics clock after settling
  std::optional<double> power_w;             // last power reading of the settling wait
};

struct SettingResult {
  Setting setting;
  std::vector<ReadBack> read_back;
  double settle_s = 0.0;        // how long the settling wait took
  bool settled = false;         // false: the bound was reached with power or clocks still moving
  int exit_code = 0;            // of the measurement at this setting
  std::string result_id;        // the stored result ("" when not stored)
  models::SideSamples samples;  // per metric, models::kAllMetrics order
  std::optional<bool> slo_met;  // null when no SLO was given
};

struct MetricStats {
  std::size_t n = 0;
  std::optional<double> mean;
  std::optional<double> ci_lower;  // 95% of the mean
  std::optional<double> ci_upper;
};

MetricStats metric_stats(const SettingResult& result, models::Metric metric);

struct SweepAnswers {
  std::optional<std::size_t> baseline;         // the default setting (else none: no comparison)
  std::optional<std::size_t> most_efficient;   // highest mean tokens/J
  std::optional<std::size_t> within_slo;       // highest tokens/J among settings meeting the SLO
  std::optional<std::size_t> within_slowdown;  // ... losing at most max_slowdown_pct throughput
  std::optional<double> max_slowdown_pct;
  std::vector<std::string> comparison_lines;  // one per non-baseline setting
  std::string reason;                         // why an answer is null
};

SweepAnswers answer(const std::vector<SettingResult>& results,
                    std::optional<double> max_slowdown_pct);

// "-24% (p < 0.001)", "+14% (p = 0.03)"; "n/a (why)" when the figure is null.
std::string format_change(const MeanComparison& comparison);

// The summary table and the answers, for a terminal.
std::string sweep_table(const std::vector<SettingResult>& results, const SweepAnswers& answers);
// The JSON document (kind "gpu-settings-sweep") that -o/--json write.
std::string sweep_json(const std::vector<SettingResult>& results, const SweepAnswers& answers,
                       const std::string& command, const std::string& sweep_id);

}  // namespace joulebench::gpu_settings
