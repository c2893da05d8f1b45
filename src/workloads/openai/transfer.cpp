#include "workloads/openai/transfer.hpp"

#include <algorithm>
#include <cctype>

#include "platform/url.hpp"
#include "workloads/openai/stream_chunk.hpp"

namespace joulebench {
namespace {

constexpr std::size_t kErrorBodyBytes = 4096;
constexpr std::size_t kErrorExcerptBytes = 200;

bool is_success(long status) { return status >= 200 && status < 300; }

bool starts_with_ignoring_case(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  return std::equal(prefix.begin(), prefix.end(), text.begin(), [](char a, char b) {
    return std::tolower(static_cast<unsigned char>(a)) ==
           std::tolower(static_cast<unsigned char>(b));
  });
}

// The server's own words for a failed request: its JSON error message, else the start of
// the body on one line.
std::string http_error_message(const std::string& body) {
  if (body.empty()) return "(empty body)";
  if (auto chunk = parse_stream_chunk(body); chunk && chunk->error) return *chunk->error;
  std::string excerpt = body.substr(0, kErrorExcerptBytes);
  std::replace_if(
      excerpt.begin(), excerpt.end(), [](char c) { return c == '\n' || c == '\r'; }, ' ');
  return excerpt;
}

bool is_connect_failure(CURLcode code) {
  return code == CURLE_COULDNT_CONNECT || code == CURLE_COULDNT_RESOLVE_HOST ||
         code == CURLE_COULDNT_RESOLVE_PROXY;
}

bool is_broken_stream(CURLcode code) {
  return code == CURLE_PARTIAL_FILE || code == CURLE_RECV_ERROR || code == CURLE_GOT_NOTHING ||
         code == CURLE_SEND_ERROR || code == CURLE_HTTP2 || code == CURLE_HTTP2_STREAM;
}

}  // namespace

Transfer::Transfer(const TransferSettings& settings)
    : settings_(settings), parser_([this](const SseEvent& event) { on_event(event); }) {
  easy_ = curl_easy_init();
  if (easy_ == nullptr) return;
  curl_easy_setopt(easy_, CURLOPT_URL, settings_.url.c_str());
  curl_easy_setopt(easy_, CURLOPT_HTTPHEADER, settings_.headers);
  curl_easy_setopt(easy_, CURLOPT_POST, 1L);
  curl_easy_setopt(easy_, CURLOPT_WRITEFUNCTION, &Transfer::on_write);
  curl_easy_setopt(easy_, CURLOPT_WRITEDATA, this);
  curl_easy_setopt(easy_, CURLOPT_PRIVATE, this);
  curl_easy_setopt(easy_, CURLOPT_ERRORBUFFER, curl_error_);
  curl_easy_setopt(easy_, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(easy_, CURLOPT_TCP_NODELAY, 1L);
  curl_easy_setopt(easy_, CURLOPT_CONNECTTIMEOUT_MS, settings_.connect_timeout_ms);
  curl_easy_setopt(easy_, CURLOPT_TIMEOUT_MS, settings_.request_timeout_ms);
  if (platform::is_loopback_url(settings_.url)) curl_easy_setopt(easy_, CURLOPT_NOPROXY, "*");
}

Transfer::~Transfer() {
  if (easy_ != nullptr) curl_easy_cleanup(easy_);
}

void Transfer::begin(std::size_t index, std::size_t prompt_index, const std::string& body,
                     TimeNs scheduled_ns, TimeNs start_ns) {
  busy_ = true;
  record_ = RequestRecord{};
  record_.index = index;
  record_.prompt_index = prompt_index;
  record_.scheduled_ns = scheduled_ns;
  record_.start_ns = start_ns;
  record_.chunk_ns.reserve(settings_.expected_chunks);
  parser_.reset();
  error_body_.clear();
  checked_response_ = false;
  failed_in_stream_ = false;
  usage_completion_tokens_.reset();
  curl_error_[0] = '\0';
  curl_easy_setopt(easy_, CURLOPT_POSTFIELDS, body.data());
  curl_easy_setopt(easy_, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
}

RequestRecord Transfer::finish(CURLcode code, bool abandoned, TimeNs now_ns) {
  record_.end_ns = now_ns;
  chunk_time_ns_ = now_ns;
  curl_easy_getinfo(easy_, CURLINFO_RESPONSE_CODE, &record_.http_status);
  if (abandoned) {
    fail(FailureReason::kStopped, "stopped before the response was complete");
  } else if (record_.ok() && code != CURLE_OK) {
    classify_transport(code);
  } else if (record_.ok()) {
    classify_completed();
  }
  count_tokens();
  busy_ = false;
  RequestRecord done = std::move(record_);
  record_ = RequestRecord{};
  return done;
}

std::size_t Transfer::on_write(char* data, std::size_t size, std::size_t count, void* self) {
  const std::size_t bytes = size * count;
  // Returning less than `bytes` makes libcurl abort the transfer (CURLE_WRITE_ERROR).
  return static_cast<Transfer*>(self)->accept(std::string_view(data, bytes)) ? bytes : 0;
}

bool Transfer::accept(std::string_view bytes) {
  if (!checked_response_ && !check_response()) return false;
  if (!is_success(record_.http_status)) {
    const std::size_t room = kErrorBodyBytes - std::min(kErrorBodyBytes, error_body_.size());
    error_body_.append(bytes.substr(0, room));
    return true;
  }
  chunk_time_ns_ = settings_.clock();
  if (!parser_.feed(bytes) && !failed_in_stream_) {
    fail(FailureReason::kMalformedSse, parser_.error());
  }
  return !failed_in_stream_;
}

bool Transfer::check_response() {
  checked_response_ = true;
  curl_easy_getinfo(easy_, CURLINFO_RESPONSE_CODE, &record_.http_status);
  if (!is_success(record_.http_status)) return true;
  char* type = nullptr;
  curl_easy_getinfo(easy_, CURLINFO_CONTENT_TYPE, &type);
  // A missing Content-Type is tolerated; a different one means the server ignored "stream".
  if (type != nullptr && !starts_with_ignoring_case(type, "text/event-stream")) {
    fail(FailureReason::kMalformedSse,
         std::string("expected an event stream, got Content-Type: ") + type);
    return false;
  }
  return true;
}

void Transfer::on_event(const SseEvent& event) {
  if (failed_in_stream_ || parser_.saw_done()) return;
  if (event.type == "error") {
    fail(FailureReason::kServerError, "server error event: " + std::string(event.data));
    return;
  }
  if (event.type != "message") return;
  auto chunk = parse_stream_chunk(event.data);
  if (!chunk) {
    fail(FailureReason::kMalformedJson, chunk.error().message);
    return;
  }
  if (chunk->error) {
    fail(FailureReason::kServerError, "server error in stream: " + *chunk->error);
    return;
  }
  if (chunk->has_content()) {
    record_.chunk_ns.push_back(chunk_time_ns_);
    if (!record_.first_token_ns) record_.first_token_ns = chunk_time_ns_;
    if (settings_.output_tokens != nullptr) {
      settings_.output_tokens->fetch_add(1, std::memory_order_relaxed);
    }
  }
  if (chunk->completion_tokens) usage_completion_tokens_ = chunk->completion_tokens;
  if (chunk->prompt_tokens) record_.prompt_tokens = chunk->prompt_tokens;
}

void Transfer::fail(FailureReason reason, std::string message) {
  failed_in_stream_ = true;
  if (!record_.ok()) return;  // the first failure is the cause; later ones are symptoms
  record_.failure = reason;
  record_.error = std::move(message);
}

void Transfer::classify_transport(CURLcode code) {
  std::string detail = curl_error_[0] != '\0' ? curl_error_ : curl_easy_strerror(code);
  if (is_connect_failure(code)) {
    fail(FailureReason::kConnect, std::move(detail));
  } else if (code == CURLE_OPERATION_TIMEDOUT) {
    fail(FailureReason::kTimeout, std::move(detail));
  } else if (is_broken_stream(code) && record_.http_status != 0) {
    fail(FailureReason::kStreamCut, std::move(detail));
  } else {
    fail(FailureReason::kTransport, std::move(detail));
  }
}

void Transfer::classify_completed() {
  if (!is_success(record_.http_status)) {
    fail(FailureReason::kHttpStatus,
         "HTTP " + std::to_string(record_.http_status) + ": " + http_error_message(error_body_));
    return;
  }
  parser_.finish();
  if (parser_.failed()) {
    fail(FailureReason::kMalformedSse, parser_.error());
  } else if (!parser_.saw_done()) {
    fail(FailureReason::kStreamCut, "stream ended before \"data: [DONE]\"");
  }
}

void Transfer::count_tokens() {
  const auto chunks = static_cast<std::int64_t>(record_.chunk_ns.size());
  if (!usage_completion_tokens_) {
    record_.output_tokens = chunks;
    record_.token_count_source = TokenCountSource::kChunks;
    return;
  }
  record_.output_tokens = *usage_completion_tokens_;
  record_.token_count_source = TokenCountSource::kUsage;
  if (settings_.output_tokens != nullptr) {
    // Progress counted chunks as they came; correct it to the server's count (unsigned
    // wrap-around makes fetch_add of a negative difference a subtraction).
    settings_.output_tokens->fetch_add(static_cast<std::uint64_t>(record_.output_tokens - chunks),
                                       std::memory_order_relaxed);
  }
}

}  // namespace joulebench
