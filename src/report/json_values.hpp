// JSON encodings of the result model, shared by every JSON-producing command.
// Missing values are JSON null (never 0); units are in the key names.
#pragma once

#include <nlohmann/json.hpp>

#include "joulebench/result.hpp"
#include "joulebench/sensor.hpp"

namespace joulebench::report {

// Version of every JSON document joulebench writes; bump on incompatible changes.
inline constexpr int kSchemaVersion = 1;

// {"kind": "local", "sensor"} or {"kind": "remote", url, format, host, clock offset, update
// interval}.
nlohmann::ordered_json source_json(const DeviceInfo& device);
nlohmann::ordered_json to_json(const DeviceInfo& device);
nlohmann::ordered_json to_json(const GaugeSummary& gauge);
nlohmann::ordered_json to_json(const AppliedCalibration& calibration);
nlohmann::ordered_json to_json(const EnergyUncertainty& uncertainty);
nlohmann::ordered_json to_json(const DeviceMeasurement& device);
nlohmann::ordered_json to_json(const Measurement& measurement);

template <class T>
nlohmann::ordered_json optional_json(const std::optional<T>& value) {
  return value ? nlohmann::ordered_json(*value) : nlohmann::ordered_json(nullptr);
}

}  // namespace joulebench::report
