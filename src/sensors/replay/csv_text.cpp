#include "sensors/replay/csv_text.hpp"

#include <fmt/format.h>

#include <array>
#include <bit>
#include <charconv>
#include <cmath>
#include <cstring>

namespace joulebench::replay {

std::string line_too_long_message() {
  return "line longer than " + std::to_string(kMaxLineBytes) + " bytes";
}

bool LineCursor::next(std::string_view& line) {
  if (pos_ >= text_.size()) return false;
  const char* begin = text_.data() + pos_;
  const std::size_t left = text_.size() - pos_;
  const void* newline = std::memchr(begin, '\n', left);
  std::size_t length =
      newline ? static_cast<std::size_t>(static_cast<const char*>(newline) - begin) : left;
  pos_ += newline ? length + 1 : length;
  if (length > 0 && begin[length - 1] == '\r') --length;
  line = std::string_view(begin, length);
  too_long_ = length > kMaxLineBytes;
  ++line_number_;
  return true;
}

namespace {

constexpr std::uint64_t kEveryByte = 0x0101010101010101ull;
constexpr std::uint64_t kLowBits = 0x7f7f7f7f7f7f7f7full;

// The high bit of exactly those bytes of `word` that equal `byte` (no false positives, so
// several matches in one word can be walked bit by bit).
std::uint64_t bytes_equal_to(std::uint64_t word, unsigned char byte) {
  const std::uint64_t x = word ^ (kEveryByte * byte);
  return ~(((x & kLowBits) + kLowBits) | x | kLowBits);
}

}  // namespace

void CsvRowCursor::end_field(const char* comma) {
  fields_.push_back(trim(std::string_view(field_, static_cast<std::size_t>(comma - field_))));
  field_ = comma + 1;
}

// Eight bytes per step, every comma of a word at once: a byte loop (or a search per field)
// here was the largest cost of reading a long log. Returns the line's '\n' or end.
const char* CsvRowCursor::split_until_newline(const char* cursor, const char* end) {
  if constexpr (std::endian::native == std::endian::little) {
    for (; end - cursor >= 8; cursor += 8) {
      std::uint64_t word = 0;
      std::memcpy(&word, cursor, sizeof word);
      std::uint64_t commas = bytes_equal_to(word, ',');
      const std::uint64_t newlines = bytes_equal_to(word, '\n');
      // Only the commas before the first newline belong to this line.
      if (newlines != 0) commas &= (newlines & (0 - newlines)) - 1;
      for (; commas != 0; commas &= commas - 1) end_field(cursor + std::countr_zero(commas) / 8);
      if (newlines != 0) return cursor + std::countr_zero(newlines) / 8;
    }
  }
  for (; cursor != end && *cursor != '\n'; ++cursor) {
    if (*cursor == ',') end_field(cursor);
  }
  return cursor;
}

bool CsvRowCursor::next() {
  if (pos_ >= text_.size()) return false;
  fields_.clear();
  const char* const begin = text_.data() + pos_;
  const char* const end = text_.data() + text_.size();
  field_ = begin;
  // Split no further than one line may reach (its bytes, a '\r' and one more).
  const std::size_t left = static_cast<std::size_t>(end - begin);
  const char* const limit = left > kMaxLineBytes + 2 ? begin + kMaxLineBytes + 2 : end;
  const char* newline = split_until_newline(begin, limit);
  const char* line_end = newline;
  if (line_end != begin && line_end[-1] == '\r') --line_end;
  const bool cut_at_limit = newline == limit && limit != end;
  too_long_ = cut_at_limit || static_cast<std::size_t>(line_end - begin) > kMaxLineBytes;
  if (too_long_) {
    fields_.clear();
    line_ = {};
    const void* found = std::memchr(newline, '\n', static_cast<std::size_t>(end - newline));
    newline = found ? static_cast<const char*>(found) : end;
    pos_ = static_cast<std::size_t>(newline - text_.data()) + (newline != end ? 1 : 0);
    ++line_number_;
    return true;
  }
  const char* field_end = line_end > field_ ? line_end : field_;
  fields_.push_back(trim(std::string_view(field_, static_cast<std::size_t>(field_end - field_))));
  line_ = std::string_view(begin, static_cast<std::size_t>(line_end - begin));
  pos_ = static_cast<std::size_t>(newline - text_.data()) + (newline != end ? 1 : 0);
  ++line_number_;
  return true;
}

void split_fields(std::string_view line, std::vector<std::string_view>& fields) {
  // A byte loop rather than memchr: fields are a few bytes long, and a library call per
  // field cost more than the scan itself on long logs.
  fields.clear();
  const char* const end = line.data() + line.size();
  const char* begin = line.data();
  for (const char* cursor = begin;; ++cursor) {
    if (cursor != end && *cursor != ',') continue;
    fields.push_back(trim(std::string_view(begin, static_cast<std::size_t>(cursor - begin))));
    if (cursor == end) return;
    begin = cursor + 1;
  }
}

namespace {

// Exact powers of ten: every one up to 1e22 is a double without rounding.
constexpr std::array<double, 23> kPowersOfTen = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                                 1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                                 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
constexpr std::uint64_t kExactMantissaLimit = std::uint64_t{1} << 53;

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// from_chars accepts "inf" and "nan"; a trace value must be a real measurement.
const char* parse_finite_prefix(std::string_view text, double& value) {
  if (const char* end = parse_plain_decimal(text.data(), text.data() + text.size(), value)) {
    return end;
  }
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc() || !std::isfinite(value)) return nullptr;
  return ptr;
}

}  // namespace

// Plain decimals need no general algorithm: when the digits fit in 53 bits, digits / 10^k
// is one correctly rounded IEEE division, so the result is the double from_chars gives.
const char* parse_plain_decimal(const char* cursor, const char* end, double& value) {
  const bool negative = cursor != end && *cursor == '-';
  if (negative) ++cursor;
  const char* const digits_begin = cursor;
  std::uint64_t mantissa = 0;
  std::size_t decimals = 0;
  for (; cursor != end && is_digit(*cursor); ++cursor) mantissa = mantissa * 10 + (*cursor - '0');
  std::size_t digits = static_cast<std::size_t>(cursor - digits_begin);
  if (cursor != end && *cursor == '.') {
    const char* const fraction_begin = ++cursor;
    for (; cursor != end && is_digit(*cursor); ++cursor) mantissa = mantissa * 10 + (*cursor - '0');
    decimals = static_cast<std::size_t>(cursor - fraction_begin);
    digits += decimals;
  }
  const bool exponent_follows = cursor != end && (*cursor == 'e' || *cursor == 'E');
  if (digits == 0 || digits > 15 || exponent_follows || decimals >= kPowersOfTen.size()) {
    return nullptr;
  }
  if (mantissa >= kExactMantissaLimit) return nullptr;
  const double magnitude = static_cast<double>(mantissa) / kPowersOfTen[decimals];
  value = negative ? -magnitude : magnitude;
  return cursor;
}

std::optional<double> parse_finite(std::string_view text) {
  double value = 0.0;
  const char* ptr = parse_finite_prefix(text, value);
  if (ptr == nullptr || ptr != text.data() + text.size()) return std::nullopt;
  return value;
}

std::optional<NumberWithUnit> parse_number_with_unit(std::string_view text) {
  NumberWithUnit result;
  const char* ptr = parse_finite_prefix(text, result.value);
  if (ptr == nullptr) return std::nullopt;
  result.unit = trim(text.substr(static_cast<std::size_t>(ptr - text.data())));
  return result;
}

std::optional<std::uint64_t> parse_uint(std::string_view text) {
  std::uint64_t value = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc() || ptr != end) return std::nullopt;
  return value;
}

std::optional<std::uint64_t> parse_hex_or_uint(std::string_view text) {
  if (text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
    std::uint64_t value = 0;
    const char* end = text.data() + text.size();
    auto [ptr, ec] = std::from_chars(text.data() + 2, end, value, 16);
    if (ec != std::errc() || ptr != end) return std::nullopt;
    return value;
  }
  return parse_uint(text);
}

std::string quote_for_message(std::string_view text) {
  constexpr std::size_t kMaxShown = 40;
  std::string out = "\"";
  for (std::size_t i = 0; i < text.size() && i < kMaxShown; ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte == '"' || byte == '\\') {
      out += '\\';
      out += static_cast<char>(byte);
    } else if (byte < 0x20 || byte == 0x7f) {
      out += fmt::format("\\x{:02x}", byte);
    } else {
      out += static_cast<char>(byte);
    }
  }
  if (text.size() > kMaxShown) out += "...";
  out += '"';
  return out;
}

std::string seconds_text(double seconds) {
  std::string text = fmt::format("{:.3f}", seconds);
  while (!text.empty() && text.back() == '0') text.pop_back();
  if (!text.empty() && text.back() == '.') text.pop_back();
  if (text == "-0") text = "0";
  return text;
}

}  // namespace joulebench::replay
