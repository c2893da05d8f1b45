// Parser for joulebench's own trace format (docs/trace-format.md), as written by
// TraceWriter: "# joulebench-trace v1", "# key=value" metadata, one "# device ..." line per
// device, the CSV header, then rows and "# lost ..." lines. Thread-safety: reentrant.
#pragma once

#include <string>
#include <string_view>

#include "sensors/replay/trace.hpp"

namespace joulebench::replay {

// Devices are reported as recorded (their original id and sensor), with their metadata.
Expected<TraceSummary> parse_joulebench_trace(std::string_view text, const std::string& filename,
                                              const TraceParseOptions& options, TraceSink& sink);

}  // namespace joulebench::replay
