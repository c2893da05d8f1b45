// The windows and token counts a wrapped command reports during one iteration.
// Events arrive on the control channel's reader thread; results are read after the
// command exited. Misuse by the command (ending a window that is not open, opening one twice)
// becomes a warning: the command's mistakes never stop the measurement.
#pragma once

#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "workloads/command/run_result.hpp"
#include "joulebench/monitor.hpp"
#include "workloads/command/control_channel.hpp"

namespace joulebench {

class CommandWindows {
 public:
  // Window names are prefixed with `prefix` inside the Monitor so iterations never collide.
  CommandWindows(Monitor& monitor, std::string prefix)
      : monitor_(monitor), prefix_(std::move(prefix)) {}

  void on_event(const ControlEvent& event);
  void on_warning(const std::string& warning);
  // Ends the windows the command left open, with a warning each.
  void close_open();

  std::vector<CommandWindow> windows() const;
  std::optional<double> total_tokens() const;  // null when no `tokens` line came
  std::vector<std::string> warnings() const;

 private:
  void begin(const std::string& name);
  void end(const std::string& name);
  void add_tokens(const ControlTokens& tokens);

  Monitor& monitor_;
  std::string prefix_;
  mutable std::mutex mutex_;
  std::map<std::string, double> open_tokens_;  // open window -> tokens so far
  std::vector<CommandWindow> closed_;
  std::optional<double> total_tokens_;
  std::vector<std::string> warnings_;
};

}  // namespace joulebench
