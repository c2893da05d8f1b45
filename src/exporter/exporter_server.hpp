// The exporter's HTTP side (cpp-httplib): GET /metrics, /healthz and / on a bounded thread
// pool, everything else refused. Handlers only copy prepared text, so a scrape never waits
// for the sampler and the sampler never waits for a scrape.
//
// Bounds: request line and headers 8 KiB (cpp-httplib's build), body 1 KiB (GETs carry
// none), `threads` requests served at once, a process-wide token bucket (429 beyond it).
// A connection waits for each request's head in a ConnectionGate, holding no thread: 5 s for
// its first byte, 5 s in total for the whole head (so slow clients cannot hold the serving
// threads), up to 1024 waiting (the longest-waiting goes for a newcomer). Reading a request
// and writing its response take 5 s at most each. Serving threads run at nice +10 so that the
// sampler (nice 0) keeps its schedule on a machine saturated by scrapes. Thread-safety:
// start()/stop()/counters() from any thread; handlers run on pool threads.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <utility>

#include "exporter/exporter_metrics.hpp"
#include "exporter/listen_address.hpp"
#include "joulebench/error.hpp"

namespace joulebench::exporter {

struct ServerOptions {
  ListenAddress listen{"127.0.0.1", 9464};
  std::size_t threads = 64;    // requests served at once
  double rate_per_s = 100000;  // requests a second, all clients together
  double burst = 10000;
};

struct Health {
  bool ok = false;
  std::string reason;  // why not, when !ok
};

struct Endpoints {
  std::function<std::shared_ptr<const std::string>()> metrics;  // the cached /metrics text
  std::function<Health()> health;
  std::string page;  // the self-contained HTML of "/"
};

class ExporterServer {
 public:
  ExporterServer(ServerOptions options, Endpoints endpoints);
  ~ExporterServer();  // stops
  ExporterServer(const ExporterServer&) = delete;
  ExporterServer& operator=(const ExporterServer&) = delete;

  // Binds and starts serving on a thread of its own; the bound address (its port is the
  // one the system chose for port 0), or an Error naming --listen.
  Expected<ListenAddress> start();
  void stop();
  ServerCounters counters() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace joulebench::exporter
