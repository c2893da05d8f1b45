#include "workloads/command/iteration_plan.hpp"

#include <fmt/format.h>

#include "workloads/command/run_summary.hpp"

namespace joulebench {

IterationPlan plan_iterations(std::optional<std::size_t> fixed, std::size_t warmup,
                              const ValidityThresholds& thresholds) {
  IterationPlan plan;
  plan.warmup_iterations = warmup;
  plan.fixed_iterations = fixed;
  plan.min_iterations = thresholds.min_iterations;
  plan.min_duration_s = thresholds.min_duration_s;
  return plan;
}

namespace {

// A command that mostly fails would repeat until max_attempts under the time rule: after 3
// failed attempts, stop once failures are the majority of the attempts after warm-up.
bool failing_command(const RunResult& so_far, std::size_t after_warmup) {
  std::size_t failed = 0;
  for (const auto& iteration : so_far.iterations)
    failed += !iteration.warmup && iteration.exit_code != 0;
  return failed >= 3 && failed * 2 > after_warmup;
}

}  // namespace

bool wants_another_iteration(const IterationPlan& plan, const RunResult& so_far) {
  const std::size_t ran = so_far.iterations.size();
  if (ran < plan.warmup_iterations) return true;
  const std::size_t after_warmup = ran - plan.warmup_iterations;
  if (plan.fixed_iterations) return after_warmup < *plan.fixed_iterations;
  if (ran >= plan.max_attempts || failing_command(so_far, after_warmup)) return false;
  return measured_iterations(so_far) < plan.min_iterations ||
         measured_duration_s(so_far) < plan.min_duration_s;
}

std::string describe(const IterationPlan& plan) {
  if (plan.fixed_iterations) return fmt::format("{} iteration(s)", *plan.fixed_iterations);
  return fmt::format("until {} iterations and {:g} s measured (the validity criteria)",
                     plan.min_iterations, plan.min_duration_s);
}

}  // namespace joulebench
