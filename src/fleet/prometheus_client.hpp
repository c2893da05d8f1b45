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
#include "platform/http_fetch.hpp"

namespace joulebench::fleet {

inline constexpr std::size_t kDefaultMaxAnswerMib = 64;

// Whose metric names the back end holds: joulebench's exporter, or dcgm-exporter with the
// serving engines' token counters (dcgm_promql.hpp). Auto asks the back end.
enum class MetricsFamily { Auto, Joulebench, Dcgm };

struct PrometheusRange {
  std::string base_url;      // http://host:9090
  std::int64_t start_s = 0;  // Unix seconds, a multiple of step_s
  std::int64_t end_s = 0;
  std::int64_t step_s = 60;
  std::string range_text;  // "7d", for the source line and the idle query
  bool ends_now = true;    // false when --end named the end: messages then give it
  // The window of rate(); with rate_window_auto, fetch_fleet_history chooses it as
  // max(4 x the scrape interval, step), so that every window holds several samples.
  std::int64_t rate_window_s = 300;
  bool rate_window_auto = true;
  std::int64_t scrape_interval_s = 0;  // 0: unknown
  // The range queries start this much before start_s (a whole number of steps), so that a
  // rate series that begins inside the view can be told from one that began before it.
  std::int64_t lead_in_s = 0;
  std::chrono::milliseconds timeout{30000};
  // The largest answer read (--max-answer-mib): a wrong URL or a query over a huge fleet
  // must not make fleet hold hundreds of MB. A week of 1-minute steps is about 250 KB per
  // series, so the default holds about 250 models.
  std::size_t max_answer_bytes = kDefaultMaxAnswerMib << 20;
  MetricsFamily metrics = MetricsFamily::Auto;
  std::string metrics_reason;            // how Auto decided, for the source line
  platform::HttpRequestOptions request;  // headers, token, basic auth, CA of a gateway
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
