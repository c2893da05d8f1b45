#include "sensors/registry.hpp"

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
  if (spec == "rapl") return open_rapl_sensor();
  TraceParseOptions options;
  options.skip_bad_lines = selection.skip_bad_lines;
  return open_replay_sensor(spec.substr(kReplayPrefix.size()), options);
}

bool is_known_spec(const std::string& spec) {
  if (spec == "auto" || spec == "nvml" || spec == "rapl") return true;
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

}  // namespace

const std::vector<std::string>& auto_sensor_names() {
  static const std::vector<std::string> names = {"nvml", "rapl"};
  return names;
}

Expected<OpenedSensors> open_sensors(const SensorSelection& selection) {
  std::vector<std::string> specs = selection.specs;
  if (specs.empty()) specs.push_back("auto");
  for (const auto& spec : specs) {
    if (!is_known_spec(spec)) {
      return Error{"--sensor: unknown sensor '" + spec +
                   "' (expected auto, nvml, rapl or replay:PATH)"};
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
