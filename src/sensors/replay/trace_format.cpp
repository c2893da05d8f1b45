#include "sensors/replay/trace_format.hpp"

#include <array>
#include <charconv>
#include <cstdint>

#include "sensors/replay/csv_text.hpp"

namespace joulebench::replay {
namespace {

constexpr std::uint64_t kNsPerSecond = 1'000'000'000;
constexpr int kFractionDigits = 9;

bool needs_quotes(std::string_view value) {
  if (value.empty()) return true;
  for (char c : value) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte <= 0x20 || byte == 0x7f || c == '"' || c == '\\' || c == '=') return true;
  }
  return false;
}

void append_escaped(std::string& out, char c) {
  static constexpr char kHex[] = "0123456789abcdef";
  const auto byte = static_cast<unsigned char>(c);
  switch (c) {
    case '"': out += "\\\""; return;
    case '\\': out += "\\\\"; return;
    case '\n': out += "\\n"; return;
    case '\r': out += "\\r"; return;
    case '\t': out += "\\t"; return;
    default: break;
  }
  if (byte < 0x20 || byte == 0x7f) {
    out += "\\x";
    out += kHex[byte >> 4];
    out += kHex[byte & 0xf];
    return;
  }
  out += c;
}

bool is_key_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '.' || c == '-';
}

bool is_space(char c) { return c == ' ' || c == '\t'; }

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Reads the quoted value starting at text[pos] == '"'; leaves pos after the closing quote.
Expected<std::string> read_quoted(std::string_view text, std::size_t& pos, std::string_view key) {
  std::string value;
  for (++pos; pos < text.size(); ++pos) {
    const char c = text[pos];
    if (c == '"') {
      ++pos;
      return value;
    }
    if (c != '\\') {
      value += c;
      continue;
    }
    if (++pos == text.size()) break;
    switch (text[pos]) {
      case '"': value += '"'; continue;
      case '\\': value += '\\'; continue;
      case 'n': value += '\n'; continue;
      case 'r': value += '\r'; continue;
      case 't': value += '\t'; continue;
      case 'x': {
        const int high = pos + 2 < text.size() ? hex_value(text[pos + 1]) : -1;
        const int low = high >= 0 ? hex_value(text[pos + 2]) : -1;
        if (low < 0) return Error{std::string(key) + ": bad \\x escape"};
        value += static_cast<char>(high * 16 + low);
        pos += 2;
        continue;
      }
      default:
        return Error{std::string(key) + ": unknown escape " +
                     quote_for_message(text.substr(pos - 1, 2))};
    }
  }
  return Error{std::string(key) + ": unterminated quoted value"};
}

Expected<KeyValue> read_key_value(std::string_view text, std::size_t& pos) {
  const std::size_t key_begin = pos;
  while (pos < text.size() && is_key_char(text[pos])) ++pos;
  const std::string_view key = text.substr(key_begin, pos - key_begin);
  if (key.empty() || pos == text.size() || text[pos] != '=') {
    return Error{"expected key=value at " + quote_for_message(text.substr(key_begin))};
  }
  ++pos;
  if (pos < text.size() && text[pos] == '"') {
    auto value = read_quoted(text, pos, key);
    if (!value) return value.error();
    if (pos < text.size() && !is_space(text[pos])) {
      return Error{std::string(key) + ": text after the closing quote"};
    }
    return KeyValue{key, std::move(value.value())};
  }
  const std::size_t value_begin = pos;
  while (pos < text.size() && !is_space(text[pos])) ++pos;
  return KeyValue{key, std::string(text.substr(value_begin, pos - value_begin))};
}

}  // namespace

void append_token(std::string& out, std::string_view value) {
  if (!needs_quotes(value)) {
    out += value;
    return;
  }
  out += '"';
  for (char c : value) append_escaped(out, c);
  out += '"';
}

Expected<std::vector<KeyValue>> parse_key_values(std::string_view text) {
  std::vector<KeyValue> pairs;
  std::size_t pos = 0;
  while (true) {
    while (pos < text.size() && is_space(text[pos])) ++pos;
    if (pos == text.size()) return pairs;
    auto pair = read_key_value(text, pos);
    if (!pair) return pair.error();
    pairs.push_back(std::move(pair.value()));
  }
}

void append_time_s(std::string& out, TimeNs time_ns) {
  // Through unsigned arithmetic so that the most negative TimeNs has a magnitude too.
  std::uint64_t magnitude = static_cast<std::uint64_t>(time_ns);
  if (time_ns < 0) {
    out += '-';
    magnitude = 0 - magnitude;
  }
  std::array<char, 24> digits{};
  auto result = std::to_chars(digits.data(), digits.data() + digits.size(),
                              magnitude / kNsPerSecond);
  out.append(digits.data(), result.ptr);
  out += '.';
  std::uint64_t fraction = magnitude % kNsPerSecond;
  char fraction_digits[kFractionDigits];
  for (int i = kFractionDigits - 1; i >= 0; --i) {
    fraction_digits[i] = static_cast<char>('0' + fraction % 10);
    fraction /= 10;
  }
  out.append(fraction_digits, kFractionDigits);
}

std::optional<TimeNs> parse_time_s(std::string_view text) {
  constexpr std::uint64_t kMaxSeconds = 1'000'000'000;
  const bool negative = !text.empty() && text.front() == '-';
  if (negative) text.remove_prefix(1);
  std::size_t pos = 0;
  std::uint64_t seconds = 0;
  for (; pos < text.size() && text[pos] >= '0' && text[pos] <= '9'; ++pos) {
    seconds = seconds * 10 + static_cast<std::uint64_t>(text[pos] - '0');
    if (seconds >= kMaxSeconds) return std::nullopt;
  }
  if (pos == 0) return std::nullopt;
  std::uint64_t fraction = 0;
  int fraction_digits = 0;
  bool round_up = false;
  if (pos < text.size() && text[pos] == '.') {
    for (++pos; pos < text.size() && text[pos] >= '0' && text[pos] <= '9'; ++pos) {
      const auto digit = static_cast<std::uint64_t>(text[pos] - '0');
      if (fraction_digits < kFractionDigits) {
        fraction = fraction * 10 + digit;
        ++fraction_digits;
      } else if (fraction_digits++ == kFractionDigits) {
        round_up = digit >= 5;
      }
    }
  }
  if (pos != text.size()) return std::nullopt;
  for (int i = fraction_digits; i < kFractionDigits; ++i) fraction *= 10;
  const std::uint64_t total = seconds * kNsPerSecond + fraction + (round_up ? 1 : 0);
  const auto signed_total = static_cast<TimeNs>(total);
  return negative ? -signed_total : signed_total;
}

void append_double(std::string& out, double value) {
  std::array<char, 32> text{};
  auto result = std::to_chars(text.data(), text.data() + text.size(), value);
  out.append(text.data(), result.ptr);
}

std::optional<PowerKind> power_kind_from_string(std::string_view text) {
  for (PowerKind kind : {PowerKind::instantaneous, PowerKind::average_1s, PowerKind::derived,
                         PowerKind::unknown}) {
    if (text == to_string(kind)) return kind;
  }
  return std::nullopt;
}

std::optional<Metric> metric_from_string(std::string_view text) {
  for (Metric metric : {Metric::power, Metric::energy_counter, Metric::temperature,
                        Metric::gpu_utilization, Metric::sm_clock, Metric::memory_used,
                        Metric::throttle_mask}) {
    if (text == to_string(metric)) return metric;
  }
  return std::nullopt;
}

}  // namespace joulebench::replay
