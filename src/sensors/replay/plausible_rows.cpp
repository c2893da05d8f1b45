#include "sensors/replay/plausible_rows.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "core/plausibility.hpp"
#include "sensors/replay/csv_text.hpp"

namespace joulebench::replay {
namespace {

constexpr std::size_t kExamplesShown = 3;

std::string line_text(std::size_t line) { return "line " + std::to_string(line); }

}  // namespace

void PlausibleRows::note(std::size_t device, Kind kind, std::string example) {
  Problem& problem = states_[device].problems[kind];
  if (problem.count++ < kExamplesShown) problem.examples.push_back(std::move(example));
}

double PlausibleRows::max_power_w(std::size_t device) {
  DeviceState& state = states_[device];
  if (!state.max_power_w) {
    const DeviceInfo& info = devices_[device];
    std::optional<double> limit_w = info.power_limit_w;
    if (!limit_w && options_.board_power_limit_w) limit_w = options_.board_power_limit_w(info);
    state.max_power_w = max_plausible_power_w(limit_w);
  }
  return *state.max_power_w;
}

bool PlausibleRows::check(std::size_t device, std::size_t line, Sample& sample) {
  if (device >= states_.size()) states_.resize(device + 1);
  DeviceState& state = states_[device];
  if (sample.power_w) {
    const double max_w = max_power_w(device);
    if (*sample.power_w < 0.0 || *sample.power_w > max_w) {
      note(device, kPower, fmt::format("{} ({:g} W)", line_text(line), *sample.power_w));
      sample.power_w.reset();
    }
  }
  if (sample.energy_counter_j && *sample.energy_counter_j < 0.0) {
    note(device, kNegativeCounter,
         fmt::format("{} ({:g} J)", line_text(line), *sample.energy_counter_j));
    sample.energy_counter_j.reset();
  }
  const bool gap = check_gap(state, device, line, sample.time_ns);
  const bool jump = check_counter(state, device, line, sample);
  return gap || jump;
}

bool PlausibleRows::check_gap(DeviceState& state, std::size_t device, std::size_t line,
                              TimeNs time_ns) {
  const std::optional<TimeNs> last = state.last_ns;
  state.last_ns = time_ns;
  if (!last || time_ns <= *last) return false;
  const double step_s = ns_to_s(time_ns - *last);
  // The interval is known once a step was seen: the first step is never called a gap.
  const bool gap =
      state.interval_s && step_s > std::max(kMaxGapIntervals * *state.interval_s, kMinGapS);
  if (gap) {
    note(device, kGap,
         fmt::format("{} ({} s after the previous row, sampling every {} s)", line_text(line),
                     seconds_text(step_s), seconds_text(*state.interval_s)));
    return true;
  }
  // A moving average, so that one short step (jitter) does not make every normal one a gap.
  state.interval_s = state.interval_s ? 0.9 * *state.interval_s + 0.1 * step_s : step_s;
  return false;
}

bool PlausibleRows::check_counter(DeviceState& state, std::size_t device, std::size_t line,
                                  Sample& sample) {
  if (!sample.energy_counter_j) return false;
  const double counter_j = *sample.energy_counter_j;
  bool jump = false;
  if (state.last_counter_j && counter_j > *state.last_counter_j) {
    const double step_j = counter_j - *state.last_counter_j;
    const double seconds = ns_to_s(sample.time_ns - state.last_counter_ns.value_or(sample.time_ns));
    if (step_j > max_plausible_energy_j(devices_[device], seconds)) {
      note(device, kCounterJump,
           fmt::format("{} (+{:g} J in {} s)", line_text(line), step_j, seconds_text(seconds)));
      jump = true;
    }
  }
  state.last_counter_j = counter_j;
  state.last_counter_ns = sample.time_ns;
  return jump;
}

std::vector<std::string> PlausibleRows::warnings() const {
  static constexpr const char* kWhat[kKinds] = {
      "power_w outside the plausible range ignored",
      "negative energy_counter_j ignored",
      "energy counter steps larger than the device could draw not counted",
      "gaps of more than 10 sampling intervals not integrated across",
  };
  std::vector<std::string> out;
  for (std::size_t device = 0; device < states_.size(); ++device) {
    for (int kind = 0; kind < kKinds; ++kind) {
      const Problem& problem = states_[device].problems[static_cast<std::size_t>(kind)];
      if (problem.count == 0) continue;
      std::string text = devices_[device].id + ": " + kWhat[kind];
      if (kind == kPower) text += fmt::format(" (0 .. {:g} W)", *states_[device].max_power_w);
      text += fmt::format(": {} row{}: ", problem.count, problem.count == 1 ? "" : "s");
      for (std::size_t i = 0; i < problem.examples.size(); ++i) {
        text += (i == 0 ? "" : ", ") + problem.examples[i];
      }
      if (problem.count > problem.examples.size()) {
        text += fmt::format(" and {} more", problem.count - problem.examples.size());
      }
      out.push_back(std::move(text));
    }
  }
  return out;
}

}  // namespace joulebench::replay
