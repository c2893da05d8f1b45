// One streaming request on a reusable libcurl easy handle: parses the event stream as bytes
// arrive, timestamps text chunks, and classifies how the request ended. Internal to the load
// generator. Thread-safety: used only by the engine thread.
#pragma once

#include <curl/curl.h>

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "workloads/openai/load_result.hpp"
#include "workloads/openai/sse_parser.hpp"

namespace joulebench {

// Settings shared by every transfer of a run; must outlive them.
struct TransferSettings {
  std::string url;
  curl_slist* headers = nullptr;
  long connect_timeout_ms = 0;
  long request_timeout_ms = 0;
  std::size_t expected_chunks = 0;  // reserve hint: max_tokens + a few
  std::function<TimeNs()> clock;
  std::atomic<std::uint64_t>* output_tokens = nullptr;  // progress counter, may be null
};

class Transfer {
 public:
  // Creates the easy handle; nullptr handle() means libcurl could not allocate one.
  explicit Transfer(const TransferSettings& settings);
  ~Transfer();
  Transfer(const Transfer&) = delete;
  Transfer& operator=(const Transfer&) = delete;

  CURL* handle() const { return easy_; }
  bool busy() const { return busy_; }  // between begin() and finish()

  // Prepares a new request; `body` must stay alive until finish().
  void begin(std::size_t index, std::size_t prompt_index, const std::string& body,
             TimeNs scheduled_ns, TimeNs start_ns);

  // The transfer completed with `code` (or was abandoned when `abandoned`); returns its
  // record and leaves the Transfer ready for begin().
  RequestRecord finish(CURLcode code, bool abandoned, TimeNs now_ns);

 private:
  static std::size_t on_write(char* data, std::size_t size, std::size_t count, void* self);
  bool accept(std::string_view bytes);
  bool check_response();
  void on_event(const SseEvent& event);
  void fail(FailureReason reason, std::string message);
  void classify_transport(CURLcode code);
  void classify_completed();
  void count_tokens();

  const TransferSettings& settings_;
  CURL* easy_ = nullptr;
  SseParser parser_;
  RequestRecord record_;
  std::string error_body_;  // start of a non-2xx answer, for its message
  bool busy_ = false;
  bool checked_response_ = false;
  bool failed_in_stream_ = false;
  TimeNs chunk_time_ns_ = 0;  // arrival of the bytes being parsed
  std::optional<std::int64_t> usage_completion_tokens_;
  char curl_error_[CURL_ERROR_SIZE] = {};
};

}  // namespace joulebench
