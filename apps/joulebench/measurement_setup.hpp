// What every measuring command (run, bench openai, bench synthetic) sets up the same way:
// the flags that describe the measurement, and the monitor started with its idle baseline.
#pragma once

#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "core/validity.hpp"
#include "idle_flags.hpp"
#include "joulebench/error.hpp"
#include "joulebench/monitor.hpp"
#include "validity_flags.hpp"

namespace joulebench::cli {

struct MeasurementSettings {
  std::chrono::nanoseconds interval{};
  std::map<std::string, std::string> labels;
  ValidityThresholds thresholds;
};

// --label, --interval and the validity thresholds; the Error names the flag.
Expected<MeasurementSettings> parse_measurement_settings(const std::string& interval,
                                                         const std::vector<std::string>& labels,
                                                         const ValidityFlags& validity);

// Starts `monitor` and resolves the idle baseline (--idle measures it now); on an error the
// monitor is stopped again.
Expected<IdlePower> start_with_idle(Monitor& monitor, const IdleFlags& idle,
                                    const std::string& host, bool quiet);

}  // namespace joulebench::cli
