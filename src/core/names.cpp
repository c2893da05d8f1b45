// Names of the enums in the public headers, as they appear in JSON, CSV and tables.
#include "joulebench/result.hpp"
#include "joulebench/sensor.hpp"

namespace joulebench {

const char* to_string(Metric metric) {
  switch (metric) {
    case Metric::power: return "power";
    case Metric::energy_counter: return "energy_counter";
    case Metric::temperature: return "temperature";
    case Metric::gpu_utilization: return "gpu_utilization";
    case Metric::sm_clock: return "sm_clock";
    case Metric::memory_used: return "memory_used";
    case Metric::throttle_mask: return "throttle_mask";
  }
  return "unknown";
}

const char* to_string(PowerKind kind) {
  switch (kind) {
    case PowerKind::instantaneous: return "instantaneous";
    case PowerKind::average_1s: return "average_1s";
    case PowerKind::derived: return "derived";
    case PowerKind::unknown: return "unknown";
  }
  return "unknown";
}

const char* to_string(EnergyMethod method) {
  switch (method) {
    case EnergyMethod::counter: return "counter";
    case EnergyMethod::integrated: return "integrated";
    case EnergyMethod::none: return "none";
  }
  return "none";
}

}  // namespace joulebench
