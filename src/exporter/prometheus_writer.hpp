// The Prometheus text exposition format (version 0.0.4), written from plain records.
// Pure: families in, text out. A family without samples is left out entirely (HELP and TYPE
// included), so a value that is unavailable is absent from the scrape, never 0 or NaN.
// Thread-safety: value types and pure functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace joulebench::exporter {

enum class MetricType { gauge, counter };

struct Label {
  std::string name;
  std::string value;
  bool operator==(const Label&) const = default;
};

struct MetricSample {
  std::vector<Label> labels;
  double value = 0.0;
};

struct MetricFamily {
  std::string name;  // counters end in "_total" (checked by the writer's tests)
  std::string help;
  MetricType type = MetricType::gauge;
  std::vector<MetricSample> samples;
};

// Label values escape backslash, double quote and newline; HELP text escapes backslash and
// newline (the format's two escaping rules).
std::string escape_label_value(std::string_view value);
std::string escape_help(std::string_view help);

// Shortest text that reads back to the same double; "NaN", "+Inf", "-Inf" as the format spells them.
std::string format_value(double value);

// Appends one family (nothing when it has no samples).
void append_family(std::string& out, const MetricFamily& family);

std::string write_text(const std::vector<MetricFamily>& families);

}  // namespace joulebench::exporter
