// Progress of long work on stderr, for a person at a terminal and for a log alike: on a
// terminal one line redrawn in place; elsewhere (CI, nohup, a pipe) plain lines, one per
// milestone and at most one other every 10 s, so that a log shows where the work is without
// filling up. Off with --quiet. Not thread-safe (one caller).
#pragma once

#include <chrono>
#include <string>

namespace joulebench::cli {

class ProgressLine {
 public:
  enum class Mode { off, terminal, plain };
  explicit ProgressLine(Mode mode) : mode_(mode) {}
  // off when quiet, terminal when stderr is one, plain otherwise.
  static Mode mode_for(bool quiet);
  Mode mode() const { return mode_; }

  // A state that goes by (redrawn on a terminal; in a log at most every 10 s).
  void update(const std::string& line);
  // Something a log must show: a level starting, its window opening.
  void milestone(const std::string& line);
  // Clears a drawn line (call before printing other output).
  void clear();

 private:
  Mode mode_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point last_plain_{};
};

// "8 min 10 s", "45 s", "1 h 3 min".
std::string duration_words(double seconds);

}  // namespace joulebench::cli
