#include "workloads/command/run_validity.hpp"

#include <algorithm>

#include "workloads/command/run_summary.hpp"

namespace joulebench {
namespace {

bool is_run_level(const std::string& check) { return check == "duration" || check == "iterations"; }

ValidityVerdict assess_or_explain(const ValidityInput& input,
                                  const ValidityThresholds& thresholds) {
  auto verdict = assess_validity(input, thresholds);
  if (verdict) return *verdict;
  ValidityCheck broken;
  broken.name = "assessment";
  broken.status = ValidityCheck::Status::fail;
  broken.message = verdict.error().message;
  return {false, {broken}};
}

// An iteration alone is not held to the run's duration: that is checked over all iterations.
ValidityVerdict iteration_verdict(const IterationResult& iteration, ValidityThresholds thresholds) {
  thresholds.min_duration_s = 0.0;
  ValidityVerdict verdict =
      assess_or_explain({iteration.measurement, std::nullopt, {}}, thresholds);
  std::erase_if(verdict.checks, [](const ValidityCheck& c) { return is_run_level(c.name); });
  return verdict;
}

// Steady power across repeated iterations: each counted iteration's mean power per device.
std::vector<DevicePowerSeries> iteration_power_series(const RunResult& result) {
  std::vector<DevicePowerSeries> series;
  for (const auto& iteration : result.iterations) {
    if (!counts_for_statistics(iteration)) continue;
    for (const auto& device : iteration.measurement.devices) {
      if (!device.avg_power_w) continue;
      auto found = std::find_if(series.begin(), series.end(), [&](const DevicePowerSeries& s) {
        return s.device_id == device.device.id;
      });
      if (found == series.end()) found = series.insert(series.end(), {device.device.id, {}});
      found->power_w.push_back(*device.avg_power_w);
    }
  }
  std::erase_if(series, [](const DevicePowerSeries& s) { return s.power_w.size() < 2; });
  return series;
}

// The check of that name from the first measured iteration failing it, else the first one.
std::optional<ValidityCheck> worst_iteration_check(const RunResult& result,
                                                   const std::string& name) {
  std::optional<ValidityCheck> chosen;
  for (const auto& iteration : result.iterations) {
    if (!counts_for_statistics(iteration)) continue;
    for (const auto& check : iteration.validity.checks) {
      if (check.name != name) continue;
      ValidityCheck labelled = check;
      labelled.message = "iteration " + std::to_string(iteration.index + 1) + ": " + check.message;
      if (check.status == ValidityCheck::Status::fail) return labelled;
      if (!chosen) chosen = labelled;
    }
  }
  return chosen;
}

}  // namespace

ValidityVerdict assess_run_validity(RunResult& result, const ValidityThresholds& thresholds) {
  for (auto& iteration : result.iterations) {
    iteration.validity = iteration_verdict(iteration, thresholds);
  }
  Measurement measured = result.whole_run;
  measured.duration_s = measured_duration_s(result);
  // Repeated iterations judge steadiness by their mean powers (the seed's "power CV" over
  // repeated runs); each iteration's own 1 s blocks are kept in its own verdict.
  auto series = iteration_power_series(result);
  const bool power_across_iterations = !series.empty();
  ValidityVerdict run =
      assess_or_explain({measured, measured_iterations(result), std::move(series)}, thresholds);
  for (auto& check : run.checks) {
    if (is_run_level(check.name)) continue;
    if (check.name == "power_cv" && power_across_iterations) continue;
    if (auto from_iterations = worst_iteration_check(result, check.name)) check = *from_iterations;
  }
  run.valid = true;
  for (const auto& check : run.checks) {
    if (check.status == ValidityCheck::Status::fail) run.valid = false;
  }
  return run;
}

}  // namespace joulebench
