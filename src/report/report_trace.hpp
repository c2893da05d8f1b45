// Power over time for the report's chart: a recorded trace (docs/trace-format.md, parsed by
// src/sensors/replay) turned into per-device (time, watts) points, and the windows a result
// document measured, to shade on it.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "joulebench/error.hpp"
#include "report/report_model.hpp"
#include "results/result_view.hpp"

namespace joulebench::report {

// At most this many points per device reach the SVG: longer traces are averaged in equal
// time buckets so a day-long trace stays a small file and a quick page.
inline constexpr std::size_t kMaxTracePoints = 1200;

// Errors: the trace does not parse (the parser's FILE:LINE message).
Expected<ReportTrace> power_trace(std::string_view trace_csv, const std::string& source,
                                  std::vector<ReportWindow> windows);

// The measured windows of a result document: a run's command windows (or whole measured
// iterations when it marked none), a bench-openai document's level windows.
std::vector<ReportWindow> measured_windows(const results::ResultView& result);

}  // namespace joulebench::report
