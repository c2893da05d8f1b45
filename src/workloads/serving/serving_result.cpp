#include "workloads/serving/serving_result.hpp"

#include <fmt/format.h>

namespace joulebench {

const char* to_string(LoadMode mode) {
  return mode == LoadMode::concurrency ? "concurrency" : "rate";
}

namespace {

bool within(const std::optional<double>& limit, const std::optional<double>& value) {
  if (!limit) return true;
  return value && *value <= *limit;
}

}  // namespace

std::vector<std::string> idle_device_warnings(const Measurement& level_window) {
  constexpr double kIdleUtilizationPct = 5.0;
  constexpr std::string_view kNvml = "nvml:";
  std::vector<std::string> idle;
  std::vector<std::string> busy_indices;
  for (const auto& device : level_window.devices) {
    const auto& utilization = device.gpu_utilization_pct.mean;
    if (!utilization || !device.device.id.starts_with(kNvml)) continue;
    if (*utilization < kIdleUtilizationPct) {
      const std::string power =
          device.avg_power_w ? fmt::format(", {:.0f} W", *device.avg_power_w) : "";
      idle.push_back(
          fmt::format("{} stayed idle through this level (utilization {:.1f}%{}) and "
                      "its draw is in the J/token",
                      device.device.id, *utilization, power));
    } else {
      busy_indices.push_back(device.device.id.substr(kNvml.size()));
    }
  }
  if (idle.empty() || busy_indices.empty()) return {};
  std::string gpus;
  for (const auto& index : busy_indices) gpus += (gpus.empty() ? "" : ",") + index;
  for (auto& warning : idle) warning += ": --gpus " + gpus + " would leave it out";
  return idle;
}

RequestOutcomes request_outcomes(const LevelResult& level) {
  RequestOutcomes out;
  out.failed = level.failed_requests;
  const std::size_t ended = level.failed_requests + level.cut_at_end;
  out.completed = level.requests_issued > ended ? level.requests_issued - ended : 0;
  out.first_errors = level.first_errors;
  return out;
}

bool usable(const LevelResult& level) {
  return level.validity.valid && level.energy.j_per_output_token.has_value();
}

std::optional<std::string> run_failure(const ServingBenchResult& result) {
  if (result.levels.empty()) return std::nullopt;
  std::string reasons;
  for (const auto& level : result.levels) {
    if (usable(level)) return std::nullopt;
    // The first failing check names the level's problem; failed requests outrank the rest
    // (a level of 404s also fails its utilisation, which would hide the cause).
    std::string why = level.energy.j_per_output_token ? "" : level.energy.reason;
    bool named = false;
    for (const auto& check : level.validity.checks) {
      if (check.status != ValidityCheck::Status::fail) continue;
      if (!named || check.name == "failed_requests") why = check.message;
      named = true;
    }
    reasons += fmt::format("{}{} {}: {}", reasons.empty() ? "" : "; ",
                           level.mode == LoadMode::concurrency ? "c" : "rate", level.level, why);
  }
  return "no level is valid: " + reasons;
}

void choose_most_efficient(ServingBenchResult& result) {
  std::optional<double> best;
  std::optional<double> best_in_slo;
  for (std::size_t i = 0; i < result.levels.size(); ++i) {
    auto& level = result.levels[i];
    if (result.slo.any()) {
      level.slo_met = within(result.slo.ttft_p90_ms, level.ttft.p90_ms) &&
                      within(result.slo.itl_p90_ms, level.itl.p90_ms);
    }
    if (!usable(level)) continue;
    const auto& j = level.energy.j_per_output_token;
    if (!best || *j < *best) {
      best = *j;
      result.most_efficient_level = i;
    }
    if (level.slo_met.value_or(false) && (!best_in_slo || *j < *best_in_slo)) {
      best_in_slo = *j;
      result.most_efficient_level_in_slo = i;
    }
  }
}

}  // namespace joulebench
