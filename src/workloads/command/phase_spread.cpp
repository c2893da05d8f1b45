#include "workloads/command/phase_spread.hpp"

#include <fmt/format.h>

#include "core/splitmix64.hpp"

namespace joulebench {

Expected<PhaseSpreadMode> parse_phase_spread_mode(std::string_view text) {
  if (text == "auto") return PhaseSpreadMode::automatic;
  if (text == "on") return PhaseSpreadMode::on;
  if (text == "off") return PhaseSpreadMode::off;
  return Error{fmt::format("--spread-phases: '{}' is not one of auto, on, off", text)};
}

const char* to_string(PhaseSpreadMode mode) {
  switch (mode) {
    case PhaseSpreadMode::automatic:
      return "auto";
    case PhaseSpreadMode::on:
      return "on";
    case PhaseSpreadMode::off:
      break;
  }
  return "off";
}

namespace {

std::string joined(const std::vector<std::string>& parts) {
  std::string out;
  for (const auto& part : parts) out += (out.empty() ? "" : "; ") + part;
  return out;
}

}  // namespace

PhaseSpreading plan_phase_spreading(PhaseSpreadMode mode,
                                    const std::vector<std::string>& part_time_devices,
                                    std::optional<double> cycle_s, std::uint64_t seed) {
  PhaseSpreading plan;
  plan.mode = to_string(mode);
  plan.seed = seed;
  plan.cycle_s = cycle_s.value_or(kDefaultSensorCycleS);
  const std::string devices = joined(part_time_devices);
  switch (mode) {
    case PhaseSpreadMode::off:
      plan.reason = "--spread-phases off";
      if (!devices.empty()) plan.reason += " although " + devices;
      break;
    case PhaseSpreadMode::on:
      plan.enabled = true;
      plan.reason = "--spread-phases on";
      if (!devices.empty()) plan.reason += ": " + devices;
      break;
    case PhaseSpreadMode::automatic:
      plan.enabled = !devices.empty();
      plan.reason = plan.enabled ? "auto: " + devices
                                 : "auto: no measured device is known to sample power "
                                   "part-time (GPU catalog)";
      break;
  }
  return plan;
}

double PhaseSpreader::next_delay_s() {
  if (!record_.enabled) return 0.0;
  const double delay_s = splitmix64_unit(state_) * record_.cycle_s;
  ++record_.delays;
  record_.total_delay_s += delay_s;
  return delay_s;
}

}  // namespace joulebench
