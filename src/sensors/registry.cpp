#include "sensors/registry.hpp"

#include "sensors/amdsmi/amdsmi_sensor.hpp"
#include "sensors/device_dedup.hpp"
#include "sensors/hwmon/hwmon_sensor.hpp"
#include "sensors/nvml/nvml_sensor.hpp"
#include "sensors/rapl/rapl_sensor.hpp"
#include "sensors/replay/replay_sensor.hpp"

namespace joulebench {
namespace {

constexpr std::string_view kReplayPrefix = "replay:";

Expected<std::unique_ptr<Sensor>> open_named(const std::string& spec,
                                             const SensorSelection& selection) {
  if (spec == "nvml") {
    NvmlOptions options;
    options.gpus = selection.gpus;
    return open_nvml_sensor(options);
  }
  if (spec == "amdsmi") {
    AmdSmiOptions options;
    options.gpus = selection.gpus;
    return open_amdsmi_sensor(options);
  }
  if (spec == "rapl") return open_rapl_sensor();
  if (spec == "hwmon") return open_hwmon_sensor();
  TraceParseOptions options;
  options.skip_bad_lines = selection.skip_bad_lines;
  return open_replay_sensor(spec.substr(kReplayPrefix.size()), options);
}

bool is_known_spec(const std::string& spec) {
  for (const char* name : {"auto", "nvml", "amdsmi", "rapl", "hwmon"}) {
    if (spec == name) return true;
  }
  return spec.rfind(kReplayPrefix, 0) == 0 && spec.size() > kReplayPrefix.size();
}

void open_into(OpenedSensors& opened, const std::string& spec, const SensorSelection& selection,
               bool is_explicit) {
  auto sensor = open_named(spec, selection);
  if (sensor) {
    opened.sensors.push_back(std::move(sensor.value()));
    return;
  }
  opened.unavailable.push_back({spec, sensor.error().what_line()});
  if (is_explicit) opened.explicit_sensor_failed = true;
}

// Hides the second copy of every device two sensors see; a sensor left with no device goes.
void drop_duplicate_devices(OpenedSensors& opened) {
  std::vector<std::vector<PciDevice>> devices;
  for (const auto& sensor : opened.sensors) devices.push_back(pci_devices(*sensor));
  const auto duplicates = find_duplicate_devices(devices);
  if (duplicates.empty()) return;
  std::vector<std::vector<std::size_t>> hidden(opened.sensors.size());
  for (const auto& duplicate : duplicates) {
    hidden[duplicate.dropped.sensor].push_back(duplicate.dropped.device);
    opened.dropped.push_back(duplicate.report);
  }
  std::vector<std::unique_ptr<Sensor>> kept;
  for (std::size_t s = 0; s < opened.sensors.size(); ++s) {
    if (hidden[s].empty()) {
      kept.push_back(std::move(opened.sensors[s]));
    } else if (hidden[s].size() < devices[s].size()) {
      kept.push_back(hide_devices(std::move(opened.sensors[s]), hidden[s]));
    }
  }
  opened.sensors = std::move(kept);
}

}  // namespace

const std::vector<std::string>& auto_sensor_names() {
  static const std::vector<std::string> names = {"nvml", "amdsmi", "rapl", "hwmon"};
  return names;
}

Expected<OpenedSensors> open_sensors(const SensorSelection& selection) {
  std::vector<std::string> specs = selection.specs;
  if (specs.empty()) specs.push_back("auto");
  for (const auto& spec : specs) {
    if (!is_known_spec(spec)) {
      return Error{"--sensor: unknown sensor '" + spec +
                   "' (expected auto, nvml, amdsmi, rapl, hwmon or replay:PATH)"};
    }
  }
  OpenedSensors opened;
  for (const auto& spec : specs) {
    if (spec != "auto") {
      open_into(opened, spec, selection, /*is_explicit=*/true);
      continue;
    }
    for (const auto& name : auto_sensor_names()) {
      open_into(opened, name, selection, /*is_explicit=*/false);
    }
  }
  drop_duplicate_devices(opened);
  return opened;
}

std::vector<std::string> open_sensors_problems(const OpenedSensors& opened) {
  std::vector<std::string> problems;
  if (!opened.sensors.empty() && !opened.explicit_sensor_failed) return problems;
  for (const auto& entry : opened.unavailable) {
    problems.push_back("sensor " + entry.sensor + ": " + entry.reason);
  }
  if (problems.empty()) problems.push_back("no sensor selected");
  return problems;
}

}  // namespace joulebench
