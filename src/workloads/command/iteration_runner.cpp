#include "workloads/command/iteration_runner.hpp"

#include <algorithm>
#include <filesystem>

#include "platform/files.hpp"
#include "platform/process.hpp"
#include "workloads/command/command_windows.hpp"
#include "workloads/command/result_file.hpp"

namespace joulebench {
namespace {

struct TokenCount {
  std::optional<double> tokens;
  std::string source;
};

// Control lines first (most precise), then the result file, then --tokens. A result file
// that does not parse is an error (naming the file and the value), never skipped.
Expected<TokenCount> iteration_tokens(const CommandWindows& windows, const std::string& result_path,
                                      std::optional<double> fixed_tokens) {
  if (auto control = windows.total_tokens()) return TokenCount{control, "control"};
  if (std::filesystem::exists(result_path)) {
    const std::string name = "JOULEBENCH_RESULT file " + result_path;
    auto text = platform::read_file(result_path);
    auto parsed = text ? parse_command_result(*text, name) : Expected<CommandResult>(text.error());
    if (!parsed) return parsed.error();
    if (parsed->tokens)
      return TokenCount{parsed->tokens, "result file (" + parsed->tokens_source + ")"};
  }
  if (fixed_tokens) return TokenCount{fixed_tokens, "--tokens"};
  return TokenCount{};
}

void warn_if_overlapping(std::vector<CommandWindow> windows, std::vector<std::string>& warnings) {
  std::sort(windows.begin(), windows.end(), [](const auto& a, const auto& b) {
    return a.measurement.start_s < b.measurement.start_s;
  });
  for (std::size_t i = 1; i < windows.size(); ++i) {
    const auto& previous = windows[i - 1].measurement;
    if (windows[i].measurement.start_s < previous.start_s + previous.duration_s) {
      warnings.push_back("windows " + windows[i - 1].name + " and " + windows[i].name +
                         " overlap: their energy is counted twice in this iteration's J/token");
    }
  }
}

TokenEnergy energy_of_windows(const std::vector<CommandWindow>& windows, const IdlePower& idle) {
  std::optional<double> energy_j = 0.0;
  double duration_s = 0.0;
  double tokens = 0.0;
  // Windows on one sensor share its systematic error: their half-widths add linearly.
  EnergyUncertainty summed{0.0, 0.0, {}, true};
  for (const auto& window : windows) {
    duration_s += window.measurement.duration_s;
    tokens += window.tokens.value_or(0.0);
    if (!window.measurement.energy_j) energy_j.reset();
    if (energy_j) *energy_j += *window.measurement.energy_j;
    const EnergyUncertainty& u = window.measurement.energy_uncertainty;
    if (!u.ci95_low_j || !summed.ci95_low_j) {
      summed.ci95_low_j.reset();
      continue;
    }
    *summed.ci95_low_j += *u.ci95_low_j;
    *summed.ci95_high_j += *u.ci95_high_j;
    summed.complete = summed.complete && u.complete;
  }
  TokenEnergy out = compute_token_energy(energy_j, duration_s, tokens, "control", idle);
  if (summed.ci95_low_j) attach_energy_uncertainty(out, summed);
  return out;
}

}  // namespace

Expected<IterationResult> IterationRunner::run(std::size_t index, bool warmup) {
  const std::string iteration_window = "iteration-" + std::to_string(index);
  CommandWindows windows(monitor_, iteration_window + "/");
  auto channel =
      ControlChannel::open([&](const ControlEvent& event) { windows.on_event(event); },
                           [&](const std::string& warning) { windows.on_warning(warning); });
  if (!channel) return channel.error();
  const std::string result_path = (*channel)->directory() + "/result.json";
  const platform::EnvironmentOverrides environment = {
      {"JOULEBENCH_CONTROL", (*channel)->path()},
      {"JOULEBENCH_RESULT", result_path},
      {"JOULEBENCH_ITERATION", std::to_string(index)},
      {"JOULEBENCH_WARMUP", warmup ? "1" : "0"},
  };

  monitor_.begin_window(iteration_window);
  auto pid = platform::spawn_process(options_.command, environment);
  if (!pid) {
    monitor_.end_window(iteration_window);
    return pid.error();
  }
  IterationResult result;
  result.index = index;
  result.warmup = warmup;
  {
    platform::SignalForwarder forwarder(*pid);
    const platform::ChildExit exit = platform::wait_for_child(*pid);
    result.exit_code = exit.shell_code();
    result.failed_because = exit.failure();
  }
  (*channel)->drain_and_stop();
  windows.close_open();
  result.measurement = monitor_.end_window(iteration_window);
  result.windows = windows.windows();
  result.warnings = windows.warnings();

  auto counted = iteration_tokens(windows, result_path, options_.fixed_tokens);
  if (!counted) result.result_file_error = counted.error().what_line();
  const TokenCount tokens = counted ? *counted : TokenCount{};
  if (!result.windows.empty()) {
    warn_if_overlapping(result.windows, result.warnings);
    result.scope = "command windows";
    result.energy = energy_of_windows(result.windows, options_.idle);
  } else {
    result.scope = "whole iteration";
    result.energy =
        compute_token_energy(result.measurement, tokens.tokens, tokens.source, options_.idle);
  }
  return result;
}

}  // namespace joulebench
