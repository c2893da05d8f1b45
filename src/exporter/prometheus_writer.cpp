#include "exporter/prometheus_writer.hpp"

#include <cmath>

#include <fmt/format.h>

namespace joulebench::exporter {
namespace {

const char* type_name(MetricType type) { return type == MetricType::counter ? "counter" : "gauge"; }

void append_labels(std::string& out, const std::vector<Label>& labels) {
  if (labels.empty()) return;
  out += '{';
  for (std::size_t i = 0; i < labels.size(); ++i) {
    if (i > 0) out += ',';
    out += labels[i].name;
    out += "=\"";
    out += escape_label_value(labels[i].value);
    out += '"';
  }
  out += '}';
}

std::string escape(std::string_view text, bool quote) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '"' && quote) {
      out += "\\\"";
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace

std::string escape_label_value(std::string_view value) { return escape(value, true); }

std::string escape_help(std::string_view help) { return escape(help, false); }

std::string format_value(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  return fmt::format("{}", value);
}

void append_family(std::string& out, const MetricFamily& family) {
  if (family.samples.empty()) return;
  out += "# HELP " + family.name + ' ' + escape_help(family.help) + '\n';
  out += "# TYPE " + family.name + ' ' + type_name(family.type) + '\n';
  for (const auto& sample : family.samples) {
    out += family.name;
    append_labels(out, sample.labels);
    out += ' ';
    out += format_value(sample.value);
    out += '\n';
  }
}

std::string write_text(const std::vector<MetricFamily>& families) {
  std::string out;
  for (const auto& family : families) append_family(out, family);
  return out;
}

}  // namespace joulebench::exporter
