// A parser of the Prometheus text exposition format (and the OpenMetrics text that serving
// engines also emit), for reading an engine's own /metrics with --tokens-from.
//
// Accepted: comments and HELP/TYPE lines (skipped), blank lines, CRLF, labels with escaped
// values (\\, \", \n), a trailing comma in the label set, NaN/+Inf/-Inf values, an optional
// timestamp, and an OpenMetrics exemplar after " # " (ignored). A malformed sample line is an
// Error naming the line, as Prometheus rejects the whole scrape. Never throws.
// Thread-safety: pure function.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "exporter/prometheus_writer.hpp"
#include "joulebench/error.hpp"

namespace joulebench::exporter {

struct ParsedSample {
  std::string name;
  std::vector<Label> labels;
  double value = 0.0;
  std::optional<long long> timestamp_ms;
};

// `source` names the input in errors (the URL, or a file).
Expected<std::vector<ParsedSample>> parse_prometheus_text(std::string_view text,
                                                          const std::string& source);

// The value of label `name`, or nullptr.
const std::string* find_label(const ParsedSample& sample, std::string_view name);

}  // namespace joulebench::exporter
