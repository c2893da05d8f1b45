// Runs one iteration of a wrapped command under a running Monitor: sets up the control FIFO
// and result file, measures the iteration as a window, applies the command's own windows
// and token counts, and computes J/token.
// Thread-safety: one IterationRunner runs one iteration at a time.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "workloads/command/run_result.hpp"
#include "joulebench/monitor.hpp"

namespace joulebench {

struct IterationOptions {
  std::vector<std::string> command;
  std::optional<double> fixed_tokens;  // --tokens: tokens per iteration when the command says none
  IdlePower idle;
};

class IterationRunner {
 public:
  IterationRunner(Monitor& monitor, IterationOptions options)
      : monitor_(monitor), options_(std::move(options)) {}

  // Error only when the command cannot be started at all.
  Expected<IterationResult> run(std::size_t index, bool warmup);

 private:
  Monitor& monitor_;
  IterationOptions options_;
};

}  // namespace joulebench
