// One blocking HTTP GET with libcurl's easy interface, for scraping an engine's /metrics.
// Short timeouts, a bounded body, no proxy for loopback URLs. Errors are values.
// Thread-safety: an HttpFetcher is used by one thread (the token scraper's).
#pragma once

#include <chrono>
#include <cstddef>
#include <string>

#include "joulebench/error.hpp"

namespace joulebench::exporter {

class HttpFetcher {
 public:
  HttpFetcher();
  ~HttpFetcher();
  HttpFetcher(const HttpFetcher&) = delete;
  HttpFetcher& operator=(const HttpFetcher&) = delete;

  // The body of a 200 answer; an Error (file = url) for anything else, a body over
  // `max_body_bytes`, or no answer within `timeout`.
  Expected<std::string> get(const std::string& url, std::chrono::milliseconds timeout,
                            std::size_t max_body_bytes = 16u << 20);

 private:
  void* easy_ = nullptr;  // CURL*, kept across calls so the connection is reused
};

}  // namespace joulebench::exporter
