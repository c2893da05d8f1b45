// Statistics across the measured iterations of `joulebench run` (warm-ups and failed
// iterations excluded). Pure.
#pragma once

#include <vector>

#include "workloads/command/run_result.hpp"

namespace joulebench {

// True for the iterations that count: not a warm-up, and the command exited 0.
bool counts_for_statistics(const IterationResult& iteration);

// The iterations that count, and their measured time (the J/token scope's duration).
std::size_t measured_iterations(const RunResult& result);
double measured_duration_s(const RunResult& result);

// One FigureSummary per figure: j_per_output_token, j_per_output_token_net, tokens_per_j,
// output_tokens_per_s, avg_power_w, energy_j, duration_s.
std::vector<FigureSummary> summarize_iterations(const std::vector<IterationResult>& iterations);

}  // namespace joulebench
