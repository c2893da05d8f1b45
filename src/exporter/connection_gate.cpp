#include "exporter/connection_gate.hpp"

#include <fcntl.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <vector>

namespace joulebench::exporter {
namespace {

using Clock = std::chrono::steady_clock;

// The gate's own tick: how late a deadline may be noticed.
constexpr int kTickMs = 100;
constexpr std::size_t kReadChunkBytes = 4096;

enum class Progress { waiting, ready, closed };

// Reads what has arrived (the socket is non-blocking) and says whether the head is complete.
Progress read_available(Connection& connection, std::size_t max_header_bytes) {
  char chunk[kReadChunkBytes];
  while (connection.buffered.size() < max_header_bytes) {
    const ssize_t got = ::recv(connection.fd, chunk, sizeof chunk, 0);
    if (got > 0) {
      connection.buffered.append(chunk, static_cast<std::size_t>(got));
      continue;
    }
    if (got < 0 && errno == EINTR) continue;
    if (got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
    return Progress::closed;  // EOF or error
  }
  if (has_request_head(connection.buffered) || connection.buffered.size() >= max_header_bytes) {
    return Progress::ready;
  }
  return Progress::waiting;
}

}  // namespace

Connection::~Connection() {
  if (fd >= 0) {
    ::shutdown(fd, SHUT_RDWR);
    ::close(fd);
  }
}

bool has_request_head(const std::string& bytes) {
  return bytes.find("\r\n\r\n") != std::string::npos;
}

struct ConnectionGate::Impl {
  struct Waiting {
    std::shared_ptr<Connection> connection;
    Clock::time_point entered;
    Clock::time_point deadline;
    bool started = false;  // a byte of the next request has arrived
  };

  GateOptions options;
  Ready ready;
  int epoll_fd = -1;
  int wake_fd = -1;
  std::atomic<bool> running{true};
  std::atomic<std::size_t> timed_out{0};
  std::mutex inbox_mutex;
  std::vector<std::shared_ptr<Connection>> inbox;  // handed over by other threads
  std::unordered_map<int, Waiting> waiting;        // the gate thread's only
  std::thread thread;

  Impl(GateOptions o, Ready r) : options(o), ready(std::move(r)) {
    epoll_fd = ::epoll_create1(EPOLL_CLOEXEC);
    wake_fd = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    epoll_event event{};
    event.events = EPOLLIN;
    event.data.fd = wake_fd;
    ::epoll_ctl(epoll_fd, EPOLL_CTL_ADD, wake_fd, &event);
    thread = std::thread([this] { loop(); });
  }

  ~Impl() {
    ::close(epoll_fd);
    ::close(wake_fd);
  }

  void hand_over(std::shared_ptr<Connection> connection) {
    {
      std::lock_guard lock(inbox_mutex);
      if (!running.load()) return;  // dropping it closes it
      inbox.push_back(std::move(connection));
    }
    const std::uint64_t one = 1;
    [[maybe_unused]] auto written = ::write(wake_fd, &one, sizeof one);
  }

  void dispatch(std::shared_ptr<Connection> connection) {
    ::epoll_ctl(epoll_fd, EPOLL_CTL_DEL, connection->fd, nullptr);
    ready(std::move(connection));
  }

  // Makes room for one more: the connection waiting longest goes.
  void evict_if_full() {
    if (waiting.size() < options.max_waiting || waiting.empty()) return;
    auto oldest = waiting.begin();
    for (auto it = waiting.begin(); it != waiting.end(); ++it) {
      if (it->second.entered < oldest->second.entered) oldest = it;
    }
    ::epoll_ctl(epoll_fd, EPOLL_CTL_DEL, oldest->first, nullptr);
    timed_out.fetch_add(1, std::memory_order_relaxed);
    waiting.erase(oldest);  // closes it
  }

  void take_inbox() {
    std::uint64_t count = 0;
    [[maybe_unused]] auto got = ::read(wake_fd, &count, sizeof count);
    std::vector<std::shared_ptr<Connection>> arrived;
    {
      std::lock_guard lock(inbox_mutex);
      arrived.swap(inbox);
    }
    const auto now = Clock::now();
    for (auto& connection : arrived) {
      // A pipelined request may already be here in full.
      if (has_request_head(connection->buffered)) {
        ready(std::move(connection));
        continue;
      }
      evict_if_full();
      const bool started = !connection->buffered.empty();
      const auto deadline = now + (started ? options.header_timeout : options.idle_timeout);
      epoll_event event{};
      event.events = EPOLLIN | EPOLLRDHUP;
      event.data.fd = connection->fd;
      if (::epoll_ctl(epoll_fd, EPOLL_CTL_ADD, connection->fd, &event) != 0) continue;
      const int fd = connection->fd;
      waiting[fd] = Waiting{std::move(connection), now, deadline, started};
    }
  }

  void on_readable(int fd) {
    auto found = waiting.find(fd);
    if (found == waiting.end()) return;
    Waiting& entry = found->second;
    const Progress progress = read_available(*entry.connection, options.max_header_bytes);
    if (progress == Progress::closed) {
      ::epoll_ctl(epoll_fd, EPOLL_CTL_DEL, fd, nullptr);
      waiting.erase(found);
      return;
    }
    if (progress == Progress::ready) {
      auto connection = std::move(entry.connection);
      waiting.erase(found);
      dispatch(std::move(connection));
      return;
    }
    if (!entry.started && !entry.connection->buffered.empty()) {
      // The whole head must follow within header_timeout of its first byte, however slowly
      // it trickles in: a per-read timeout would let one byte a second go on forever.
      entry.started = true;
      entry.deadline = Clock::now() + options.header_timeout;
    }
  }

  void expire() {
    const auto now = Clock::now();
    for (auto it = waiting.begin(); it != waiting.end();) {
      if (it->second.deadline <= now) {
        ::epoll_ctl(epoll_fd, EPOLL_CTL_DEL, it->first, nullptr);
        timed_out.fetch_add(1, std::memory_order_relaxed);
        it = waiting.erase(it);  // closes it
      } else {
        ++it;
      }
    }
  }

  void loop() {
    std::vector<epoll_event> events(256);
    auto next_expiry = Clock::now();
    while (running.load()) {
      const int count =
          ::epoll_wait(epoll_fd, events.data(), static_cast<int>(events.size()), kTickMs);
      for (int i = 0; i < count; ++i) {
        if (events[i].data.fd == wake_fd) {
          take_inbox();
        } else {
          on_readable(events[i].data.fd);
        }
      }
      if (Clock::now() >= next_expiry) {
        expire();
        next_expiry = Clock::now() + std::chrono::milliseconds(kTickMs);
      }
    }
    waiting.clear();
  }

  void stop() {
    {
      std::lock_guard lock(inbox_mutex);
      if (!running.exchange(false)) return;
      inbox.clear();
    }
    const std::uint64_t one = 1;
    [[maybe_unused]] auto written = ::write(wake_fd, &one, sizeof one);
    if (thread.joinable()) thread.join();
  }
};

ConnectionGate::ConnectionGate(GateOptions options, Ready ready)
    : impl_(std::make_unique<Impl>(options, std::move(ready))) {}

ConnectionGate::~ConnectionGate() { stop(); }

void ConnectionGate::admit(int socket_fd) {
  const int flags = ::fcntl(socket_fd, F_GETFL, 0);
  ::fcntl(socket_fd, F_SETFL, flags | O_NONBLOCK);
  impl_->hand_over(std::make_shared<Connection>(socket_fd));
}

void ConnectionGate::wait_again(std::shared_ptr<Connection> connection) {
  impl_->hand_over(std::move(connection));
}

void ConnectionGate::stop() { impl_->stop(); }

std::size_t ConnectionGate::timed_out() const {
  return impl_->timed_out.load(std::memory_order_relaxed);
}

}  // namespace joulebench::exporter
