#include "report/provenance.hpp"

#include <string_view>

#include "platform/time_format.hpp"

namespace joulebench::report {

Provenance live_provenance(const std::vector<std::string>& measuring_sensors,
                           const std::vector<SensorUnavailable>& unavailable,
                           std::chrono::nanoseconds interval,
                           const std::vector<std::string>& sensor_specs) {
  Provenance provenance;
  provenance.host = platform::host_name();
  provenance.start_time = platform::iso8601_utc(std::chrono::system_clock::now());
  provenance.interval_s = std::chrono::duration<double>(interval).count();
  provenance.sensors = measuring_sensors;
  provenance.unavailable = unavailable;
  constexpr std::string_view kReplay = "replay:";
  for (const auto& spec : sensor_specs) {
    if (spec.rfind(kReplay, 0) == 0)
      provenance.replay_sources.push_back(spec.substr(kReplay.size()));
  }
  return provenance;
}

}  // namespace joulebench::report
