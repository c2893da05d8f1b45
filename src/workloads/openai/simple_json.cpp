#include "workloads/openai/simple_json.hpp"

#include <cstdint>

namespace joulebench {
namespace {

constexpr int kMaxDepth = 64;
constexpr std::size_t kMaxIntegerDigits = 18;  // fits int64 without overflow checks
constexpr std::size_t kMaxDecimalChars = 40;

bool is_digit(char c) { return c >= '0' && c <= '9'; }

class Scanner {
 public:
  Scanner(std::string_view text, ChunkFields& fields) : text_(text), fields_(fields) {}

  bool document() {
    skip_blanks();
    if (!value(0)) return false;
    skip_blanks();
    return pos_ == text_.size();
  }

 private:
  char peek() const { return pos_ < text_.size() ? text_[pos_] : '\0'; }

  void skip_blanks() {
    while (pos_ < text_.size()) {
      const char c = text_[pos_];
      if (c != ' ' && c != '\n' && c != '\r' && c != '\t') return;
      ++pos_;
    }
  }

  bool value(int depth) {
    switch (peek()) {
      case '{':
        return object(depth + 1);
      case '[':
        return array(depth + 1);
      case '"': {
        std::string_view text;
        if (!string(text)) return false;
        fields_.string(text);
        return true;
      }
      case 't':
        return literal("true");
      case 'f':
        return literal("false");
      case 'n':
        return literal("null");
      default:
        return number();
    }
  }

  bool object(int depth) {
    if (depth > kMaxDepth) return false;
    ++pos_;
    fields_.open(false);
    skip_blanks();
    if (peek() == '}') return close();
    for (;;) {
      std::string_view name;
      if (peek() != '"' || !string(name)) return false;
      fields_.key(name);
      skip_blanks();
      if (peek() != ':') return false;
      ++pos_;
      skip_blanks();
      if (!value(depth)) return false;
      skip_blanks();
      if (peek() == '}') return close();
      if (peek() != ',') return false;
      ++pos_;
      skip_blanks();
    }
  }

  bool array(int depth) {
    if (depth > kMaxDepth) return false;
    ++pos_;
    fields_.open(true);
    skip_blanks();
    if (peek() == ']') return close();
    for (;;) {
      if (!value(depth)) return false;
      skip_blanks();
      if (peek() == ']') return close();
      if (peek() != ',') return false;
      ++pos_;
      skip_blanks();
    }
  }

  bool close() {
    ++pos_;
    fields_.close();
    return true;
  }

  // Only printable ASCII without escapes: the bytes are then the decoded string.
  bool string(std::string_view& out) {
    const std::size_t start = ++pos_;
    for (; pos_ < text_.size(); ++pos_) {
      const auto c = static_cast<unsigned char>(text_[pos_]);
      if (c == '"') {
        out = text_.substr(start, pos_ - start);
        ++pos_;
        return true;
      }
      if (c == '\\' || c < 0x20 || c >= 0x80) return false;
    }
    return false;
  }

  bool literal(std::string_view word) {
    if (text_.substr(pos_, word.size()) != word) return false;
    pos_ += word.size();
    return true;
  }

  bool number() {
    const std::size_t start = pos_;
    const bool negative = peek() == '-';
    if (negative) ++pos_;
    const std::size_t digits_start = pos_;
    if (peek() == '0') {
      ++pos_;
    } else if (is_digit(peek())) {
      while (is_digit(peek())) ++pos_;
    } else {
      return false;
    }
    const std::size_t digits = pos_ - digits_start;
    if (peek() == '.') {
      ++pos_;
      if (!is_digit(peek())) return false;
      while (is_digit(peek())) ++pos_;
      // A float carries nothing that is counted; only its syntax matters.
      return peek() != 'e' && peek() != 'E' && pos_ - start <= kMaxDecimalChars;
    }
    // Exponents can overflow to infinity, which the full parser rejects: let it decide.
    if (peek() == 'e' || peek() == 'E' || digits > kMaxIntegerDigits) return false;
    std::int64_t value = 0;
    for (std::size_t i = digits_start; i < pos_; ++i) value = value * 10 + (text_[i] - '0');
    fields_.integer(negative ? -value : value);
    return true;
  }

  std::string_view text_;
  ChunkFields& fields_;
  std::size_t pos_ = 0;
};

}  // namespace

bool scan_simple_json(std::string_view text, ChunkFields& fields) {
  return Scanner(text, fields).document();
}

}  // namespace joulebench
