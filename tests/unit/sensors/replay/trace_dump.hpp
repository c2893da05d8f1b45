// A readable, deterministic text form of a parsed Trace, compared against the golden files
// in tests/golden/replay/. Long sample lists are cut to their first and last few rows plus
// sums, so the goldens of real logs stay small but still change when any value changes.
#pragma once

#include <string>

#include "sensors/replay/trace.hpp"

namespace joulebench::testing {

std::string dump_trace(const Trace& trace);

// Compares `actual` with tests/golden/replay/<name>; with JOULEBENCH_UPDATE_GOLDEN=1 in the
// environment, (re)writes the golden file instead. Returns an empty string when they match,
// else a description of the first difference.
std::string compare_with_golden(const std::string& name, const std::string& actual);

}  // namespace joulebench::testing
