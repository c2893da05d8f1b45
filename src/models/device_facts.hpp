// What the built-in data (data/gpus.json) adds to a measured device that its sensor cannot
// know: part-time power sampling (by the driver's device name) and the power sensor's
// documented accuracy (by vendor). Thread-safety: the describer is immutable once made.
#pragma once

#include <functional>

#include "joulebench/sensor.hpp"

namespace joulebench::models {

// Sets DeviceInfo::part_time_cycle_s and the power_accuracy fields where the device does not
// already carry them; leaves what the data does not cover untouched. For
// MonitorOptions::describe_device and the offline summarizer's devices.
std::function<void(DeviceInfo&)> catalog_device_facts();

}  // namespace joulebench::models
