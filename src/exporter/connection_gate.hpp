// Holds the exporter's connections while they wait for a request's head, so that slow or
// idle clients never hold a serving thread (Slowloris).
//
// cpp-httplib gives each connection a pool thread for its whole life and bounds each read
// (5 s), not a request: a client sending one header byte a second holds a thread forever,
// and `--threads` such clients stop /metrics for everyone. Here one thread waits on every
// connection at once (epoll) and hands a connection to the serving pool only once a whole
// request head has arrived; after the response, a kept-alive connection comes back.
//
// Bounds: a connection waits at most `idle_timeout` for the first byte of a request, and at
// most `header_timeout` in total from that byte to the end of the head; at most
// `max_waiting` connections wait at once, and a new one then evicts the one waiting
// longest, so new clients (a Prometheus scrape) always get in.
// Thread-safety: admit()/wait_again()/stop() from any thread; `ready` runs on the gate's
// thread and must not block.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>

namespace joulebench::exporter {

// An accepted connection (non-blocking socket) and the bytes read from it that the request
// parser has not consumed yet. Closed on destruction.
struct Connection {
  explicit Connection(int socket_fd) : fd(socket_fd) {}
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  int fd;
  std::string buffered;
  std::size_t requests = 0;  // served on this connection so far
};

struct GateOptions {
  std::chrono::milliseconds idle_timeout{5000};    // waiting for a request's first byte
  std::chrono::milliseconds header_timeout{5000};  // first byte to end of head, in total
  std::size_t max_header_bytes = 8192;             // handed on as is beyond: the parser refuses it
  std::size_t max_waiting = 1024;
};

// True when `bytes` holds a whole request head (request line and headers, CRLF CRLF).
bool has_request_head(const std::string& bytes);

class ConnectionGate {
 public:
  using Ready = std::function<void(std::shared_ptr<Connection>)>;

  ConnectionGate(GateOptions options, Ready ready);
  ~ConnectionGate();  // stops
  ConnectionGate(const ConnectionGate&) = delete;
  ConnectionGate& operator=(const ConnectionGate&) = delete;

  void admit(int socket_fd);                                // a new connection
  void wait_again(std::shared_ptr<Connection> connection);  // kept alive after a response
  void stop();                                              // closes every waiting connection

  std::size_t timed_out() const;  // connections closed for a deadline or evicted, so far

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace joulebench::exporter
