// The batched "engine" of the test LLM server: requests become streams, streams wait for a
// batch slot, and each decode step emits one chunk per running stream.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <nlohmann/json.hpp>

#include "event_loop.hpp"

namespace joulebench::test_server {
namespace {

constexpr std::size_t kMaxPendingOutput = 1 << 20;  // a client this far behind skips steps
constexpr std::string_view kStreamHeaders =
    "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\n"
    "Transfer-Encoding: chunked\r\nConnection: keep-alive\r\n\r\n";
constexpr std::string_view kLastChunk = "0\r\n\r\n";

std::int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

void raise_to(std::atomic<std::uint64_t>& maximum, std::uint64_t value) {
  std::uint64_t seen = maximum.load();
  while (seen < value && !maximum.compare_exchange_weak(seen, value)) {
  }
}

}  // namespace

void EventLoop::start_generation(Connection& connection, const HttpRequest& request, bool chat) {
  const std::uint64_t number = counters_.requests.load() + 1;
  auto plan = plan_generation(request.body, chat, number, options_.generation);
  if (!plan) {
    respond(connection, 400, "application/json", error_body(400, plan.error().message));
    return;
  }
  if (options_.strict_model &&
      plan->model_json != nlohmann::json(options_.generation.model).dump()) {
    const auto asked = nlohmann::json::parse(plan->model_json);
    const std::string name = asked.is_string() ? asked.get<std::string>() : asked.dump();
    respond(connection, 404, "application/json",
            error_body(404, "The model `" + name + "` does not exist."));
    return;
  }
  counters_.requests.fetch_add(1);
  counters_.prompt_tokens.fetch_add(plan->prompt_tokens);
  FailMode fail = options_.mode;
  if (options_.fail_every > 0 && number % options_.fail_every == 0) fail = options_.fail_mode;
  if (fail == FailMode::kHttp429 || fail == FailMode::kHttp500) {
    const int status = fail == FailMode::kHttp429 ? 429 : 500;
    respond(connection, status, "application/json",
            error_body(status,
                       status == 429 ? "rate limited (simulated)" : "internal error (simulated)"));
    return;
  }
  // Like a real server, a streamed request gets its headers at once, even while queued.
  if (plan->stream) send(connection, kStreamHeaders);
  connection.stream = Stream{std::move(*plan), fail, 0};
  ++in_flight_;
  note_in_flight();
  const std::uint64_t limit = options_.batch_limit;
  if (limit == 0 || counters_.running.load() < limit) {
    start_decoding(connection);
  } else {
    connection.state = State::kQueued;
    waiting_.push_back(&connection);
    counters_.waiting.fetch_add(1);
  }
}

void EventLoop::note_in_flight() { raise_to(counters_.max_in_flight, in_flight_); }

void EventLoop::admit_waiting() {
  const std::uint64_t limit = options_.batch_limit;
  while (!waiting_.empty() && (limit == 0 || counters_.running.load() < limit)) {
    Connection* connection = waiting_.front();
    waiting_.pop_front();
    if (connection->dead || connection->state != State::kQueued) continue;
    counters_.waiting.fetch_sub(1);
    start_decoding(*connection);
  }
}

void EventLoop::start_decoding(Connection& connection) {
  connection.state = State::kDecoding;
  if (counters_.running.load() == 0) {
    next_step_ns_ = now_ns() + std::llround(options_.token_delay_ms * 1e6);
  }
  decoding_.push_back(&connection);
  raise_to(counters_.max_running, counters_.running.fetch_add(1) + 1);
  const GenerationPlan& plan = connection.stream->plan;
  if (plan.chat && plan.stream) {
    queue_chunk(connection, role_event(plan));
    flush(connection);
  }
}

void EventLoop::step() {
  const std::int64_t now = now_ns();
  const std::vector<Connection*> batch = decoding_;
  for (Connection* connection : batch) {
    if (connection->state == State::kDecoding && !connection->dead && may_emit(*connection)) {
      emit(*connection);
    }
  }
  std::erase_if(decoding_, [](const Connection* c) { return c->state != State::kDecoding; });
  admit_waiting();
  const auto delay_ns = std::llround(options_.token_delay_ms * 1e6);
  next_step_ns_ += delay_ns;
  if (next_step_ns_ <= now) next_step_ns_ = now + delay_ns;  // overloaded: steps slip
  std::vector<Connection*> resumed;
  resumed.swap(resume_);
  for (Connection* connection : resumed) {
    if (!connection->dead && connection->state == State::kReading) process_input(*connection);
  }
}

bool EventLoop::may_emit(const Connection& connection) const {
  const std::size_t pending = connection.out.size() - connection.out_done;
  return options_.token_delay_ms <= 0 ? pending == 0 : pending < kMaxPendingOutput;
}

void EventLoop::emit(Connection& connection) {
  Stream& stream = *connection.stream;
  const std::size_t count = std::min(options_.tokens_per_chunk, stream.plan.tokens - stream.sent);
  if (stream.plan.stream)
    queue_chunk(connection, tokens_event(stream.plan, stream.sent + 1, count));
  stream.sent += count;
  counters_.tokens_sent.fetch_add(count);
  const std::size_t failure_point = std::max<std::size_t>(1, stream.plan.tokens / 2);
  if (stream.fail != FailMode::kNormal && stream.sent >= failure_point) {
    inject_failure(connection);
  } else if (stream.sent >= stream.plan.tokens) {
    finish_stream(connection);
  }
  flush(connection);
}

void EventLoop::inject_failure(Connection& connection) {
  const Stream& stream = *connection.stream;
  switch (stream.fail) {
    case FailMode::kMalformedSse:
      if (stream.plan.stream) {
        queue_chunk(connection, malformed_event());
        queue(connection, kLastChunk);
      } else {
        queue(connection, response_bytes(200, "application/json", "{\"choices\":[", false));
      }
      return end_stream(connection, true);
    case FailMode::kDropMidStream:
      return end_stream(connection, true);  // the body never gets its last chunk
    case FailMode::kErrorInStream:
      if (stream.plan.stream) {
        queue_chunk(connection, error_event());
        queue_chunk(connection, done_event());
        queue(connection, kLastChunk);
      } else {
        queue(connection,
              response_bytes(500, "application/json", error_body(500, "simulated engine failure"),
                             connection.keep_alive));
      }
      return end_stream(connection, false);
    case FailMode::kStall:
      // Stops decoding but keeps the request open until the client gives up.
      counters_.running.fetch_sub(1);
      connection.state = State::kStalled;
      return;
    default:
      return finish_stream(connection);
  }
}

void EventLoop::finish_stream(Connection& connection) {
  const Stream& stream = *connection.stream;
  if (stream.plan.stream) {
    queue_chunk(connection, finish_event(stream.plan));
    if (stream.plan.usage) queue_chunk(connection, usage_event(stream.plan, stream.sent));
    queue_chunk(connection, done_event());
    queue(connection, kLastChunk);
  } else {
    queue(connection,
          response_bytes(200, "application/json", full_response(stream.plan, stream.sent),
                         connection.keep_alive));
  }
  counters_.completed.fetch_add(1);
  end_stream(connection, false);
}

void EventLoop::end_stream(Connection& connection, bool close) {
  leave_batch(connection);
  connection.stream.reset();
  if (close || !connection.keep_alive) {
    connection.state = State::kClosing;
  } else {
    connection.state = State::kReading;
    resume_.push_back(&connection);  // a pipelined request may be waiting in `in`
  }
}

void EventLoop::leave_batch(Connection& connection) {
  switch (connection.state) {
    case State::kDecoding:
      counters_.running.fetch_sub(1);
      break;
    case State::kQueued:
      counters_.waiting.fetch_sub(1);
      break;
    case State::kStalled:
      break;
    default:
      return;
  }
  --in_flight_;
}

}  // namespace joulebench::test_server
