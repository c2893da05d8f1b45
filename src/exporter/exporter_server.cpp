#include "exporter/exporter_server.hpp"

#include <httplib.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "exporter/rate_limiter.hpp"

namespace joulebench::exporter {
namespace {

constexpr std::size_t kMaxBodyBytes = 1024;
constexpr std::size_t kKeepAliveRequests = 10000;
constexpr time_t kTimeoutS = 5;

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

double steady_seconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

}  // namespace

struct ExporterServer::Impl {
  ServerOptions options;
  Endpoints endpoints;
  httplib::Server server;
  RateLimiter limiter;
  std::atomic<std::uint64_t> requests{0};
  std::atomic<std::uint64_t> rate_limited{0};
  std::thread thread;

  Impl(ServerOptions o, Endpoints e)
      : options(std::move(o)), endpoints(std::move(e)), limiter(options.rate_per_s, options.burst) {}

  // Every request passes here first: count it, refuse what is not a GET, apply the bound.
  httplib::Server::HandlerResponse admit(const httplib::Request& request, httplib::Response& response) {
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
      response.set_content(text ? *text : std::string(), "text/plain; version=0.0.4; charset=utf-8");
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
    const std::size_t threads = options.threads;
    server.new_task_queue = [threads] { return new LowPriorityPool(threads); };
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
}

ServerCounters ExporterServer::counters() const {
  return {impl_->requests.load(std::memory_order_relaxed),
          impl_->rate_limited.load(std::memory_order_relaxed)};
}

}  // namespace joulebench::exporter
