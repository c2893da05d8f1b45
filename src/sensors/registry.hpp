// The one explicit list of built-in sensors and how `--sensor` specs open them.
// (No static-initialisation self-registration: what exists is readable here.)
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "joulebench/error.hpp"
#include "joulebench/sensor.hpp"
#include "sensors/device_dedup.hpp"

namespace joulebench {

struct SensorSelection {
  // "auto", "nvml", "amdsmi", "rapl", "hwmon", "replay:PATH"; empty means {"auto"}.
  std::vector<std::string> specs;
  std::optional<std::vector<std::string>> gpus;  // --gpus, for NVML and amdsmi
  bool skip_bad_lines = false;                   // for replay traces
};

struct OpenedSensors {
  std::vector<std::unique_ptr<Sensor>> sensors;
  // Every sensor that was tried and could not be opened, with the reason.
  std::vector<SensorUnavailable> unavailable;
  // True when a sensor the user named explicitly (not through "auto") could not be opened.
  bool explicit_sensor_failed = false;
  // Devices seen by two sensors: the copy left out of `sensors`, and why.
  std::vector<DroppedDevice> dropped;
};

// Names of the sensors that "auto" tries, in order.
const std::vector<std::string>& auto_sensor_names();

// Opens what the specs name. Only a malformed spec is an Error (naming --sensor);
// sensors that cannot be opened are listed in OpenedSensors::unavailable.
Expected<OpenedSensors> open_sensors(const SensorSelection& selection);

// Why `opened` cannot measure a run, one line per problem ("sensor nvml: reason", or "no
// sensor selected"); empty when it can. A run needs at least one sensor, and every sensor
// named explicitly (not through "auto") must have opened. The CLI prints each line after
// "error: "; the Python bindings raise them as one exception.
std::vector<std::string> open_sensors_problems(const OpenedSensors& opened);

}  // namespace joulebench
