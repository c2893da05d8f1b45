// The individual checks behind assess_validity(), one function each so that every check is
// small and testable on its own. Inputs are already validated by assess_validity().
// Thread-safety: pure functions.
#pragma once

#include <optional>
#include <vector>

#include "core/validity.hpp"

namespace joulebench::validity {

ValidityCheck check_duration(const Measurement& m, const ValidityThresholds& limits);
ValidityCheck check_iterations(std::optional<std::size_t> iterations,
                               const ValidityThresholds& limits);
ValidityCheck check_gpu_utilization(const Measurement& m, const ValidityThresholds& limits);
ValidityCheck check_power_cv(const Measurement& m, const std::vector<DevicePowerSeries>& series,
                             const ValidityThresholds& limits);
ValidityCheck check_throttling(const Measurement& m, const ValidityThresholds& limits);
ValidityCheck check_samples_per_window(const Measurement& m, const ValidityThresholds& limits);
ValidityCheck check_method_disagreement(const Measurement& m, const ValidityThresholds& limits);
// Devices read from other hosts (--energy-from): each has its window's energy (a host that
// stopped answering fails the window with the reason) and the window spans enough of each
// source's updates. Only added when the window has a remote device.
bool has_remote_devices(const Measurement& m);
ValidityCheck check_remote_sources(const Measurement& m);
ValidityCheck check_failed_requests(const RequestOutcomes& requests,
                                    const ValidityThresholds& limits);

}  // namespace joulebench::validity
