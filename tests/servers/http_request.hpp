// Minimal HTTP/1.1 request parsing for the test LLM server: request line, headers,
// Content-Length body. Enough for libcurl and common clients; chunked request bodies are
// refused (411). Thread-safety: pure function.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace joulebench::test_server {

struct HttpRequest {
  std::string method;
  std::string path;  // without the query string
  std::string body;
  std::string authorization;  // the Authorization header's value, empty when absent
  bool keep_alive = true;     // HTTP/1.1 unless "Connection: close"; HTTP/1.0 never
};

enum class ParseStatus { kIncomplete, kComplete, kBad };

struct ParsedRequest {
  ParseStatus status = ParseStatus::kIncomplete;
  HttpRequest request;       // when kComplete
  std::size_t consumed = 0;  // bytes of the buffer used by the request, when kComplete
  int error_status = 0;      // when kBad: the HTTP status to answer (400, 411, 413, 431)
  std::string error;         // when kBad
};

inline constexpr std::size_t kMaxHeaderBytes = 64 * 1024;
inline constexpr std::size_t kMaxBodyBytes = 64 * 1024 * 1024;

// Parses the request at the start of `buffer`.
ParsedRequest parse_http_request(std::string_view buffer);

}  // namespace joulebench::test_server
