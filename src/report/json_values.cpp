#include "report/json_values.hpp"

namespace joulebench::report {

using json = nlohmann::ordered_json;

// Where a device's figures come from: this host's sensor, or a remote source with its clock.
json source_json(const DeviceInfo& device) {
  if (!device.remote) return {{"kind", "local"}, {"sensor", device.sensor}};
  const RemoteOrigin& remote = *device.remote;
  return {{"kind", "remote"},
          {"url", remote.url},
          {"format", remote.format},
          {"host", remote.host},
          {"clock_offset_s", optional_json(remote.clock_offset_s)},
          {"clock_offset_basis", remote.clock_offset_basis},
          {"update_interval_s", optional_json(remote.update_interval_s)},
          {"update_interval_basis", remote.update_interval_basis}};
}

json to_json(const DeviceInfo& device) {
  json capabilities = json::object();
  for (const auto& [metric, capability] : device.capabilities) {
    json entry = {{"supported", capability.supported}};
    if (!capability.reason.empty()) entry["reason"] = capability.reason;
    capabilities[to_string(metric)] = std::move(entry);
  }
  return {
      {"id", device.id},
      {"sensor", device.sensor},
      {"name", device.name},
      {"uuid", device.uuid.empty() ? json(nullptr) : json(device.uuid)},
      {"vendor", device.vendor},
      {"driver_version",
       device.driver_version.empty() ? json(nullptr) : json(device.driver_version)},
      {"power_limit_w", optional_json(device.power_limit_w)},
      {"power_kind", to_string(device.power_kind)},
      {"counter_update_period_s", optional_json(device.counter_update_period_s)},
      {"capabilities", std::move(capabilities)},
      {"source", source_json(device)},
  };
}

json to_json(const GaugeSummary& gauge) {
  return {{"count", gauge.count},
          {"min", optional_json(gauge.min)},
          {"mean", optional_json(gauge.mean)},
          {"max", optional_json(gauge.max)},
          {"stddev", optional_json(gauge.stddev)}};
}

namespace {

json throttle_events_json(const std::vector<ThrottleEvent>& events) {
  json out = json::array();
  for (const auto& event : events) {
    out.push_back({{"reason", event.reason},
                   {"reason_bit", event.reason_bit},
                   {"first_seen_s", event.first_seen_s},
                   {"samples", event.samples}});
  }
  return out;
}

}  // namespace

json to_json(const AppliedCalibration& calibration) {
  return {
      {"origin", calibration.origin},
      {"meter", calibration.meter},
      {"created_utc", calibration.created_utc},
      {"gain", calibration.gain},
      {"offset_w", calibration.offset_w},
      {"energy_j", calibration.energy_j},
      {"energy_ci95_j", {calibration.energy_ci95_low_j, calibration.energy_ci95_high_j}},
      {"notes", calibration.notes},
  };
}

json to_json(const EnergyUncertainty& uncertainty) {
  // Not built (no energy, or a measurement made by hand): null, as any missing figure.
  if (!uncertainty.ci95_low_j && uncertainty.sources.empty()) return nullptr;
  json sources = json::array();
  for (const auto& source : uncertainty.sources) {
    sources.push_back({{"name", source.name},
                       {"half_width_j", optional_json(source.half_width_j)},
                       {"basis", source.basis}});
  }
  json interval = nullptr;
  if (uncertainty.ci95_low_j && uncertainty.ci95_high_j)
    interval = {*uncertainty.ci95_low_j, *uncertainty.ci95_high_j};
  return {{"ci95_j", std::move(interval)},
          {"complete", uncertainty.complete},
          {"sources", std::move(sources)}};
}

json to_json(const DeviceMeasurement& device) {
  json out = {
      {"id", device.device.id},
      {"name", device.device.name},
      {"uuid", device.device.uuid.empty() ? json(nullptr) : json(device.device.uuid)},
      {"sensor", device.device.sensor},
      {"vendor", device.device.vendor},
      {"driver_version",
       device.device.driver_version.empty() ? json(nullptr) : json(device.device.driver_version)},
      {"power_kind", to_string(device.device.power_kind)},
      {"source", source_json(device.device)},
      {"method", to_string(device.method)},
      {"energy_j", optional_json(device.energy_j)},
      {"energy_reason", device.energy_reason.empty() ? json(nullptr) : json(device.energy_reason)},
      {"counter_energy_j", optional_json(device.counter_energy_j)},
      {"integrated_energy_j", optional_json(device.integrated_energy_j)},
      // Uncalibrated, the sensor's figure is the energy itself.
      {"raw_energy_j", optional_json(device.calibration ? device.raw_energy_j : device.energy_j)},
      {"calibration", device.calibration ? to_json(*device.calibration) : json(nullptr)},
      {"energy_uncertainty", to_json(device.energy_uncertainty)},
      {"method_disagreement", optional_json(device.method_disagreement)},
      {"avg_power_w", optional_json(device.avg_power_w)},
      {"peak_power_w", optional_json(device.peak_power_w)},
      {"samples", device.samples},
      {"failed_reads", device.failed_reads},
      {"counter_wraps", device.counter_wraps},
      {"counter_resets", device.counter_resets},
      {"power_w", to_json(device.power_w)},
      {"steady_power_cv", optional_json(device.steady_power_cv)},
      {"temperature_c", to_json(device.temperature_c)},
      {"gpu_utilization_pct", to_json(device.gpu_utilization_pct)},
      {"sm_clock_mhz", to_json(device.sm_clock_mhz)},
      {"memory_used_bytes", to_json(device.memory_used_bytes)},
      {"throttle_events", throttle_events_json(device.throttle_events)},
      {"lost", device.lost},
      {"lost_at_s", optional_json(device.lost_at_s)},
  };
  return out;
}

json to_json(const Measurement& measurement) {
  json devices = json::array();
  for (const auto& device : measurement.devices) devices.push_back(to_json(device));
  return {
      {"name", measurement.name},
      {"start_s", measurement.start_s},
      {"duration_s", measurement.duration_s},
      {"energy_j", optional_json(measurement.energy_j)},
      {"energy_uncertainty", to_json(measurement.energy_uncertainty)},
      {"avg_power_w", optional_json(measurement.avg_power_w)},
      {"peak_power_w", optional_json(measurement.peak_power_w)},
      {"devices", std::move(devices)},
      {"warnings", measurement.warnings},
  };
}

}  // namespace joulebench::report
