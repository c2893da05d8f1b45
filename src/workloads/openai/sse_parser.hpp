// Incremental Server-Sent-Events parser (the text/event-stream format of the WHATWG HTML
// standard) for OpenAI-style token streams. Bytes may arrive split anywhere, including
// between the '\r' and '\n' of one line ending; the events produced do not depend on the
// split. Thread-safety: one instance per stream, not shared between threads.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

namespace joulebench {

// One dispatched event. The views point into the parser and stay valid only during the
// callback.
struct SseEvent {
  std::string_view type;  // the "event:" field, "message" when none was given
  std::string_view data;  // "data:" lines joined with '\n'
  std::string_view id;    // the last "id:" field seen on this stream, possibly empty
  bool done = false;      // data is exactly "[DONE]", the OpenAI end-of-stream sentinel
};

class SseParser {
 public:
  using EventCallback = std::function<void(const SseEvent&)>;

  // A line, or the data of one event, longer than this is rejected: a broken or hostile
  // server must not make the client buffer without bound.
  static constexpr std::size_t kDefaultMaxLineBytes = std::size_t{1} << 20;

  explicit SseParser(EventCallback on_event, std::size_t max_line_bytes = kDefaultMaxLineBytes);

  // Parses `bytes`, calling the callback for every completed event. Returns false once the
  // stream is in error (error() says why); later input is then ignored.
  bool feed(std::string_view bytes);

  // End of stream. The standard discards an event not yet ended by a blank line; this parser
  // dispatches it instead (and a last line without a line ending), because servers that close
  // right after "data: [DONE]\n" would otherwise look like a cut stream.
  void finish();

  // Forgets all state (including an error) so the instance can parse a new stream; keeps the
  // buffers' capacity so that a reused parser does not allocate.
  void reset();

  bool failed() const { return !error_.empty(); }
  const std::string& error() const { return error_; }
  bool saw_done() const { return saw_done_; }
  std::size_t events_dispatched() const { return events_; }

 private:
  void append_to_line(std::string_view part);
  void end_line();
  void process_line(std::string_view line);
  void process_field(std::string_view name, std::string_view value);
  void dispatch();
  void fail(std::string message);

  EventCallback on_event_;
  std::size_t max_line_bytes_;
  std::string line_;        // the line being assembled across feeds
  std::string data_;        // data of the event being assembled
  std::string type_;        // event type of the event being assembled
  std::string last_id_;     // persists across events, as the standard says
  std::string error_;       // empty while healthy
  bool has_data_ = false;   // a data field was seen (data may still be empty)
  bool skip_lf_ = false;    // the previous byte was '\r': a following '\n' ends nothing
  bool first_line_ = true;  // a UTF-8 byte order mark may open the stream's first line
  bool saw_done_ = false;
  std::size_t events_ = 0;
};

}  // namespace joulebench
