#include "exporter/prometheus_text.hpp"

#include <charconv>
#include <cmath>
#include <limits>

namespace joulebench::exporter {
namespace {

bool is_name_start(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':';
}
bool is_name_char(char c) { return is_name_start(c) || (c >= '0' && c <= '9'); }
bool is_blank(char c) { return c == ' ' || c == '\t'; }

// A cursor over one line; every parse step returns false on malformed input.
struct Cursor {
  std::string_view line;
  std::size_t pos = 0;

  bool done() const { return pos >= line.size(); }
  char peek() const { return done() ? '\0' : line[pos]; }
  void skip_blanks() {
    while (!done() && is_blank(line[pos])) ++pos;
  }
  // [a-zA-Z_:][a-zA-Z0-9_:]*; label names may not contain ':' but engines never send one,
  // and accepting it loses nothing.
  bool name(std::string& out) {
    if (done() || !is_name_start(line[pos])) return false;
    const std::size_t start = pos;
    while (!done() && is_name_char(line[pos])) ++pos;
    out.assign(line.substr(start, pos - start));
    return true;
  }
  bool quoted(std::string& out) {
    if (peek() != '"') return false;
    ++pos;
    out.clear();
    while (!done()) {
      const char c = line[pos++];
      if (c == '"') return true;
      if (c != '\\') {
        out += c;
        continue;
      }
      if (done()) return false;
      const char escaped = line[pos++];
      if (escaped == 'n') {
        out += '\n';
      } else if (escaped == '\\' || escaped == '"') {
        out += escaped;
      } else {
        return false;
      }
    }
    return false;  // no closing quote
  }
  bool labels(std::vector<Label>& out) {
    ++pos;  // '{'
    for (;;) {
      skip_blanks();
      if (peek() == '}') {
        ++pos;
        return true;
      }
      Label label;
      if (!name(label.name)) return false;
      skip_blanks();
      if (peek() != '=') return false;
      ++pos;
      skip_blanks();
      if (!quoted(label.value)) return false;
      out.push_back(std::move(label));
      skip_blanks();
      if (peek() == ',') {
        ++pos;
      } else if (peek() != '}') {
        return false;
      }
    }
  }
  std::string_view token() {
    const std::size_t start = pos;
    while (!done() && !is_blank(line[pos])) ++pos;
    return line.substr(start, pos - start);
  }
};

std::optional<double> parse_value(std::string_view text) {
  if (text == "NaN") return std::numeric_limits<double>::quiet_NaN();
  if (text == "+Inf" || text == "Inf") return std::numeric_limits<double>::infinity();
  if (text == "-Inf") return -std::numeric_limits<double>::infinity();
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  // from_chars would also read "inf"/"nan" spelt otherwise; the format allows only the above.
  if (text.empty() || !(std::isdigit(static_cast<unsigned char>(text.front())) ||
                        text.front() == '-' || text.front() == '.')) {
    return std::nullopt;
  }
  double value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

std::optional<long long> parse_timestamp(std::string_view text) {
  long long value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

// Parses one sample line; returns the reason when malformed.
std::optional<std::string> parse_line(std::string_view line, ParsedSample& out) {
  Cursor cursor{line};
  if (!cursor.name(out.name)) return "expected a metric name";
  if (cursor.peek() == '{' && !cursor.labels(out.labels)) return "malformed label set";
  if (!is_blank(cursor.peek())) return "expected a space before the value";
  cursor.skip_blanks();
  const auto value = parse_value(cursor.token());
  if (!value) return "malformed value";
  out.value = *value;
  cursor.skip_blanks();
  if (cursor.done() || cursor.peek() == '#') return std::nullopt;  // '#': an exemplar, ignored
  const auto timestamp = parse_timestamp(cursor.token());
  if (!timestamp) return "malformed timestamp";
  out.timestamp_ms = timestamp;
  cursor.skip_blanks();
  if (!cursor.done() && cursor.peek() != '#') return "unexpected text after the timestamp";
  return std::nullopt;
}

}  // namespace

Expected<std::vector<ParsedSample>> parse_prometheus_text(std::string_view text,
                                                          const std::string& source) {
  std::vector<ParsedSample> samples;
  std::size_t line_number = 0;
  while (!text.empty()) {
    const std::size_t newline = text.find('\n');
    std::string_view line = text.substr(0, newline);
    text.remove_prefix(newline == std::string_view::npos ? text.size() : newline + 1);
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    std::size_t first = 0;
    while (first < line.size() && is_blank(line[first])) ++first;
    line.remove_prefix(first);
    if (line.empty() || line.front() == '#') continue;
    ParsedSample sample;
    if (auto problem = parse_line(line, sample)) return Error{*problem, source, line_number};
    samples.push_back(std::move(sample));
  }
  return samples;
}

const std::string* find_label(const ParsedSample& sample, std::string_view name) {
  for (const auto& label : sample.labels) {
    if (label.name == name) return &label.value;
  }
  return nullptr;
}

}  // namespace joulebench::exporter
