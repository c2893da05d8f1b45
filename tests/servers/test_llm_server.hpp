// A fake OpenAI-compatible LLM server for tests and benchmarks of the load generator and of
// J/token accounting. It decodes like a batched engine: every token_delay_ms, one step emits
// one chunk (of tokens_per_chunk tokens) for every running stream; at most batch_limit
// streams run, the others wait in FIFO order.
//
// It is a single-threaded epoll server on raw sockets rather than cpp-httplib: Debian's
// cpp-httplib 0.11 is a compiled library whose listen backlog (5) and thread-per-connection
// model are fixed at its build, so 1,000 concurrent streams meant 1,000 sleeping threads and
// dropped SYNs during ramp-up; one epoll loop holds them with one thread and sends each
// decode step's chunks back to back, as a real batched engine does.
//
// Endpoints: POST /v1/completions, POST /v1/chat/completions (streamed SSE or one JSON body),
// GET /v1/models, GET /health, GET /metrics (Prometheus text with vLLM's metric names).
// Thread-safety: start()/stop()/stats() may be called from any thread; run() blocks the
// calling thread until stop().
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>

#include "fake_generation.hpp"
#include "joulebench/error.hpp"

namespace joulebench::test_server {

struct TestLlmServerOptions {
  std::uint16_t port = 0;        // 0: a free port, chosen by the kernel (loopback only)
  double token_delay_ms = 10.0;  // time of one decode step; 0: as fast as sockets drain
  std::size_t batch_limit = 0;   // streams decoding at once; 0: no limit
  std::size_t tokens_per_chunk = 1;
  // When set, the number of decoding streams is written here (temp file + rename) each time
  // it changes; the fake NVML turns it into power.
  std::string load_file;
  FailMode mode = FailMode::kNormal;  // applied to every generation request
  std::size_t fail_every = 0;         // > 0: requests fail_every, 2*fail_every, ... use fail_mode
  FailMode fail_mode = FailMode::kHttp500;
  std::string api_key;  // when set, generation requests need "Authorization: Bearer KEY" (401)
  // Requests for another model get vLLM's 404 ("The model `x` does not exist.").
  bool strict_model = false;
  GenerationSettings generation;
};

// Counters since start. Thread-safety: a snapshot (plain values).
struct TestLlmServerStats {
  std::uint64_t requests = 0;       // generation requests received
  std::uint64_t completed = 0;      // generation requests answered in full
  std::uint64_t tokens_sent = 0;    // output tokens written to clients
  std::uint64_t prompt_tokens = 0;  // words in the prompts received
  std::uint64_t running = 0;        // decoding now
  std::uint64_t waiting = 0;        // queued behind batch_limit now
  std::uint64_t max_running = 0;    // most streams decoding at once
  std::uint64_t max_in_flight = 0;  // most generation requests open at once (running + waiting)
  std::uint64_t connections = 0;    // connections accepted
};

class EventLoop;

class TestLlmServer {
 public:
  explicit TestLlmServer(TestLlmServerOptions options);
  ~TestLlmServer();  // stops and joins a started server
  TestLlmServer(const TestLlmServer&) = delete;
  TestLlmServer& operator=(const TestLlmServer&) = delete;

  // Binds 127.0.0.1:port and listens; returns the port.
  Expected<std::uint16_t> bind();
  // Serves until stop(). Requires bind().
  void run();
  // bind() and run() on a background thread.
  Expected<std::uint16_t> start();
  // Ends run() soon. Async-signal-safe (one write to an eventfd).
  void stop();

  TestLlmServerStats stats() const;
  std::uint16_t port() const { return port_; }

 private:
  std::unique_ptr<EventLoop> loop_;
  std::thread thread_;
  std::uint16_t port_ = 0;
};

}  // namespace joulebench::test_server
