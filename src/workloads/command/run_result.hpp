// Results of `joulebench run`: a wrapped command repeated N times (after W warm-ups), each
// iteration measured as a window, with J/token per iteration and statistics across them.
// Thread-safety: value types.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/statistics.hpp"
#include "core/validity.hpp"
#include "joulebench/result.hpp"
#include "joulebench/token_energy.hpp"
#include "workloads/command/phase_spread.hpp"

namespace joulebench {

// A window the command marked through JOULEBENCH_CONTROL.
struct CommandWindow {
  std::string name;
  Measurement measurement;
  std::optional<double> tokens;  // from `tokens` lines while it was open
};

struct IterationResult {
  std::size_t index = 0;                      // 0-based over all iterations, warm-ups first
  bool warmup = false;                        // warm-ups are measured but excluded from statistics
  int exit_code = 0;                          // the shell's convention: 128 + N for signal N
  std::optional<std::string> failed_because;  // "exit status 3", "killed by signal SIGSEGV"
  Measurement measurement;  // the whole iteration, from start to exit of the command
  std::vector<CommandWindow> windows;
  // Figures used for J/token: the command's windows when it marked any (their energies and
  // tokens summed; windows must not overlap), else the whole iteration.
  std::string scope;  // "command windows" or "whole iteration"
  TokenEnergy energy;
  ValidityVerdict validity;  // of this iteration alone (the iteration-count check excluded)
  std::vector<std::string> warnings;
  // The JOULEBENCH_RESULT file the command left is not a valid result (naming the file and
  // value): the run is refused rather than measured with a made-up or missing token count.
  std::string result_file_error;
};

// Statistics of one figure over the measured iterations.
struct FigureSummary {
  std::string name;                // "j_per_output_token"
  std::string unit;                // "J/token"
  std::optional<Summary> summary;  // null when no iteration has the figure
  std::string reason;
};

struct RunResult {
  std::vector<std::string> command;
  std::map<std::string, std::string> labels;
  std::vector<IterationResult> iterations;
  std::vector<FigureSummary> summaries;
  std::size_t failed_iterations = 0;  // non-zero exit codes: excluded from statistics
  IdlePower idle;
  ValidityVerdict validity;
  Measurement whole_run;  // everything, warm-ups included (and the phase-spreading delays)
  PhaseSpreading phase_spreading;
  std::optional<std::string> interrupted_by;
  std::optional<std::string> trace_path;  // --trace, relative to the result file where possible
  // Set when the run as a whole failed: the command could not start, or every measured
  // iteration failed. The store records such a result as failed.
  std::optional<std::string> failed_because;
  std::vector<std::string> warnings;
};

}  // namespace joulebench
