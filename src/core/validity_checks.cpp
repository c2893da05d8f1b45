#include "core/validity_checks.hpp"

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <span>

#include "core/statistics.hpp"
#include "core/validity_format.hpp"
#include "joulebench/sample.hpp"

namespace joulebench::validity {
namespace {

using Status = ValidityCheck::Status;

ValidityCheck judged(const std::string& name, const std::string& unit, bool pass, double value,
                     double threshold, std::string message) {
  ValidityCheck check;
  check.name = name;
  check.status = pass ? Status::pass : Status::fail;
  check.value = value;
  check.threshold = threshold;
  check.unit = unit;
  check.message = std::move(message);
  return check;
}

std::string plural(std::size_t count, const std::string& word) {
  return std::to_string(count) + " " + word + (count == 1 ? "" : "s");
}

const DevicePowerSeries* series_of(const std::vector<DevicePowerSeries>& series,
                                   const std::string& device_id) {
  for (const auto& s : series) {
    if (s.device_id == device_id) return &s;
  }
  return nullptr;
}

// CV of a device's power: from its series when given, else from its gauge summary, whose
// stddev is the sample standard deviation of the same readings.
std::optional<double> power_cv_of(const DeviceMeasurement& device,
                                  const std::vector<DevicePowerSeries>& series) {
  // Repeated iterations give their own series (each iteration's mean power); a single window
  // is judged on its 1 s blocks, never on raw samples (see PowerBlocks).
  if (const auto* own = series_of(series, device.device.id)) {
    return coefficient_of_variation(std::span<const double>(own->power_w));
  }
  return device.steady_power_cv;
}

std::string hex(std::uint64_t bits) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "0x%llx", static_cast<unsigned long long>(bits));
  return buffer;
}

std::string event_text(const DeviceMeasurement& device, const ThrottleEvent& event) {
  const std::string reason =
      event.reason.empty() ? "reason " + hex(event.reason_bit) : event.reason;
  return reason + " on " + device.device.id + " from " + fixed(event.first_seen_s, 1) + " s (" +
         plural(event.samples, "sample") + ")";
}

void append(std::string& list, const std::string& item) {
  if (!list.empty()) list += "; ";
  list += item;
}

struct ThrottleFindings {
  bool reported = false;  // some device reports throttle reasons
  std::size_t invalidating = 0;
  std::string invalidating_text;
  std::string benign_text;  // reasons seen that do not invalidate
};

// Only thermal and power-brake slowdowns invalidate (throttle::kInvalidating). A software
// power cap (sw_power_cap) is the driver holding board power at its configured limit: a GPU
// saturated by inference sits there routinely, the limit is part of the configuration under
// test, and the energy measured is what that configuration really uses. Thermal and
// power-brake slowdowns come from the environment (cooling, power supply), differ from run to
// run, and make the joules per token irreproducible.
ThrottleFindings throttle_findings(const Measurement& m) {
  ThrottleFindings findings;
  for (const auto& device : m.devices) {
    if (device.device.supports(Metric::throttle_mask)) findings.reported = true;
    for (const auto& event : device.throttle_events) {
      findings.reported = true;
      if ((event.reason_bit & throttle::kInvalidating) != 0) {
        ++findings.invalidating;
        append(findings.invalidating_text, event_text(device, event));
      } else {
        append(findings.benign_text, event_text(device, event));
      }
    }
  }
  return findings;
}

}  // namespace

ValidityCheck check_duration(const Measurement& m, const ValidityThresholds& limits) {
  const bool pass = m.duration_s >= limits.min_duration_s;
  return judged("duration", "s", pass, m.duration_s, limits.min_duration_s,
                "duration " + fixed(m.duration_s, 1) + " s " + (pass ? ">=" : "<") + " " +
                    compact(limits.min_duration_s) + " s minimum");
}

ValidityCheck check_iterations(std::optional<std::size_t> iterations,
                               const ValidityThresholds& limits) {
  if (!iterations) {
    return not_available("iterations", "iterations", "iterations are counted in run mode only");
  }
  const bool pass = *iterations >= limits.min_iterations;
  return judged("iterations", "iterations", pass, static_cast<double>(*iterations),
                static_cast<double>(limits.min_iterations),
                plural(*iterations, "iteration") + " " + (pass ? ">=" : "<") + " " +
                    std::to_string(limits.min_iterations) + " minimum");
}

ValidityCheck check_gpu_utilization(const Measurement& m, const ValidityThresholds& limits) {
  auto lowest = worst_device(m, Worst::lowest, [](const DeviceMeasurement& d) {
    return d.gpu_utilization_pct.count > 0 ? d.gpu_utilization_pct.mean : std::nullopt;
  });
  if (!lowest) return not_available("gpu_utilization", "%", "no device reports GPU utilization");
  const bool pass = lowest->value > limits.min_gpu_utilization_pct;
  return judged("gpu_utilization", "%", pass, lowest->value, limits.min_gpu_utilization_pct,
                "mean GPU utilization " + fixed(lowest->value, 1) + "%" + device_phrase(*lowest) +
                    " " + (pass ? ">" : "<=") + " " + compact(limits.min_gpu_utilization_pct) +
                    "% minimum");
}

ValidityCheck check_power_cv(const Measurement& m, const std::vector<DevicePowerSeries>& series,
                             const ValidityThresholds& limits) {
  auto highest = worst_device(
      m, Worst::highest, [&series](const DeviceMeasurement& d) { return power_cv_of(d, series); });
  if (!highest) {
    return not_available("power_cv", "ratio",
                         "no device has 3 or more complete 1 s blocks of power (or iterations) "
                         "with a non-zero mean");
  }
  const bool pass = highest->value < limits.max_power_cv;
  return judged("power_cv", "ratio", pass, highest->value, limits.max_power_cv,
                "power CV " + percent_text(highest->value) + device_phrase(*highest) + " " +
                    (pass ? "<" : ">=") + " " + compact(limits.max_power_cv * 100.0) + "% maximum");
}

ValidityCheck check_throttling(const Measurement& m, const ValidityThresholds& limits) {
  const ThrottleFindings found = throttle_findings(m);
  if (!found.reported) {
    return not_available("throttling", "events", "no device reports throttle reasons");
  }
  std::string message = found.invalidating == 0 ? "no thermal or power-brake throttling"
                                                : "throttled by " + found.invalidating_text;
  if (found.invalidating > 0 && !limits.forbid_throttling) {
    message += " (allowed: forbid_throttling is off)";
  }
  if (!found.benign_text.empty()) {
    message += "; not invalidating: " + found.benign_text;
  }
  const bool pass = found.invalidating == 0 || !limits.forbid_throttling;
  ValidityCheck check =
      judged("throttling", "events", pass, static_cast<double>(found.invalidating), 0.0, message);
  if (!limits.forbid_throttling) check.threshold.reset();
  return check;
}

ValidityCheck check_samples_per_window(const Measurement& m, const ValidityThresholds& limits) {
  auto fewest = worst_device(m, Worst::lowest, [](const DeviceMeasurement& d) {
    return std::optional<double>(static_cast<double>(d.samples));
  });
  if (!fewest) return not_available("samples_per_window", "samples", "the window has no devices");
  const auto samples = static_cast<std::size_t>(fewest->value);
  const bool pass = samples >= limits.min_samples_per_window;
  return judged("samples_per_window", "samples", pass, fewest->value,
                static_cast<double>(limits.min_samples_per_window),
                plural(samples, "sample") + device_phrase(*fewest) + " " + (pass ? ">=" : "<") +
                    " " + std::to_string(limits.min_samples_per_window) + " minimum per window");
}

bool has_remote_devices(const Measurement& m) {
  for (const auto& device : m.devices) {
    if (device.device.remote) return true;
  }
  return false;
}

ValidityCheck check_remote_sources(const Measurement& m) {
  std::size_t remote = 0;
  for (const auto& device : m.devices) {
    const auto& source = device.device.remote;
    if (!source) continue;
    ++remote;
    if (!device.energy_j) {
      return judged("remote_sources", "devices", false, 0.0, 1.0,
                    device.device.id + " has no energy for this window: " + device.energy_reason);
    }
    const double needed = kMinRemoteUpdatesPerWindow * source->update_interval_s.value_or(0.0);
    if (m.duration_s < needed) {
      return judged("remote_sources", "devices", false, 0.0, 1.0,
                    device.device.id + ": the window (" + compact(m.duration_s) +
                        " s) is shorter than " + compact(kMinRemoteUpdatesPerWindow) +
                        " updates of " + source->url + " (" + compact(needed) + " s)");
    }
  }
  return judged("remote_sources", "devices", true, static_cast<double>(remote), 1.0,
                plural(remote, "remote device") +
                    " read after the window closed, each over at least " +
                    compact(kMinRemoteUpdatesPerWindow) + " updates of its source");
}

ValidityCheck check_method_disagreement(const Measurement& m, const ValidityThresholds& limits) {
  auto highest = worst_device(m, Worst::highest,
                              [](const DeviceMeasurement& d) { return d.method_disagreement; });
  if (!highest) {
    return not_available("method_disagreement", "ratio",
                         "no device has both counter and integrated energy to compare");
  }
  const bool pass = highest->value <= limits.max_method_disagreement;
  return judged("method_disagreement", "ratio", pass, highest->value,
                limits.max_method_disagreement,
                "counter and integrated energy differ by " + percent_text(highest->value) +
                    device_phrase(*highest) + " " + (pass ? "<=" : ">") + " " +
                    compact(limits.max_method_disagreement * 100.0) + "% maximum");
}

ValidityCheck check_failed_requests(const RequestOutcomes& requests,
                                    const ValidityThresholds& limits) {
  const std::size_t finished = requests.completed + requests.failed;
  std::string quoted;
  for (const auto& error : requests.first_errors) append(quoted, "\"" + error + "\"");
  const std::string errors = quoted.empty() ? "" : ": " + quoted;
  if (requests.completed == 0) {
    return judged(
        "failed_requests", "ratio", false, finished == 0 ? 0.0 : 1.0, limits.max_failed_share,
        "no request completed in the window (" + plural(requests.failed, "failure") + ")" + errors);
  }
  const double share = static_cast<double>(requests.failed) / static_cast<double>(finished);
  const bool pass = share <= limits.max_failed_share;
  return judged("failed_requests", "ratio", pass, share, limits.max_failed_share,
                plural(requests.failed, "failed request") + " of " + std::to_string(finished) +
                    " (" + percent_text(share) + ") " + (pass ? "<=" : ">") + " " +
                    compact(limits.max_failed_share * 100.0) + "% maximum" + (pass ? "" : errors));
}

}  // namespace joulebench::validity
