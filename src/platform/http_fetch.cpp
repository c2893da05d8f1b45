#include "platform/http_fetch.hpp"

#include <curl/curl.h>

#include <mutex>

#include "platform/url.hpp"

namespace joulebench::platform {
namespace {

struct Body {
  std::string text;
  std::size_t limit = 0;
};

std::size_t on_write(char* data, std::size_t size, std::size_t count, void* user) {
  auto* body = static_cast<Body*>(user);
  const std::size_t bytes = size * count;
  // Returning less than `bytes` aborts the transfer: an endless body cannot fill memory.
  if (body->text.size() + bytes > body->limit) return 0;
  body->text.append(data, bytes);
  return bytes;
}

}  // namespace

HttpFetcher::HttpFetcher() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  easy_ = curl_easy_init();
}

HttpFetcher::~HttpFetcher() {
  if (easy_ != nullptr) curl_easy_cleanup(static_cast<CURL*>(easy_));
}

Expected<std::string> HttpFetcher::get(const std::string& url, std::chrono::milliseconds timeout,
                                       std::size_t max_body_bytes) {
  auto answer = fetch(url, timeout, max_body_bytes);
  if (!answer) return answer.error();
  if (answer->status != 200) return Error{"HTTP status " + std::to_string(answer->status), url};
  return std::move(answer->body);
}

void HttpFetcher::apply_request_options(void* handle, void** header_list) const {
  auto* easy = static_cast<CURL*>(handle);
  curl_slist* list = nullptr;
  for (const auto& header : options_.headers) list = curl_slist_append(list, header.c_str());
  if (!options_.bearer_token.empty()) {
    const std::string line = "Authorization: Bearer " + options_.bearer_token;
    list = curl_slist_append(list, line.c_str());
  }
  *header_list = list;
  curl_easy_setopt(easy, CURLOPT_HTTPHEADER, list);
  if (!options_.basic_user.empty()) {
    curl_easy_setopt(easy, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
    curl_easy_setopt(easy, CURLOPT_USERNAME, options_.basic_user.c_str());
    curl_easy_setopt(easy, CURLOPT_PASSWORD, options_.basic_password.c_str());
  }
  if (!options_.ca_file.empty()) curl_easy_setopt(easy, CURLOPT_CAINFO, options_.ca_file.c_str());
}

Expected<HttpAnswer> HttpFetcher::fetch(const std::string& url, std::chrono::milliseconds timeout,
                                        std::size_t max_body_bytes) {
  auto* easy = static_cast<CURL*>(easy_);
  if (easy == nullptr) return Error{"libcurl could not start a transfer", url};
  Body body{{}, max_body_bytes};
  char curl_error[CURL_ERROR_SIZE] = {0};
  curl_easy_setopt(easy, CURLOPT_URL, url.c_str());
  curl_easy_setopt(easy, CURLOPT_HTTPGET, 1L);
  curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, &on_write);
  curl_easy_setopt(easy, CURLOPT_WRITEDATA, &body);
  curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, curl_error);
  curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(timeout.count()));
  curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout.count()));
  curl_easy_setopt(easy, CURLOPT_ACCEPT_ENCODING, "");  // gzip from engines that compress
  curl_easy_setopt(easy, CURLOPT_NOPROXY, platform::is_loopback_url(url) ? "*" : nullptr);
  void* header_list = nullptr;
  apply_request_options(easy, &header_list);
  const CURLcode code = curl_easy_perform(easy);
  curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, nullptr);
  curl_easy_setopt(easy, CURLOPT_HTTPHEADER, nullptr);
  curl_slist_free_all(static_cast<curl_slist*>(header_list));
  if (code != CURLE_OK) {
    if (code == CURLE_WRITE_ERROR) return Error{"body larger than the limit", url};
    return Error{curl_error[0] != '\0' ? std::string(curl_error) : curl_easy_strerror(code), url};
  }
  long status = 0;
  curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
  HttpAnswer answer{status, std::move(body.text), {}};
  struct curl_header* date = nullptr;
  if (curl_easy_header(easy, "Date", 0, CURLH_HEADER, -1, &date) == CURLHE_OK) {
    answer.date = date->value;
  }
  return answer;
}

}  // namespace joulebench::platform
