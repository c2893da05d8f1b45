#include "workloads/openai/sse_parser.hpp"

#include <utility>

namespace joulebench {
namespace {

constexpr std::string_view kByteOrderMark = "\xEF\xBB\xBF";
constexpr std::string_view kDoneSentinel = "[DONE]";

std::size_t find_line_end(std::string_view bytes, std::size_t from) {
  while (from < bytes.size() && bytes[from] != '\n' && bytes[from] != '\r') ++from;
  return from;
}

}  // namespace

SseParser::SseParser(EventCallback on_event, std::size_t max_line_bytes)
    : on_event_(std::move(on_event)), max_line_bytes_(max_line_bytes) {}

bool SseParser::feed(std::string_view bytes) {
  if (failed()) return false;
  std::size_t pos = 0;
  if (skip_lf_ && !bytes.empty()) {
    skip_lf_ = false;
    if (bytes[0] == '\n') pos = 1;
  }
  while (pos < bytes.size() && !failed()) {
    const std::size_t end = find_line_end(bytes, pos);
    if (end == bytes.size()) {
      append_to_line(bytes.substr(pos));
      break;
    }
    // Whole lines are parsed straight from the input; only a line split across feeds is
    // copied.
    if (line_.empty() && end - pos <= max_line_bytes_) {
      process_line(bytes.substr(pos, end - pos));
    } else {
      append_to_line(bytes.substr(pos, end - pos));
      end_line();
    }
    std::size_t next = end + 1;
    if (bytes[end] == '\r') {
      if (next == bytes.size()) {
        skip_lf_ = true;
      } else if (bytes[next] == '\n') {
        ++next;
      }
    }
    pos = next;
  }
  return !failed();
}

void SseParser::finish() {
  if (failed()) return;
  skip_lf_ = false;
  if (!line_.empty()) end_line();
  if (!failed()) dispatch();
}

void SseParser::reset() {
  line_.clear();
  data_.clear();
  type_.clear();
  last_id_.clear();
  error_.clear();
  has_data_ = false;
  skip_lf_ = false;
  first_line_ = true;
  saw_done_ = false;
  events_ = 0;
}

void SseParser::append_to_line(std::string_view part) {
  if (line_.size() + part.size() > max_line_bytes_) {
    fail("SSE line longer than " + std::to_string(max_line_bytes_) + " bytes");
    return;
  }
  line_.append(part);
}

void SseParser::end_line() {
  if (failed()) return;
  process_line(line_);
  line_.clear();
}

void SseParser::process_line(std::string_view line) {
  if (first_line_) {
    first_line_ = false;
    if (line.starts_with(kByteOrderMark)) line.remove_prefix(kByteOrderMark.size());
  }
  if (line.empty()) {
    dispatch();
    return;
  }
  if (line.front() == ':') return;  // a comment, e.g. a keep-alive ping
  const std::size_t colon = line.find(':');
  if (colon == std::string_view::npos) {
    process_field(line, {});
    return;
  }
  std::string_view value = line.substr(colon + 1);
  if (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  process_field(line.substr(0, colon), value);
}

void SseParser::process_field(std::string_view name, std::string_view value) {
  if (name == "data") {
    if (data_.size() + value.size() + 1 > max_line_bytes_) {
      fail("SSE event data longer than " + std::to_string(max_line_bytes_) + " bytes");
      return;
    }
    if (has_data_) data_.push_back('\n');
    data_.append(value);
    has_data_ = true;
  } else if (name == "event") {
    type_.assign(value);
  } else if (name == "id") {
    if (value.find('\0') == std::string_view::npos) last_id_.assign(value);
  }
  // "retry" and unknown fields are ignored, as the standard says.
}

void SseParser::dispatch() {
  if (!has_data_) {
    type_.clear();
    return;
  }
  SseEvent event;
  event.type = type_.empty() ? std::string_view("message") : std::string_view(type_);
  event.data = data_;
  event.id = last_id_;
  event.done = event.data == kDoneSentinel;
  saw_done_ = saw_done_ || event.done;
  ++events_;
  if (on_event_) on_event_(event);
  data_.clear();
  type_.clear();
  has_data_ = false;
}

void SseParser::fail(std::string message) {
  error_ = std::move(message);
  line_.clear();
  data_.clear();
}

}  // namespace joulebench
