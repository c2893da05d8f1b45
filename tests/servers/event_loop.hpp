// The test LLM server's single-threaded epoll loop (see test_llm_server.hpp). Socket and
// HTTP handling live in event_loop.cpp, the batched decode steps in decode_steps.cpp.
// Thread-safety: run() on one thread; stop() and stats() from any thread.
#pragma once

#include <atomic>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "fake_generation.hpp"
#include "http_request.hpp"
#include "test_llm_server.hpp"

namespace joulebench::test_server {

class EventLoop {
 public:
  explicit EventLoop(TestLlmServerOptions options);
  ~EventLoop();
  EventLoop(const EventLoop&) = delete;
  EventLoop& operator=(const EventLoop&) = delete;

  Expected<std::uint16_t> bind();
  void run();
  void stop();
  TestLlmServerStats stats() const;

 private:
  enum class State { kReading, kQueued, kDecoding, kStalled, kClosing };

  struct Stream {
    GenerationPlan plan;
    FailMode fail = FailMode::kNormal;
    std::size_t sent = 0;  // tokens generated so far
  };

  struct Connection {
    int fd = -1;
    State state = State::kReading;
    std::string in;   // received, not yet parsed
    std::string out;  // to send, from out_done on
    std::size_t out_done = 0;
    std::optional<Stream> stream;
    bool keep_alive = true;
    bool watching_out = false;  // EPOLLOUT registered
    bool dead = false;          // to be closed at the end of this loop turn
  };

  struct Counters {
    std::atomic<std::uint64_t> requests{0}, completed{0}, tokens_sent{0}, prompt_tokens{0},
        running{0}, waiting{0}, max_running{0}, max_in_flight{0}, connections{0};
  };

  // event_loop.cpp: sockets, HTTP and routing.
  void accept_all();
  void on_event(Connection& connection, std::uint32_t events);
  void read_input(Connection& connection);
  void process_input(Connection& connection);
  void route(Connection& connection, HttpRequest&& request);
  void respond(Connection& connection, int status, std::string_view content_type,
               std::string_view body);
  std::string metrics_text() const;
  std::string response_bytes(int status, std::string_view content_type, std::string_view body,
                             bool keep_alive) const;
  void send(Connection& connection, std::string_view bytes);  // queue() + flush()
  void queue(Connection& connection, std::string_view bytes);
  void queue_chunk(Connection& connection, std::string_view payload);  // chunked encoding
  void flush(Connection& connection);
  void watch_output(Connection& connection, bool watch);
  void kill(Connection& connection);
  void reap_dead();
  void write_load_file();
  int wait_timeout_ms() const;

  // decode_steps.cpp: requests becoming streams, and the decode steps.
  void start_generation(Connection& connection, const HttpRequest& request, bool chat);
  void admit_waiting();
  void start_decoding(Connection& connection);
  void step();
  bool may_emit(const Connection& connection) const;
  void emit(Connection& connection);
  void inject_failure(Connection& connection);
  void finish_stream(Connection& connection);
  void end_stream(Connection& connection, bool close);
  void leave_batch(Connection& connection);
  void note_in_flight();

  TestLlmServerOptions options_;
  int listen_fd_ = -1;
  int epoll_fd_ = -1;
  int wake_fd_ = -1;  // eventfd written by stop()
  bool stopping_ = false;
  std::unordered_map<int, std::unique_ptr<Connection>> connections_;
  std::vector<Connection*> decoding_;
  std::deque<Connection*> waiting_;
  std::vector<Connection*> dead_;
  std::vector<Connection*> resume_;  // streams ended in a step; their input is parsed after it
  std::int64_t next_step_ns_ = 0;
  std::int64_t last_load_written_ = -1;
  std::uint64_t in_flight_ = 0;
  Counters counters_;
};

}  // namespace joulebench::test_server
