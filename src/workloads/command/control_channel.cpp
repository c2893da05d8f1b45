#include "workloads/command/control_channel.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstdlib>
#include <cstring>

namespace joulebench {
namespace {

constexpr std::size_t kMaxLineBytes = 4096;

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r')) {
    text.remove_suffix(1);
  }
  return text;
}

// Splits "verb rest" at the first blank.
std::pair<std::string_view, std::string_view> split_word(std::string_view text) {
  const auto blank = text.find_first_of(" \t");
  if (blank == std::string_view::npos) return {text, {}};
  return {text.substr(0, blank), trim(text.substr(blank))};
}

Error control_error(std::string message, std::size_t line_number) {
  return Error{std::move(message), "JOULEBENCH_CONTROL", line_number};
}

}  // namespace

Expected<ControlEvent> parse_control_line(std::string_view line, std::size_t line_number) {
  const auto [verb, rest] = split_word(trim(line));
  if (verb == "begin" || verb == "end") {
    if (rest.empty()) return control_error(std::string(verb) + ": missing window name", line_number);
    if (rest.find_first_of(" \t") != std::string_view::npos) {
      return control_error(std::string(verb) + ": window name must not contain blanks", line_number);
    }
    if (verb == "begin") return ControlEvent{ControlBegin{std::string(rest)}};
    return ControlEvent{ControlEnd{std::string(rest)}};
  }
  if (verb == "tokens") {
    const auto [count, window] = split_word(rest);
    std::uint64_t tokens = 0;
    const auto [end, ec] = std::from_chars(count.data(), count.data() + count.size(), tokens);
    if (count.empty() || ec != std::errc() || end != count.data() + count.size()) {
      return control_error("tokens: '" + std::string(count) + "' is not a non-negative integer",
                           line_number);
    }
    return ControlEvent{ControlTokens{tokens, std::string(window)}};
  }
  return control_error("unknown command '" + std::string(verb) + "' (expected begin, end, tokens)",
                       line_number);
}

Expected<std::unique_ptr<ControlChannel>> ControlChannel::open(Handler on_event,
                                                               WarningHandler on_warning) {
  char pattern[] = "/tmp/joulebench-control-XXXXXX";
  if (::mkdtemp(pattern) == nullptr) return Error{std::string("mkdtemp: ") + std::strerror(errno)};
  const std::string directory = pattern;
  const std::string path = directory + "/control";
  if (::mkfifo(path.c_str(), 0600) != 0) {
    const std::string why = std::strerror(errno);
    ::rmdir(directory.c_str());
    return Error{"mkfifo " + path + ": " + why};
  }
  // Non-blocking open for reading succeeds at once; then our own writer keeps the FIFO open.
  const int read_fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  const int keep_open_fd = read_fd >= 0 ? ::open(path.c_str(), O_WRONLY | O_CLOEXEC) : -1;
  const int wake_fd = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (read_fd < 0 || keep_open_fd < 0 || wake_fd < 0) {
    const std::string why = std::strerror(errno);
    for (int fd : {read_fd, keep_open_fd, wake_fd}) {
      if (fd >= 0) ::close(fd);
    }
    ::unlink(path.c_str());
    ::rmdir(directory.c_str());
    return Error{"cannot open control FIFO " + path + ": " + why};
  }
  return std::unique_ptr<ControlChannel>(new ControlChannel(directory, path, read_fd, keep_open_fd,
                                                            wake_fd, std::move(on_event),
                                                            std::move(on_warning)));
}

ControlChannel::ControlChannel(std::string directory, std::string path, int read_fd,
                               int keep_open_fd, int wake_fd, Handler on_event,
                               WarningHandler on_warning)
    : directory_(std::move(directory)),
      path_(std::move(path)),
      read_fd_(read_fd),
      keep_open_fd_(keep_open_fd),
      wake_fd_(wake_fd),
      on_event_(std::move(on_event)),
      on_warning_(std::move(on_warning)) {
  reader_ = std::thread([this] { read_loop(); });
}

ControlChannel::~ControlChannel() {
  drain_and_stop();
  for (int fd : {read_fd_, keep_open_fd_, wake_fd_}) ::close(fd);
  ::unlink(path_.c_str());
  ::rmdir(directory_.c_str());
}

void ControlChannel::drain_and_stop() {
  if (!reader_.joinable()) return;
  stopping_.store(true);
  const std::uint64_t one = 1;
  [[maybe_unused]] auto written = ::write(wake_fd_, &one, sizeof one);
  reader_.join();
}

void ControlChannel::read_loop() {
  char buffer[4096];
  pollfd fds[2] = {{read_fd_, POLLIN, 0}, {wake_fd_, POLLIN, 0}};
  while (true) {
    const int ready = ::poll(fds, 2, -1);
    if (ready < 0 && errno != EINTR) break;
    // Read everything available before honouring a stop, so no line written is lost.
    ssize_t got;
    while ((got = ::read(read_fd_, buffer, sizeof buffer)) > 0) {
      handle_bytes(std::string_view(buffer, static_cast<std::size_t>(got)));
    }
    if (stopping_.load()) break;
  }
  if (!pending_.empty()) handle_line(pending_);
  pending_.clear();
}

void ControlChannel::handle_bytes(std::string_view bytes) {
  while (!bytes.empty()) {
    const auto newline = bytes.find('\n');
    if (newline == std::string_view::npos) {
      pending_.append(bytes);
      if (pending_.size() > kMaxLineBytes) {
        on_warning_(control_error("line longer than 4096 bytes ignored", ++line_number_).what_line());
        pending_.clear();
      }
      return;
    }
    pending_.append(bytes.substr(0, newline));
    handle_line(pending_);
    pending_.clear();
    bytes.remove_prefix(newline + 1);
  }
}

void ControlChannel::handle_line(std::string_view line) {
  ++line_number_;
  if (trim(line).empty()) return;
  auto event = parse_control_line(line, line_number_);
  if (!event) {
    on_warning_(event.error().what_line());
    return;
  }
  on_event_(*event);
}

}  // namespace joulebench
