#include "http_request.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace joulebench::test_server {
namespace {

bool equals_ignoring_case(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

ParsedRequest bad(int status, std::string error) {
  ParsedRequest parsed;
  parsed.status = ParseStatus::kBad;
  parsed.error_status = status;
  parsed.error = std::move(error);
  return parsed;
}

struct Head {
  HttpRequest request;
  std::size_t content_length = 0;
  bool chunked = false;
};

bool parse_request_line(std::string_view line, Head& head) {
  const std::size_t first = line.find(' ');
  const std::size_t second = line.rfind(' ');
  if (first == std::string_view::npos || second == first) return false;
  head.request.method = std::string(line.substr(0, first));
  std::string_view target = line.substr(first + 1, second - first - 1);
  target = target.substr(0, target.find('?'));
  head.request.path = std::string(target);
  const std::string_view version = line.substr(second + 1);
  if (version == "HTTP/1.0") {
    head.request.keep_alive = false;
  } else if (version != "HTTP/1.1") {
    return false;
  }
  return !head.request.path.empty() && head.request.path.front() == '/';
}

bool parse_header(std::string_view line, Head& head) {
  const std::size_t colon = line.find(':');
  if (colon == std::string_view::npos || colon == 0) return false;
  const std::string_view name = line.substr(0, colon);
  const std::string_view value = trim(line.substr(colon + 1));
  if (equals_ignoring_case(name, "content-length")) {
    const auto [end, ec] =
        std::from_chars(value.data(), value.data() + value.size(), head.content_length);
    return ec == std::errc() && end == value.data() + value.size();
  }
  if (equals_ignoring_case(name, "connection") && equals_ignoring_case(value, "close")) {
    head.request.keep_alive = false;
  }
  if (equals_ignoring_case(name, "transfer-encoding")) head.chunked = true;
  if (equals_ignoring_case(name, "authorization")) head.request.authorization = value;
  return true;
}

}  // namespace

ParsedRequest parse_http_request(std::string_view buffer) {
  const std::size_t head_end = buffer.find("\r\n\r\n");
  if (head_end == std::string_view::npos) {
    if (buffer.size() > kMaxHeaderBytes) return bad(431, "request headers too large");
    return {};
  }
  Head head;
  std::string_view lines = buffer.substr(0, head_end);
  const std::size_t line_end = lines.find("\r\n");
  if (!parse_request_line(lines.substr(0, line_end), head)) return bad(400, "bad request line");
  lines.remove_prefix(line_end == std::string_view::npos ? lines.size() : line_end + 2);
  while (!lines.empty()) {
    const std::size_t end = lines.find("\r\n");
    if (!parse_header(lines.substr(0, end), head)) return bad(400, "bad header");
    lines.remove_prefix(end == std::string_view::npos ? lines.size() : end + 2);
  }
  if (head.chunked) return bad(411, "chunked request bodies are not supported");
  if (head.content_length > kMaxBodyBytes) return bad(413, "request body too large");
  const std::size_t body_start = head_end + 4;
  if (buffer.size() - body_start < head.content_length) return {};
  ParsedRequest parsed;
  parsed.status = ParseStatus::kComplete;
  parsed.request = std::move(head.request);
  parsed.request.body = std::string(buffer.substr(body_start, head.content_length));
  parsed.consumed = body_start + head.content_length;
  return parsed;
}

}  // namespace joulebench::test_server
