#include "progress_line.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>

namespace joulebench::cli {
namespace {

constexpr auto kPlainEvery = std::chrono::seconds(10);

}  // namespace

ProgressLine::Mode ProgressLine::mode_for(bool quiet) {
  if (quiet) return Mode::off;
  return ::isatty(STDERR_FILENO) == 1 ? Mode::terminal : Mode::plain;
}

void ProgressLine::update(const std::string& line) {
  if (mode_ == Mode::terminal) {
    fmt::print(stderr, "\r\033[K{}", line);
    std::fflush(stderr);
    drawn_ = true;
    return;
  }
  const auto now = std::chrono::steady_clock::now();
  if (mode_ == Mode::plain && now - last_plain_ >= kPlainEvery) {
    fmt::print(stderr, "{}\n", line);
    last_plain_ = now;
  }
}

void ProgressLine::milestone(const std::string& line) {
  if (mode_ == Mode::off) return;
  clear();
  fmt::print(stderr, "{}\n", line);
  std::fflush(stderr);
  last_plain_ = std::chrono::steady_clock::now();
}

void ProgressLine::clear() {
  if (!drawn_) return;
  fmt::print(stderr, "\r\033[K");
  std::fflush(stderr);
  drawn_ = false;
}

std::string duration_words(double seconds) {
  const long total = std::lround(std::max(seconds, 0.0));
  if (total < 60) return fmt::format("{} s", total);
  if (total < 3600) return fmt::format("{} min {} s", total / 60, total % 60);
  return fmt::format("{} h {} min", total / 3600, (total % 3600) / 60);
}

}  // namespace joulebench::cli
