// Is a measurement good enough to publish? The protocol of careful GPU energy benchmarks as a
// list of checks, each passing, failing, or not available (with the reason), and a verdict.
//
//   ValidityInput input{.measurement = m, .iterations = 120};
//   auto verdict = assess_validity(input);            // default thresholds
//   if (verdict && !verdict->valid) ...                // print verdict->checks
//
// Checks, in this order (each comparison states whether its boundary passes):
//   duration            duration_s >= min_duration_s
//   iterations          iterations >= min_iterations (run mode only)
//   gpu_utilization     lowest per-device mean utilization > min_gpu_utilization_pct
//   power_cv            highest per-device steady-state power CV < max_power_cv: the CV of the
//                       iterations' mean power when a power series is given (run mode), else of
//                       the window's 1 s block means (DeviceMeasurement::steady_power_cv)
//   throttling          no thermal or power-brake throttle reason (throttle::kInvalidating)
//   samples_per_window  fewest samples of any device >= min_samples_per_window
//   method_disagreement highest |counter - integrated| / counter <= max_method_disagreement
//   remote_sources      (only with --energy-from devices) every remote device has the window's
//                       energy (a host that stopped answering fails it, with the reason) and
//                       the window spans kMinRemoteUpdatesPerWindow of each source's updates
//   failed_requests     (serving levels only) at least one completed request, and failed /
//                       (completed + failed) <= max_failed_share; quotes the first errors
// A multi-device check reports its worst device (value and name in the message).
// Thread-safety: pure functions over value types.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "joulebench/error.hpp"
#include "joulebench/result.hpp"

namespace joulebench {

struct ValidityThresholds {
  double min_duration_s = 60;              // seconds
  std::size_t min_iterations = 50;         // completed workload iterations
  double min_gpu_utilization_pct = 70;     // percent, 0..100
  double max_power_cv = 0.05;              // ratio (0.05 = 5 %)
  double max_method_disagreement = 0.05;   // ratio of the counter energy
  std::size_t min_samples_per_window = 2;  // successful reads per device
  bool forbid_throttling = true;           // false: throttling is reported but passes
  double max_failed_share = 0.01;          // ratio of a serving level's requests (0.01 = 1 %)
};

// What a serving level's requests did: a level where the server failed requests measured
// something other than the load it claims (a 404 answers fast and cheap).
struct RequestOutcomes {
  std::size_t completed = 0;
  std::size_t failed = 0;                 // cut-at-the-end requests are not failures
  std::vector<std::string> first_errors;  // the first distinct server errors, for the message
};

struct ValidityCheck {
  std::string name;  // "duration", "iterations", ... (see the list above)
  enum class Status { pass, fail, not_available } status = Status::not_available;
  std::optional<double> value;      // the measured figure, in `unit`; null when not available
  std::optional<double> threshold;  // the limit it was compared with, in `unit`
  std::string unit;                 // "s", "iterations", "%", "ratio", "events", "samples"
  std::string message;              // a plain sentence with the figures, or why not available
};

const char* to_string(ValidityCheck::Status status);  // "pass", "fail", "not_available"

struct ValidityVerdict {
  // True iff no check failed. A not_available check does not fail the verdict: what could
  // not be measured (no utilization from RAPL, no iteration count outside run mode) is not
  // evidence against the measurement; it is listed so that a reader sees what went unchecked.
  bool valid = false;
  std::vector<ValidityCheck> checks;
};

// Power readings of one device over the window, for the power-CV check.
struct DevicePowerSeries {
  std::string device_id;  // DeviceInfo::id of a device in the measurement
  std::vector<double> power_w;
};

// What the checks look at. A Measurement alone answers every check except `iterations`;
// `power_series` (each iteration's mean power, run mode) replaces the window's 1 s blocks in
// power_cv.
struct ValidityInput {
  Measurement measurement;
  std::optional<std::size_t> iterations;        // run mode only
  std::vector<DevicePowerSeries> power_series;  // optional, any subset of the devices
  std::optional<RequestOutcomes> requests;      // serving levels only: adds failed_requests
};

// An Error naming the field when a threshold is NaN, negative, or a percentage above 100.
Expected<bool> check_thresholds(const ValidityThresholds& thresholds);

// Errors: invalid thresholds, a non-finite duration, a power series with a non-finite value
// or naming no device of the measurement.
Expected<ValidityVerdict> assess_validity(const ValidityInput& input,
                                          const ValidityThresholds& thresholds = {});

}  // namespace joulebench
