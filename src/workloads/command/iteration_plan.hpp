// How many times `joulebench run` repeats its command. By default as long as the validity
// criteria need: at least min_iterations counted iterations AND min_duration_s of measured
// time (hyperfine's count-and-time rule, with the verdict's own thresholds), so that a run
// with default settings can be valid. --iterations N fixes the count instead.
// Pure; thread-safety: value types.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include "core/validity.hpp"
#include "workloads/command/run_result.hpp"

namespace joulebench {

struct IterationPlan {
  std::size_t warmup_iterations = 1;
  std::optional<std::size_t> fixed_iterations;  // --iterations: exactly this many counted
  std::size_t min_iterations = 50;              // otherwise: both of these
  double min_duration_s = 60.0;
  // A command that fails every time would otherwise repeat forever under the time rule.
  std::size_t max_attempts = 100000;
};

IterationPlan plan_iterations(std::optional<std::size_t> fixed, std::size_t warmup,
                              const ValidityThresholds& thresholds);

// True while the plan wants another iteration, given what ran so far (warm-ups included).
bool wants_another_iteration(const IterationPlan& plan, const RunResult& so_far);

// "10 iterations" or "until 50 iterations and 60 s measured (the validity criteria)".
std::string describe(const IterationPlan& plan);

}  // namespace joulebench
