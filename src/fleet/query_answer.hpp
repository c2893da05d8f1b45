// The JSON answer of the Prometheus HTTP API (/api/v1/query and /api/v1/query_range) as
// series of (time, value) points. Values arrive as strings; "NaN", "+Inf" and "-Inf" are
// left out and counted, so no invented number reaches the analysis. Pure; no shared state.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "joulebench/error.hpp"

namespace joulebench::fleet {

struct AnswerSeries {
  std::map<std::string, std::string> labels;
  std::vector<std::pair<double, double>> points;  // (Unix seconds, finite value), ascending
  std::size_t non_finite = 0;                     // NaN / Inf values left out
};

struct QueryAnswer {
  std::vector<AnswerSeries> series;
  std::vector<std::string> warnings;  // the API's own warnings (Thanos: partial responses)
  bool partial = false;               // VictoriaMetrics' "isPartial": some storage nodes missing
};

// `origin` names the query in errors. A "status":"error" answer becomes an Error carrying
// the API's errorType and message; so does JSON that is not a Prometheus answer.
Expected<QueryAnswer> parse_query_answer(std::string_view body, const std::string& origin);

}  // namespace joulebench::fleet
