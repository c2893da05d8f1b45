// Text helpers shared by the trace parsers: line iteration, field splitting, numbers.
// They work on string_views into the caller's text and never allocate on the happy path,
// because the parsers run them once per row of logs with millions of rows.
// Thread-safety: free functions are pure; a LineCursor is used by one thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace joulebench::replay {

// The longest line the parsers read, in bytes. Real lines are a few hundred bytes (a device
// line with a long name a few thousand); without a bound, a file with no newline (a 2 GB
// sparse file) was copied whole several times or split into billions of fields.
inline constexpr std::size_t kMaxLineBytes = 64 * 1024;

// "line longer than 65536 bytes": the one message every reader gives for such a line.
std::string line_too_long_message();

// Iterates over the lines of a text, without their "\n" or "\r\n" terminators.
class LineCursor {
 public:
  explicit LineCursor(std::string_view text) : text_(text) {}

  // Sets `line` to the next line; false at the end of the text. A line longer than
  // kMaxLineBytes is still returned (a view, nothing is copied) with too_long() set: the
  // caller reports it instead of parsing it.
  bool next(std::string_view& line);
  bool too_long() const { return too_long_; }
  // 1-based number of the line last returned by next().
  std::size_t line_number() const { return line_number_; }
  // The text after the line last returned.
  std::string_view remaining() const { return text_.substr(pos_); }

 private:
  std::string_view text_;
  std::size_t pos_ = 0;
  std::size_t line_number_ = 0;
  bool too_long_ = false;
};

// Lines already split into trimmed fields, in one pass over the bytes: the row loops of the
// parsers use it, because a line search followed by a field split reads every byte twice.
class CsvRowCursor {
 public:
  // `text` starts at a line boundary; `lines_before` lines precede it (for line numbers).
  CsvRowCursor(std::string_view text, std::size_t lines_before)
      : text_(text), line_number_(lines_before) {}

  // Moves to the next line; false at the end of the text. A line longer than kMaxLineBytes
  // is not split (its fields stay empty, line() is empty) and sets too_long(), so a file
  // without newlines costs no memory; the cursor goes on after that line's end.
  bool next();
  bool too_long() const { return too_long_; }
  std::string_view line() const { return line_; }  // without its terminator
  // The line split at every ',' and trimmed; valid until the next call of next().
  const std::vector<std::string_view>& fields() const { return fields_; }
  std::size_t line_number() const { return line_number_; }

 private:
  const char* split_until_newline(const char* cursor, const char* end);
  void end_field(const char* comma);

  std::string_view text_;
  std::size_t pos_ = 0;
  std::size_t line_number_;
  std::string_view line_;
  std::vector<std::string_view> fields_;
  const char* field_ = nullptr;  // start of the field being read
  bool too_long_ = false;
};

// Without leading and trailing spaces and tabs. Inline: it runs for every field.
inline std::string_view trim(std::string_view text) {
  std::size_t begin = 0;
  std::size_t end = text.size();
  while (begin < end && (text[begin] == ' ' || text[begin] == '\t')) ++begin;
  while (end > begin && (text[end - 1] == ' ' || text[end - 1] == '\t')) --end;
  return text.substr(begin, end - begin);
}

// Splits at every ',' and trims each field. `fields` is cleared and refilled, so a caller
// that reuses it stops allocating after the first row.
void split_fields(std::string_view line, std::vector<std::string_view>& fields);

// The decimal at [begin, end) ("186.42", "-3", "7."), up to 15 digits, no exponent; returns
// where it stops, or null when the text needs the general parser (or is not a number). The
// value is exactly what from_chars gives. The fast path of the row parsers.
const char* parse_plain_decimal(const char* begin, const char* end, double& value);

// A finite number spanning the whole text ("12.5", "-3", "1e3"); nullopt otherwise.
std::optional<double> parse_finite(std::string_view text);

struct NumberWithUnit {
  double value = 0.0;
  std::string_view unit;  // trimmed text after the number; empty when none
};

// A finite number followed by an optional unit ("186.42 W", "100 %", "1410").
std::optional<NumberWithUnit> parse_number_with_unit(std::string_view text);

// A non-negative decimal integer spanning the whole text.
std::optional<std::uint64_t> parse_uint(std::string_view text);

// "0x1f" / "0X1F" (hexadecimal) or a decimal integer.
std::optional<std::uint64_t> parse_hex_or_uint(std::string_view text);

// `text` in double quotes for an error message: control bytes escaped, long text cut.
std::string quote_for_message(std::string_view text);

// Seconds for a message: at most 3 decimals, trailing zeros dropped ("16.7", "0.025", "3").
std::string seconds_text(double seconds);

}  // namespace joulebench::replay
