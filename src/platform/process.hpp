// Starting a wrapped command and forwarding Ctrl-C / SIGTERM to it.
#pragma once

#include <sys/types.h>

#include <string>
#include <utility>
#include <vector>

#include "joulebench/error.hpp"

namespace joulebench::platform {

using EnvironmentOverrides = std::vector<std::pair<std::string, std::string>>;

// Starts argv[0] (searched in PATH) with the current environment plus `overrides`.
// The error says why the command could not be started (exec's errno), so the caller can
// exit 127 like a shell does.
Expected<pid_t> spawn_process(const std::vector<std::string>& argv,
                              const EnvironmentOverrides& overrides = {});

// Waits for the child; returns its exit code, or 128 + signal number if a signal ended it.
int wait_for_exit(pid_t pid);

// While alive, SIGINT and SIGTERM sent to joulebench are forwarded to `child` instead of
// ending joulebench, so the measurement can be written after the child exits.
// Only one may exist at a time. The handlers are restored on destruction.
class SignalForwarder {
 public:
  explicit SignalForwarder(pid_t child);
  ~SignalForwarder();
  SignalForwarder(const SignalForwarder&) = delete;
  SignalForwarder& operator=(const SignalForwarder&) = delete;

  // The last signal forwarded, 0 if none.
  static int last_signal();
};

// Installs SIGINT/SIGTERM handlers that only record the signal (for runs with no child,
// e.g. the exporter or `idle`); interrupted() then reports it.
void install_interrupt_flag();
bool interrupted();

}  // namespace joulebench::platform
