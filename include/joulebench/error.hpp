// Errors are values at boundaries: parsers and loaders return Expected<T>.
// The CLI prints Error::what_line() as "error: FILE:LINE: message" and exits 2.
#pragma once

#include <cstddef>
#include <string>
#include <utility>
#include <variant>

namespace joulebench {

struct Error {
  std::string message;  // what is wrong, naming the flag or field
  std::string file;     // input file, empty when not about a file
  std::size_t line = 0; // 1-based line in `file`, 0 when unknown

  // "FILE:LINE: message", "FILE: message" or "message".
  std::string what_line() const {
    if (file.empty()) return message;
    if (line == 0) return file + ": " + message;
    return file + ":" + std::to_string(line) + ": " + message;
  }
};

// A minimal std::expected stand-in (C++23 is not available with g++ 12).
template <class T>
class Expected {
 public:
  Expected(T value) : state_(std::move(value)) {}  // NOLINT: implicit by design
  Expected(Error error) : state_(std::move(error)) {}  // NOLINT: implicit by design

  bool has_value() const { return state_.index() == 0; }
  explicit operator bool() const { return has_value(); }

  T& value() & { return std::get<0>(state_); }
  const T& value() const& { return std::get<0>(state_); }
  T&& value() && { return std::get<0>(std::move(state_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  const Error& error() const { return std::get<1>(state_); }

 private:
  std::variant<T, Error> state_;
};

}  // namespace joulebench
