// Turns what a load level recorded (requests with chunk timestamps) and what the energy
// monitor measured over the steady-state window into a LevelResult. Pure, so it is tested
// with hand-made request records.
#pragma once

#include "workloads/openai/load_result.hpp"
#include "workloads/serving/serving_result.hpp"

namespace joulebench {

struct LevelWindow {
  TimeNs start_ns = 0;  // steady-state window on the load generator's clock
  TimeNs end_ns = 0;
  Measurement measurement;  // energy over the same window
};

// Everything but validity and slo_met (set by the caller).
LevelResult analyze_level(LoadMode mode, double level, const LoadRunResult& load,
                          const LevelWindow& window, const IdlePower& idle);

// Percentiles of latencies given in seconds, reported in milliseconds.
LatencyPercentiles latency_percentiles_ms(const std::vector<double>& latencies_s);

}  // namespace joulebench
