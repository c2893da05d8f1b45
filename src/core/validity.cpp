#include "core/validity.hpp"

#include <cmath>
#include <limits>

#include "core/statistics.hpp"
#include "core/validity_checks.hpp"
#include "core/validity_format.hpp"

namespace joulebench {
namespace {

std::optional<Error> check_limit(const char* field, double value, double upper_bound) {
  if (std::isfinite(value) && value >= 0.0 && value <= upper_bound) return std::nullopt;
  std::string rule = "a finite number >= 0";
  if (std::isfinite(upper_bound)) rule = "between 0 and " + validity::compact(upper_bound);
  return Error{std::string(field) + " must be " + rule + " (got " + validity::compact(value) + ")"};
}

std::optional<Error> check_power_series(const ValidityInput& input) {
  for (const auto& series : input.power_series) {
    bool known = false;
    for (const auto& device : input.measurement.devices) {
      known = known || device.device.id == series.device_id;
    }
    if (!known) {
      return Error{"power series for device '" + series.device_id +
                   "', which is not in the measurement"};
    }
    if (auto finite = check_finite(series.power_w); !finite) {
      return Error{"power series of " + series.device_id + ": " + finite.error().message};
    }
  }
  return std::nullopt;
}

}  // namespace

const char* to_string(ValidityCheck::Status status) {
  switch (status) {
    case ValidityCheck::Status::pass:
      return "pass";
    case ValidityCheck::Status::fail:
      return "fail";
    case ValidityCheck::Status::not_available:
      return "not_available";
  }
  return "not_available";
}

Expected<bool> check_thresholds(const ValidityThresholds& thresholds) {
  constexpr double kUnbounded = std::numeric_limits<double>::infinity();
  for (auto error :
       {check_limit("min_duration_s", thresholds.min_duration_s, kUnbounded),
        check_limit("min_gpu_utilization_pct", thresholds.min_gpu_utilization_pct, 100.0),
        check_limit("max_power_cv", thresholds.max_power_cv, kUnbounded),
        check_limit("max_method_disagreement", thresholds.max_method_disagreement, kUnbounded),
        check_limit("max_failed_share", thresholds.max_failed_share, 1.0)}) {
    if (error) return *error;
  }
  return true;
}

Expected<ValidityVerdict> assess_validity(const ValidityInput& input,
                                          const ValidityThresholds& thresholds) {
  if (auto ok = check_thresholds(thresholds); !ok) return ok.error();
  const Measurement& m = input.measurement;
  if (!std::isfinite(m.duration_s)) {
    return Error{"measurement duration is not a finite number of seconds"};
  }
  if (auto error = check_power_series(input)) return *error;
  ValidityVerdict verdict;
  verdict.checks = {
      validity::check_duration(m, thresholds),
      validity::check_iterations(input.iterations, thresholds),
      validity::check_gpu_utilization(m, thresholds),
      validity::check_power_cv(m, input.power_series, thresholds),
      validity::check_throttling(m, thresholds),
      validity::check_samples_per_window(m, thresholds),
      validity::check_method_disagreement(m, thresholds),
  };
  if (validity::has_remote_devices(m)) {
    verdict.checks.push_back(validity::check_remote_sources(m));
  }
  if (input.requests) {
    verdict.checks.push_back(validity::check_failed_requests(*input.requests, thresholds));
  }
  verdict.valid = true;
  for (const auto& check : verdict.checks) {
    if (check.status == ValidityCheck::Status::fail) verdict.valid = false;
  }
  return verdict;
}

}  // namespace joulebench
