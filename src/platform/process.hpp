// Starting a wrapped command and forwarding Ctrl-C / SIGTERM to it.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "joulebench/error.hpp"

namespace joulebench::platform {

using EnvironmentOverrides = std::vector<std::pair<std::string, std::string>>;

// Starts argv[0] (searched in PATH) with the current environment plus `overrides`.
// The error says why the command could not be started ("command not found: X" when exec
// found no such file, else exec's errno), so the caller can exit 127 like a shell does.
Expected<pid_t> spawn_process(const std::vector<std::string>& argv,
                              const EnvironmentOverrides& overrides = {});

// How a child ended: its exit status, or the signal that killed it.
struct ChildExit {
  int exit_status = 0;  // meaningful when signal == 0
  int signal = 0;       // the signal that ended the child, 0 when it exited

  // The shell's convention: the exit status, or 128 + the signal number.
  int shell_code() const { return signal != 0 ? 128 + signal : exit_status; }
  // "exit status 3", "killed by signal SIGSEGV"; nullopt for exit status 0.
  std::optional<std::string> failure() const;
};

ChildExit wait_for_child(pid_t pid);

// Waits for the child; returns its exit code, or 128 + signal number if a signal ended it.
int wait_for_exit(pid_t pid);

// "SIGSEGV" for SIGSEGV; "signal N" for a number without a name.
std::string signal_name(int signal_number);

// While alive, SIGINT and SIGTERM sent to joulebench are forwarded to `child` instead of
// ending joulebench, so the measurement can be written after the child exits. Repeated
// interrupts escalate, for a child that ignores them: the first is forwarded as received,
// the second sends SIGTERM, the third and later SIGKILL (the count is per process).
// Only one may exist at a time. The handlers are restored on destruction.
class SignalForwarder {
 public:
  explicit SignalForwarder(pid_t child);
  ~SignalForwarder();
  SignalForwarder(const SignalForwarder&) = delete;
  SignalForwarder& operator=(const SignalForwarder&) = delete;

  // The last SIGINT/SIGTERM joulebench received, 0 if none.
  static int last_signal();
};

// Installs SIGINT/SIGTERM handlers that only record the signal (for runs with no child,
// e.g. the exporter or `idle`); interrupted() then reports it.
void install_interrupt_flag();
bool interrupted();

}  // namespace joulebench::platform
