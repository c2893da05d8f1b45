// One blocking HTTP GET with libcurl's easy interface: the exporter scrapes engines' /metrics
// with it, and fleet asks the Prometheus HTTP API.
// Short timeouts, a bounded body, no proxy for loopback URLs. Errors are values.
// Thread-safety: an HttpFetcher is used by one thread at a time.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

#include "joulebench/error.hpp"

namespace joulebench::platform {

// A complete answer, whatever its status: APIs such as Prometheus explain a 400 in the body.
struct HttpAnswer {
  long status = 0;
  std::string body;
  std::string date;  // the Date header (the server's clock), empty when it sent none
};

// What a request to an API behind a gateway needs: extra headers ("X-Scope-OrgID: tenant"
// for Mimir and Cortex), a bearer token, basic auth, and a CA file for a private HTTPS CA.
// Empty fields are not sent. The secrets live only in this struct and the libcurl handle.
struct HttpRequestOptions {
  std::vector<std::string> headers;  // "Name: value"
  std::string bearer_token;
  std::string basic_user;  // basic auth when not empty
  std::string basic_password;
  std::string ca_file;  // PEM; empty: the system's CAs
};

class HttpFetcher {
 public:
  HttpFetcher();
  ~HttpFetcher();
  HttpFetcher(const HttpFetcher&) = delete;
  HttpFetcher& operator=(const HttpFetcher&) = delete;

  // Sent with every later request of this fetcher.
  void set_request_options(HttpRequestOptions options) { options_ = std::move(options); }

  // The body of a 200 answer; an Error (file = url) for anything else, a body over
  // `max_body_bytes`, or no answer within `timeout`.
  Expected<std::string> get(const std::string& url, std::chrono::milliseconds timeout,
                            std::size_t max_body_bytes = 16u << 20);
  // The answer of any status; an Error only when no complete answer came back.
  Expected<HttpAnswer> fetch(const std::string& url, std::chrono::milliseconds timeout,
                             std::size_t max_body_bytes = 16u << 20);

 private:
  void apply_request_options(void* easy, void** header_list) const;

  HttpRequestOptions options_;
  void* easy_ = nullptr;  // CURL*, kept across calls so the connection is reused
};

}  // namespace joulebench::platform
