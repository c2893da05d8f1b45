#include "event_loop.hpp"

#include <arpa/inet.h>
#include <fmt/format.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstring>
#include <iterator>

#include "platform/files.hpp"

namespace joulebench::test_server {
namespace {

constexpr int kMaxEvents = 512;
constexpr std::size_t kReadBytes = 64 * 1024;
constexpr std::size_t kMaxBufferedInput = kMaxHeaderBytes + kMaxBodyBytes;

std::int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

const char* reason_phrase(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 411:
      return "Length Required";
    case 413:
      return "Payload Too Large";
    case 429:
      return "Too Many Requests";
    case 431:
      return "Request Header Fields Too Large";
    default:
      return "Internal Server Error";
  }
}

Error system_error(const char* what) {
  return Error{std::string(what) + ": " + std::strerror(errno)};
}

}  // namespace

EventLoop::EventLoop(TestLlmServerOptions options) : options_(std::move(options)) {
  if (options_.tokens_per_chunk == 0) options_.tokens_per_chunk = 1;
  wake_fd_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  epoll_fd_ = epoll_create1(EPOLL_CLOEXEC);
}

EventLoop::~EventLoop() {
  for (auto& [fd, connection] : connections_) close(fd);
  if (listen_fd_ >= 0) close(listen_fd_);
  if (epoll_fd_ >= 0) close(epoll_fd_);
  if (wake_fd_ >= 0) close(wake_fd_);
}

Expected<std::uint16_t> EventLoop::bind() {
  if (wake_fd_ < 0 || epoll_fd_ < 0) return system_error("eventfd/epoll_create1");
  listen_fd_ = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (listen_fd_ < 0) return system_error("socket");
  const int one = 1;
  setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(options_.port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    return system_error("bind");
  }
  // A deep backlog: 1,000 clients connecting at once must not see dropped SYNs.
  if (listen(listen_fd_, 4096) != 0) return system_error("listen");
  socklen_t length = sizeof address;
  getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&address), &length);
  epoll_event listen_event{};
  listen_event.events = EPOLLIN;
  listen_event.data.fd = listen_fd_;
  epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, listen_fd_, &listen_event);
  epoll_event wake_event{};
  wake_event.events = EPOLLIN;
  wake_event.data.fd = wake_fd_;
  epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, wake_fd_, &wake_event);
  return ntohs(address.sin_port);
}

void EventLoop::stop() {
  const std::uint64_t one = 1;
  [[maybe_unused]] const auto written = write(wake_fd_, &one, sizeof one);
}

TestLlmServerStats EventLoop::stats() const {
  TestLlmServerStats stats;
  stats.requests = counters_.requests.load();
  stats.completed = counters_.completed.load();
  stats.tokens_sent = counters_.tokens_sent.load();
  stats.prompt_tokens = counters_.prompt_tokens.load();
  stats.running = counters_.running.load();
  stats.waiting = counters_.waiting.load();
  stats.max_running = counters_.max_running.load();
  stats.max_in_flight = counters_.max_in_flight.load();
  stats.connections = counters_.connections.load();
  return stats;
}

void EventLoop::run() {
  epoll_event events[kMaxEvents];
  while (!stopping_) {
    const int count = epoll_wait(epoll_fd_, events, kMaxEvents, wait_timeout_ms());
    for (int i = 0; i < count; ++i) {
      const int fd = events[i].data.fd;
      if (fd == wake_fd_) {
        stopping_ = true;
      } else if (fd == listen_fd_) {
        accept_all();
      } else if (auto found = connections_.find(fd); found != connections_.end()) {
        on_event(*found->second, events[i].events);
      }
    }
    if (!decoding_.empty() && now_ns() >= next_step_ns_) step();
    reap_dead();
    write_load_file();
  }
}

int EventLoop::wait_timeout_ms() const {
  if (decoding_.empty()) return -1;
  if (options_.token_delay_ms <= 0) {
    // As fast as sockets drain: spin only while some stream can take another token.
    const bool ready = std::any_of(decoding_.begin(), decoding_.end(),
                                   [this](const Connection* c) { return may_emit(*c); });
    return ready ? 0 : -1;
  }
  const std::int64_t wait_ns = std::max<std::int64_t>(0, next_step_ns_ - now_ns());
  return static_cast<int>((wait_ns + 999'999) / 1'000'000);
}

void EventLoop::accept_all() {
  for (;;) {
    const int fd = accept4(listen_fd_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) return;  // EAGAIN, or out of descriptors: the client will see it
    const int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    epoll_event event{};
    event.events = EPOLLIN | EPOLLRDHUP;
    event.data.fd = fd;
    epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd, &event);
    auto connection = std::make_unique<Connection>();
    connection->fd = fd;
    connections_[fd] = std::move(connection);
    counters_.connections.fetch_add(1);
  }
}

void EventLoop::on_event(Connection& connection, std::uint32_t events) {
  if (connection.dead) return;
  if (events & EPOLLOUT) flush(connection);
  if (events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)) read_input(connection);
}

void EventLoop::read_input(Connection& connection) {
  char buffer[kReadBytes];
  for (;;) {
    const ssize_t n = recv(connection.fd, buffer, sizeof buffer, 0);
    if (n > 0) {
      connection.in.append(buffer, static_cast<std::size_t>(n));
      if (connection.in.size() > kMaxBufferedInput) return kill(connection);
      continue;
    }
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
    return kill(connection);  // the peer closed or the connection broke
  }
  if (connection.state == State::kReading) process_input(connection);
}

void EventLoop::process_input(Connection& connection) {
  while (connection.state == State::kReading && !connection.dead) {
    ParsedRequest parsed = parse_http_request(connection.in);
    if (parsed.status == ParseStatus::kIncomplete) return;
    if (parsed.status == ParseStatus::kBad) {
      connection.keep_alive = false;
      respond(connection, parsed.error_status, "application/json",
              error_body(parsed.error_status, parsed.error));
      return;
    }
    connection.in.erase(0, parsed.consumed);
    connection.keep_alive = parsed.request.keep_alive;
    route(connection, std::move(parsed.request));
  }
}

void EventLoop::route(Connection& connection, HttpRequest&& request) {
  const std::string& path = request.path;
  const bool completions = path == "/v1/completions";
  const bool chat = path == "/v1/chat/completions";
  const bool get_path = path == "/health" || path == "/v1/models" || path == "/metrics";
  const bool authorized =
      options_.api_key.empty() || request.authorization == "Bearer " + options_.api_key;
  if ((completions || chat) && request.method == "POST" && !authorized) {
    respond(connection, 401, "application/json", error_body(401, "invalid API key"));
  } else if ((completions || chat) && request.method == "POST") {
    start_generation(connection, request, chat);
  } else if (get_path && request.method == "GET") {
    if (path == "/health") respond(connection, 200, "text/plain", "");
    if (path == "/metrics") respond(connection, 200, "text/plain; version=0.0.4", metrics_text());
    if (path == "/v1/models") {
      respond(connection, 200, "application/json",
              fmt::format(R"({{"object":"list","data":[{{"id":"{}","object":"model",)"
                          R"("created":0,"owned_by":"joulebench"}}]}})",
                          options_.generation.model));
    }
  } else if (completions || chat || get_path) {
    respond(connection, 405, "application/json", error_body(405, "method not allowed"));
  } else {
    respond(connection, 404, "application/json", error_body(404, "no such endpoint: " + path));
  }
}

std::string EventLoop::metrics_text() const {
  const TestLlmServerStats s = stats();
  const std::string label = fmt::format("{{model_name=\"{}\"}}", options_.generation.model);
  std::string text;
  auto metric = [&](const char* name, const char* type, std::uint64_t value, bool labelled) {
    text += fmt::format("# TYPE {} {}\n{}{} {}\n", name, type, name, labelled ? label : "", value);
  };
  metric("vllm:generation_tokens_total", "counter", s.tokens_sent, true);
  metric("vllm:prompt_tokens_total", "counter", s.prompt_tokens, true);
  metric("vllm:num_requests_running", "gauge", s.running, true);
  metric("vllm:num_requests_waiting", "gauge", s.waiting, true);
  metric("vllm:request_success_total", "counter", s.completed, true);
  metric("joulebench_test_server_requests_total", "counter", s.requests, false);
  metric("joulebench_test_server_max_running", "gauge", s.max_running, false);
  metric("joulebench_test_server_max_in_flight", "gauge", s.max_in_flight, false);
  return text;
}

std::string EventLoop::response_bytes(int status, std::string_view content_type,
                                      std::string_view body, bool keep_alive) const {
  return fmt::format(
      "HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\nConnection: {}\r\n\r\n{}",
      status, reason_phrase(status), content_type, body.size(), keep_alive ? "keep-alive" : "close",
      body);
}

void EventLoop::respond(Connection& connection, int status, std::string_view content_type,
                        std::string_view body) {
  send(connection, response_bytes(status, content_type, body, connection.keep_alive));
  if (!connection.keep_alive) {
    connection.state = State::kClosing;
    flush(connection);  // closes at once when everything went out
  }
}

void EventLoop::send(Connection& connection, std::string_view bytes) {
  queue(connection, bytes);
  flush(connection);
}

void EventLoop::queue(Connection& connection, std::string_view bytes) {
  if (!connection.dead) connection.out.append(bytes);
}

void EventLoop::queue_chunk(Connection& connection, std::string_view payload) {
  if (connection.dead) return;
  fmt::format_to(std::back_inserter(connection.out), "{:x}\r\n", payload.size());
  connection.out.append(payload);
  connection.out.append("\r\n");
}

void EventLoop::flush(Connection& connection) {
  while (!connection.dead && connection.out_done < connection.out.size()) {
    const ssize_t n = ::send(connection.fd, connection.out.data() + connection.out_done,
                             connection.out.size() - connection.out_done, MSG_NOSIGNAL);
    if (n > 0) {
      connection.out_done += static_cast<std::size_t>(n);
    } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      return watch_output(connection, true);
    } else {
      return kill(connection);
    }
  }
  if (connection.dead) return;
  connection.out.clear();
  connection.out_done = 0;
  watch_output(connection, false);
  if (connection.state == State::kClosing) kill(connection);
}

void EventLoop::watch_output(Connection& connection, bool watch) {
  if (connection.watching_out == watch) return;
  connection.watching_out = watch;
  epoll_event event{};
  event.events = EPOLLIN | EPOLLRDHUP | (watch ? EPOLLOUT : 0u);
  event.data.fd = connection.fd;
  epoll_ctl(epoll_fd_, EPOLL_CTL_MOD, connection.fd, &event);
}

void EventLoop::kill(Connection& connection) {
  if (connection.dead) return;
  leave_batch(connection);
  connection.dead = true;
  dead_.push_back(&connection);
}

void EventLoop::reap_dead() {
  if (dead_.empty()) return;
  std::erase_if(decoding_, [](const Connection* c) { return c->dead; });
  std::erase_if(waiting_, [](const Connection* c) { return c->dead; });
  for (Connection* connection : dead_) {
    const int fd = connection->fd;
    epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, fd, nullptr);
    close(fd);
    connections_.erase(fd);
  }
  dead_.clear();
  admit_waiting();
}

void EventLoop::write_load_file() {
  const auto running = static_cast<std::int64_t>(counters_.running.load());
  if (options_.load_file.empty() || running == last_load_written_) return;
  last_load_written_ = running;
  platform::write_file_atomically(options_.load_file, std::to_string(running) + "\n");
}

}  // namespace joulebench::test_server
