// Per-device families of /metrics.
#include <array>
#include <functional>
#include <utility>

#include "exporter/exporter_metrics.hpp"

namespace joulebench::exporter {
namespace {

// NVML's clocks-event reasons by name; the label values of joulebench_gpu_throttle_active.
constexpr std::array<std::pair<std::uint64_t, const char*>, 9> kThrottleReasons{{
    {throttle::kGpuIdle, "gpu_idle"},
    {throttle::kApplicationsClocks, "applications_clocks"},
    {throttle::kSwPowerCap, "sw_power_cap"},
    {throttle::kHwSlowdown, "hw_slowdown"},
    {throttle::kSyncBoost, "sync_boost"},
    {throttle::kSwThermal, "sw_thermal"},
    {throttle::kHwThermal, "hw_thermal"},
    {throttle::kHwPowerBrake, "hw_power_brake"},
    {throttle::kDisplayClocks, "display_clocks"},
}};

// Metric names stay vendor-neutral (joulebench_gpu_*): the vendor is a label, last so that
// the older label order is kept.
std::vector<Label> device_labels(const DeviceInfo& device, const std::string& hostname) {
  return {{"gpu", gpu_label(device)},
          {"uuid", device.uuid},
          {"name", device.name},
          {"hostname", hostname},
          {"vendor", device.vendor}};
}

// A gauge family filled from each live device's latest sample, where the field is present.
using SampleField = std::function<std::optional<double>(const Sample&)>;

MetricFamily gauge_from_samples(const Snapshot& snapshot, const std::string& hostname,
                                std::string name, std::string help, const SampleField& field) {
  MetricFamily family{std::move(name), std::move(help), MetricType::gauge, {}};
  for (std::size_t i = 0; i < snapshot.latest.size(); ++i) {
    // A lost device's last reading is history, not its state now: leave it out.
    if (snapshot.lost[i] || !snapshot.latest[i]) continue;
    if (auto value = field(*snapshot.latest[i])) {
      family.samples.push_back({device_labels((*snapshot.devices)[i], hostname), *value});
    }
  }
  return family;
}

MetricFamily throttle_family(const Snapshot& snapshot, const std::string& hostname) {
  MetricFamily family{
      "joulebench_gpu_throttle_active",
      "1 while the device's clocks are held back for this reason (NVML clocks-event "
      "reasons; amdsmi violation status mapped onto them), else 0.",
      MetricType::gauge,
      {}};
  for (std::size_t i = 0; i < snapshot.latest.size(); ++i) {
    if (snapshot.lost[i] || !snapshot.latest[i] || !snapshot.latest[i]->throttle_mask) continue;
    const std::uint64_t mask = *snapshot.latest[i]->throttle_mask;
    for (const auto& [bit, reason] : kThrottleReasons) {
      auto labels = device_labels((*snapshot.devices)[i], hostname);
      labels.push_back({"reason", reason});
      family.samples.push_back({std::move(labels), (mask & bit) != 0 ? 1.0 : 0.0});
    }
  }
  return family;
}

MetricFamily energy_family(const Snapshot& snapshot, const std::string& hostname) {
  MetricFamily family{"joulebench_gpu_energy_joules_total",
                      "Energy used since the exporter started, from the hardware energy counter "
                      "where the device has one, else integrated power.",
                      MetricType::counter,
                      {}};
  for (std::size_t i = 0; i < snapshot.energy_so_far_j.size(); ++i) {
    family.samples.push_back(
        {device_labels((*snapshot.devices)[i], hostname), snapshot.energy_so_far_j[i]});
  }
  return family;
}

MetricFamily idle_family(const Snapshot& snapshot, const std::string& hostname,
                         const std::vector<std::optional<double>>& idle_power_w) {
  MetricFamily family{"joulebench_gpu_idle_power_watts",
                      "Idle power baseline stored by `joulebench idle` for this host and device.",
                      MetricType::gauge,
                      {}};
  for (std::size_t i = 0; i < idle_power_w.size() && i < snapshot.devices->size(); ++i) {
    if (idle_power_w[i]) {
      family.samples.push_back({device_labels((*snapshot.devices)[i], hostname), *idle_power_w[i]});
    }
  }
  return family;
}

}  // namespace

MetricFamily power_accuracy_family(const Snapshot& snapshot, const std::string& hostname) {
  MetricFamily family{"joulebench_gpu_power_accuracy_watts",
                      "The power reading's documented accuracy (95%, +/- this many W; NVIDIA: "
                      "nvidia-smi --help-query-gpu, power.draw); absent where no one states one. "
                      "Energy over T seconds is within +/- this x T.",
                      MetricType::gauge,
                      {}};
  for (const auto& device : *snapshot.devices) {
    if (device.power_accuracy_w)
      family.samples.push_back({device_labels(device, hostname), *device.power_accuracy_w});
  }
  return family;
}

MetricFamily calibrated_energy_family(const Snapshot& snapshot, const std::string& hostname,
                                      const std::vector<DeviceCalibration>& calibrations) {
  MetricFamily family{"joulebench_gpu_calibrated_energy_joules_total",
                      "joulebench_gpu_energy_joules_total corrected by the device's "
                      "reference-meter calibration (--calibration): gain x energy + offset x "
                      "time; only calibrated devices.",
                      MetricType::counter,
                      {}};
  for (std::size_t i = 0; i < snapshot.energy_so_far_j.size(); ++i) {
    const DeviceInfo& device = (*snapshot.devices)[i];
    const DeviceCalibration* c = find_calibration(calibrations, device);
    if (c == nullptr) continue;
    const double energy_j =
        c->gain * snapshot.energy_so_far_j[i] + c->offset_w * snapshot.elapsed_s;
    family.samples.push_back({device_labels(device, hostname), energy_j});
  }
  return family;
}

std::string gpu_label(const DeviceInfo& device) {
  const std::string prefix = "nvml:";
  if (device.id.rfind(prefix, 0) == 0) return device.id.substr(prefix.size());
  return device.id;
}

std::vector<MetricFamily> device_families(const Snapshot& snapshot, const std::string& hostname,
                                          const std::vector<std::optional<double>>& idle_power_w) {
  std::vector<MetricFamily> families;
  families.push_back(gauge_from_samples(snapshot, hostname, "joulebench_gpu_power_watts",
                                        "Power draw of the device at the latest sampling round.",
                                        [](const Sample& s) { return s.power_w; }));
  families.push_back(energy_family(snapshot, hostname));
  families.push_back(gauge_from_samples(snapshot, hostname, "joulebench_gpu_temperature_celsius",
                                        "Device temperature.",
                                        [](const Sample& s) { return s.temperature_c; }));
  families.push_back(
      gauge_from_samples(snapshot, hostname, "joulebench_gpu_utilization_ratio",
                         "Fraction of the last sample period during which a kernel ran (0..1).",
                         [](const Sample& s) -> std::optional<double> {
                           if (!s.gpu_utilization_pct) return std::nullopt;
                           return *s.gpu_utilization_pct / 100.0;
                         }));
  families.push_back(gauge_from_samples(snapshot, hostname, "joulebench_gpu_memory_used_bytes",
                                        "Device memory in use.",
                                        [](const Sample& s) -> std::optional<double> {
                                          if (!s.memory_used_bytes) return std::nullopt;
                                          return static_cast<double>(*s.memory_used_bytes);
                                        }));
  families.push_back(throttle_family(snapshot, hostname));
  families.push_back(idle_family(snapshot, hostname, idle_power_w));
  families.push_back(power_accuracy_family(snapshot, hostname));
  return families;
}

}  // namespace joulebench::exporter
