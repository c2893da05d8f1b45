// The channel through which a wrapped command talks to `joulebench run`.
//
// joulebench creates a FIFO and passes its path in JOULEBENCH_CONTROL. The command writes
// lines to it (flushing after each):
//   begin NAME         start a measurement window now (e.g. after its own warm-up)
//   end NAME           end that window
//   tokens N [NAME]    N tokens were generated, in window NAME, or in every open window
// A FIFO (not a file that is polled) makes window boundaries precise to the moment the
// line is written. Malformed lines are the command's mistake: they become warnings with a
// line number, and the run goes on.
//
// Thread-safety: events are delivered on the channel's own reader thread.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <thread>
#include <variant>
#include <vector>

#include "joulebench/error.hpp"

namespace joulebench {

struct ControlBegin {
  std::string window;
};
struct ControlEnd {
  std::string window;
};
struct ControlTokens {
  std::uint64_t tokens = 0;
  std::string window;  // empty: every open window
};
using ControlEvent = std::variant<ControlBegin, ControlEnd, ControlTokens>;

// Parses one line of the protocol (without its newline). `line_number` goes into the error.
Expected<ControlEvent> parse_control_line(std::string_view line, std::size_t line_number);

class ControlChannel {
 public:
  using Handler = std::function<void(const ControlEvent&)>;
  using WarningHandler = std::function<void(const std::string&)>;

  // Creates the FIFO in a fresh temporary directory and starts reading it.
  static Expected<std::unique_ptr<ControlChannel>> open(Handler on_event, WarningHandler on_warning);
  ~ControlChannel();  // stops the reader, removes the FIFO and its directory
  ControlChannel(const ControlChannel&) = delete;
  ControlChannel& operator=(const ControlChannel&) = delete;

  const std::string& path() const { return path_; }
  // A private directory that lives as long as the channel (for the result file).
  const std::string& directory() const { return directory_; }

  // Delivers every line written so far, then stops the reader. Call after the command exited.
  void drain_and_stop();

 private:
  ControlChannel(std::string directory, std::string path, int read_fd, int keep_open_fd,
                 int wake_fd, Handler on_event, WarningHandler on_warning);
  void read_loop();
  void handle_bytes(std::string_view bytes);
  void handle_line(std::string_view line);

  std::string directory_;
  std::string path_;
  int read_fd_;
  int keep_open_fd_;  // our own writer, so the reader never sees EOF between writers
  int wake_fd_;       // eventfd that ends the reader's poll
  Handler on_event_;
  WarningHandler on_warning_;
  std::string pending_;
  std::size_t line_number_ = 0;
  std::atomic<bool> stopping_{false};
  std::thread reader_;
};

}  // namespace joulebench
