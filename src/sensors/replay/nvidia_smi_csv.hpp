// Parser for nvidia-smi CSV logs (`nvidia-smi --query-gpu=timestamp,... --format=csv -lms N`).
//
// Accepted: any subset and order of the columns in nvidia_smi_columns.cpp (timestamp is
// required), headers with or without units ("power.draw [W]"), values with or without
// units ("186.42 W", "100 %", "1410 MHz", "2048 MiB"), "[N/A]", "[Not Supported]" and "N/A"
// as missing values, several GPUs interleaved (told apart by index, else uuid, else name),
// and timestamps with their date (midnight rollover works). --format=csv,noheader logs are
// rejected: without the header the columns cannot be known.
// Thread-safety: reentrant.
#pragma once

#include <string>
#include <string_view>

#include "sensors/replay/trace.hpp"

namespace joulebench::replay {

// The text must start with the header line. Devices get id "replay:<position>", sensor
// "replay", vendor "NVIDIA" and no energy counter.
Expected<TraceSummary> parse_nvidia_smi_csv(std::string_view text, const std::string& filename,
                                            const TraceParseOptions& options, TraceSink& sink);

}  // namespace joulebench::replay
