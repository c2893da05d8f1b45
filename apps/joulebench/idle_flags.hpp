// --idle / --idle-baseline-file: where a bench gets the idle power it subtracts.
#pragma once

#include <string>

#include "cli_common.hpp"
#include "joulebench/monitor.hpp"
#include "joulebench/token_energy.hpp"

namespace joulebench::cli {

struct IdleFlags {
  std::string measure_first;  // --idle DURATION: measure idle power before the load
  std::string baseline_file;  // --idle-baseline-file

  void add_to(CLI::App& app);
  // With --idle: measures a window named "idle" on the running monitor (the load has not
  // started). Else: the stored baseline of this host for the monitor's devices. An error only
  // for a bad flag or an unreadable baseline file; a missing baseline is IdlePower with a reason.
  Expected<IdlePower> resolve(Monitor& monitor, const std::string& host, bool quiet) const;
};

}  // namespace joulebench::cli
