// Reads the fleet's history from the Prometheus HTTP API: the queries of promql.hpp over
// [start, end] at `step_s`, assembled into a FleetHistory. Gaps stay gaps, NaN/Inf are left
// out and noted, an empty power answer is an error that says what to check.
// Not thread-safe (one HTTP handle); use from one thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "fleet/history.hpp"
#include "fleet/models_file.hpp"
#include "fleet/query_answer.hpp"

namespace joulebench::fleet {

struct PrometheusRange {
  std::string base_url;      // http://host:9090
  std::int64_t start_s = 0;  // Unix seconds, a multiple of step_s
  std::int64_t end_s = 0;
  std::int64_t step_s = 60;
  std::string range_text;  // "7d", for the source line and the idle query
  bool ends_now = true;    // false when --end named the end: messages then give it
  std::string rate_window = "5m";
  std::chrono::milliseconds timeout{30000};
};

// "the last 7d", or "the 7d before 2026-11-20T00:00:00Z" when the range does not end now.
std::string period_phrase(const PrometheusRange& range);

// The answers of the three range queries and the idle query, joined per model. Pure: the
// HTTP part is fetch_fleet_history's.
Expected<FleetHistory> assemble_history(const PrometheusRange& range,
                                        const std::vector<ModelEntry>& entries,
                                        const QueryAnswer& power, const QueryAnswer& allocation,
                                        const QueryAnswer& tokens, const QueryAnswer& idle);

Expected<FleetHistory> fetch_fleet_history(const PrometheusRange& range,
                                           const std::vector<ModelEntry>& entries);

}  // namespace joulebench::fleet
