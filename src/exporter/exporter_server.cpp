#include "exporter/exporter_server.hpp"

#include <arpa/inet.h>
#include <httplib.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstring>
#include <optional>
#include <thread>

#include "exporter/connection_gate.hpp"
#include "exporter/rate_limiter.hpp"
#include "platform/time_format.hpp"

namespace joulebench::exporter {
namespace {

constexpr std::size_t kMaxBodyBytes = 1024;
constexpr std::size_t kKeepAliveRequests = 10000;
constexpr time_t kTimeoutS = 5;
// Connections waiting for a request head (in the gate, holding no thread) before the one
// waiting longest is closed for a newcomer.
constexpr std::size_t kMaxWaitingConnections = 1024;

using Clock = std::chrono::steady_clock;

// Serving threads run at a lower CPU priority (nice +10) than the sampler: on a machine
// saturated by scrapes, the kernel still runs the sampler's round on time. Raising one's own
// niceness needs no privilege; Linux applies it per thread.
constexpr int kServingNiceness = 10;

void lower_this_threads_priority() {
  thread_local bool lowered = false;
  if (lowered) return;
  lowered = true;
  setpriority(PRIO_PROCESS, static_cast<id_t>(syscall(SYS_gettid)), kServingNiceness);
}

// cpp-httplib's pool, with every task run at the serving priority.
class LowPriorityPool final : public httplib::TaskQueue {
 public:
  explicit LowPriorityPool(std::size_t threads) : pool_(threads) {}
  void enqueue(std::function<void()> task) override {
    pool_.enqueue([task = std::move(task)] {
      lower_this_threads_priority();
      task();
    });
  }
  void shutdown() override { pool_.shutdown(); }

 private:
  httplib::ThreadPool pool_;
};

// The accept loop's queue: runs each task at once on the accept thread. The task only hands
// the new socket to the gate (GatedServer::process_and_close_socket), so it never blocks.
class InlineQueue final : public httplib::TaskQueue {
 public:
  void enqueue(std::function<void()> task) override { task(); }
  void shutdown() override {}
};

// Waits until `fd` is ready for `events` or `deadline` passes; false on timeout or error.
bool wait_for(int fd, short events, Clock::time_point deadline) {
  for (;;) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() < 0) return false;
    pollfd entry{fd, events, 0};
    const int ready = ::poll(&entry, 1, static_cast<int>(left.count()));
    if (ready > 0) return true;
    if (ready == 0) return false;
    if (errno != EINTR) return false;
  }
}

void address_of(const sockaddr_storage& address, std::string& ip, int& port) {
  char text[INET6_ADDRSTRLEN] = {};
  if (address.ss_family == AF_INET) {
    const auto& v4 = reinterpret_cast<const sockaddr_in&>(address);
    ::inet_ntop(AF_INET, &v4.sin_addr, text, sizeof text);
    port = ntohs(v4.sin_port);
  } else if (address.ss_family == AF_INET6) {
    const auto& v6 = reinterpret_cast<const sockaddr_in6&>(address);
    ::inet_ntop(AF_INET6, &v6.sin6_addr, text, sizeof text);
    port = ntohs(v6.sin6_port);
  }
  ip = text;
}

// One request on a gated connection: reads the bytes the gate already holds first, then the
// socket; every read within kTimeoutS of the request's hand-over, every write within
// kTimeoutS of the response's first byte (totals, not per call).
class ConnectionStream final : public httplib::Stream {
 public:
  explicit ConnectionStream(Connection& connection)
      : connection_(connection), read_deadline_(Clock::now() + std::chrono::seconds(kTimeoutS)) {}

  bool is_readable() const override {
    return !connection_.buffered.empty() || wait_for(connection_.fd, POLLIN, read_deadline_);
  }
  bool is_writable() const override { return wait_for(connection_.fd, POLLOUT, write_deadline()); }

  ssize_t read(char* ptr, size_t size) override {
    if (!connection_.buffered.empty()) {
      const std::size_t taken = std::min(size, connection_.buffered.size());
      std::memcpy(ptr, connection_.buffered.data(), taken);
      connection_.buffered.erase(0, taken);
      return static_cast<ssize_t>(taken);
    }
    for (;;) {
      const ssize_t got = ::recv(connection_.fd, ptr, size, 0);
      if (got >= 0) return got;
      if (errno == EINTR) continue;
      if (errno != EAGAIN && errno != EWOULDBLOCK) return -1;
      if (!wait_for(connection_.fd, POLLIN, read_deadline_)) return -1;
    }
  }

  ssize_t write(const char* ptr, size_t size) override {
    for (;;) {
      const ssize_t sent = ::send(connection_.fd, ptr, size, MSG_NOSIGNAL);
      if (sent >= 0) return sent;
      if (errno == EINTR) continue;
      if (errno != EAGAIN && errno != EWOULDBLOCK) return -1;
      if (!wait_for(connection_.fd, POLLOUT, write_deadline())) return -1;
    }
  }

  void get_remote_ip_and_port(std::string& ip, int& port) const override {
    sockaddr_storage address{};
    socklen_t length = sizeof address;
    if (::getpeername(connection_.fd, reinterpret_cast<sockaddr*>(&address), &length) == 0) {
      address_of(address, ip, port);
    }
  }
  void get_local_ip_and_port(std::string& ip, int& port) const override {
    sockaddr_storage address{};
    socklen_t length = sizeof address;
    if (::getsockname(connection_.fd, reinterpret_cast<sockaddr*>(&address), &length) == 0) {
      address_of(address, ip, port);
    }
  }
  socket_t socket() const override { return connection_.fd; }

 private:
  Clock::time_point write_deadline() const {
    if (!write_deadline_) write_deadline_ = Clock::now() + std::chrono::seconds(kTimeoutS);
    return *write_deadline_;
  }

  Connection& connection_;
  Clock::time_point read_deadline_;
  mutable std::optional<Clock::time_point> write_deadline_;
};

// cpp-httplib's server with connections routed through a ConnectionGate: the accept loop
// hands each socket to the gate, and pool threads serve one whole request at a time.
class GatedServer final : public httplib::Server {
 public:
  void start_serving(std::size_t threads) {
    pool_ = std::make_unique<LowPriorityPool>(threads);
    gate_ = std::make_unique<ConnectionGate>(
        GateOptions{std::chrono::seconds(kTimeoutS), std::chrono::seconds(kTimeoutS), 8192,
                    kMaxWaitingConnections},
        [this](std::shared_ptr<Connection> connection) {
          pool_->enqueue([this, connection = std::move(connection)]() mutable {
            serve_one(std::move(connection));
          });
        });
    new_task_queue = [] { return new InlineQueue(); };
  }

  ~GatedServer() override { stop_serving(); }

  // cpp-httplib listens with a backlog of 5: a burst of connections (slow clients opening
  // many) then drops a scrape's SYN, which the client retries only after a second. Calling
  // listen() again on the bound socket raises the backlog (Linux).
  void widen_backlog() { ::listen(svr_sock_, SOMAXCONN); }

  // After the accept loop ended: close waiting connections, finish the requests in hand
  // (their connections are then closed by the stopped gate). Idempotent.
  void stop_serving() {
    if (gate_) gate_->stop();
    if (pool_) pool_->shutdown();
    pool_.reset();
    gate_.reset();
  }

 private:
  bool process_and_close_socket(socket_t sock) override {
    gate_->admit(sock);
    return true;
  }

  void serve_one(std::shared_ptr<Connection> connection) {
    ConnectionStream stream(*connection);
    ++connection->requests;
    const bool last = connection->requests >= kKeepAliveRequests || !is_running();
    bool closed = false;
    const bool ok = process_request(stream, last, closed, nullptr);
    if (ok && !closed && !last) gate_->wait_again(std::move(connection));
  }

  std::unique_ptr<LowPriorityPool> pool_;
  std::unique_ptr<ConnectionGate> gate_;
};

double steady_seconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

}  // namespace

struct ExporterServer::Impl {
  ServerOptions options;
  Endpoints endpoints;
  GatedServer server;
  RateLimiter limiter;
  std::atomic<std::uint64_t> requests{0};
  std::atomic<std::uint64_t> rate_limited{0};
  std::thread thread;

  Impl(ServerOptions o, Endpoints e)
      : options(std::move(o)),
        endpoints(std::move(e)),
        limiter(options.rate_per_s, options.burst) {}

  // Every request passes here first: count it, refuse what is not a GET, apply the bound.
  httplib::Server::HandlerResponse admit(const httplib::Request& request,
                                         httplib::Response& response) {
    requests.fetch_add(1, std::memory_order_relaxed);
    if (request.method != "GET" && request.method != "HEAD") {
      response.status = 405;
      response.set_header("Allow", "GET, HEAD");
      response.set_content("only GET\n", "text/plain");
      return httplib::Server::HandlerResponse::Handled;
    }
    if (!limiter.allow(steady_seconds())) {
      rate_limited.fetch_add(1, std::memory_order_relaxed);
      response.status = 429;
      response.set_header("Retry-After", "1");
      response.set_content("too many requests\n", "text/plain");
      return httplib::Server::HandlerResponse::Handled;
    }
    return httplib::Server::HandlerResponse::Unhandled;
  }

  void route() {
    server.set_pre_routing_handler(
        [this](const httplib::Request& q, httplib::Response& r) { return admit(q, r); });
    server.Get("/metrics", [this](const httplib::Request&, httplib::Response& response) {
      const auto text = endpoints.metrics();
      // The server's clock, for scrapers that time readings against their own (--energy-from).
      response.set_header("Date", platform::http_date(std::chrono::system_clock::now()));
      response.set_content(text ? *text : std::string(),
                           "text/plain; version=0.0.4; charset=utf-8");
    });
    server.Get("/healthz", [this](const httplib::Request&, httplib::Response& response) {
      const Health health = endpoints.health();
      response.status = health.ok ? 200 : 503;
      response.set_content(health.ok ? "ok\n" : health.reason + "\n", "text/plain");
    });
    server.Get("/", [this](const httplib::Request&, httplib::Response& response) {
      response.set_content(endpoints.page, "text/html; charset=utf-8");
    });
  }

  void configure() {
    server.start_serving(options.threads);
    server.set_payload_max_length(kMaxBodyBytes);
    server.set_keep_alive_max_count(kKeepAliveRequests);
    server.set_read_timeout(kTimeoutS, 0);
    server.set_write_timeout(kTimeoutS, 0);
    server.set_tcp_nodelay(true);
  }
};

ExporterServer::ExporterServer(ServerOptions options, Endpoints endpoints)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(endpoints))) {
  impl_->configure();
  impl_->route();
}

ExporterServer::~ExporterServer() { stop(); }

Expected<ListenAddress> ExporterServer::start() {
  ListenAddress bound = impl_->options.listen;
  const std::string where = listen_url(bound);
  if (bound.port == 0) {
    bound.port = impl_->server.bind_to_any_port(bound.host);
    if (bound.port < 0) return Error{"--listen: cannot bind " + where};
  } else if (!impl_->server.bind_to_port(bound.host, bound.port)) {
    return Error{"--listen: cannot bind " + where + " (in use, or not an address of this host)"};
  }
  impl_->server.widen_backlog();
  impl_->thread = std::thread([this] {
    lower_this_threads_priority();  // the accept loop too
    impl_->server.listen_after_bind();
  });
  return bound;
}

void ExporterServer::stop() {
  if (!impl_ || !impl_->thread.joinable()) return;
  impl_->server.stop();
  impl_->thread.join();
  impl_->server.stop_serving();
}

ServerCounters ExporterServer::counters() const {
  return {impl_->requests.load(std::memory_order_relaxed),
          impl_->rate_limited.load(std::memory_order_relaxed)};
}

}  // namespace joulebench::exporter
