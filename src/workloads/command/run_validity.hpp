// Validity of a `joulebench run`: each measured iteration is checked on its own (utilisation,
// power CV, throttling, samples, counter vs integrated energy), and the run as a whole on the
// total measured duration and the number of measured iterations.
#pragma once

#include "core/validity.hpp"
#include "workloads/command/run_result.hpp"

namespace joulebench {

// Fills every iteration's `validity` and returns the run's verdict: duration and iteration
// count from the whole run, and for every other check the first failing measured iteration
// (else the first measured one). `thresholds` must have passed check_thresholds().
ValidityVerdict assess_run_validity(RunResult& result, const ValidityThresholds& thresholds);

}  // namespace joulebench
