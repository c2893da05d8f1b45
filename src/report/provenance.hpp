// Provenance of a live run: the facts that say where and when its numbers came from.
// Shared by the CLI's subcommands and the Python bindings, so both write the same fields.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "joulebench/sensor.hpp"
#include "report/run_reports.hpp"

namespace joulebench::report {

// A run starting now on this host: host name, wall-clock start time, sampling interval,
// the sensors that measure and those tried but unavailable. `sensor_specs` are the specs
// as given ("replay:PATH" ones make the run simulated). Call before the run starts.
Provenance live_provenance(const std::vector<std::string>& measuring_sensors,
                           const std::vector<SensorUnavailable>& unavailable,
                           std::chrono::nanoseconds interval,
                           const std::vector<std::string>& sensor_specs);

}  // namespace joulebench::report
