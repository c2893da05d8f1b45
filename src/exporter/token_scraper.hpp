// The thread behind --tokens-from: once per interval it GETs every engine's metrics
// endpoint, parses the Prometheus text, reads the generated-token counter per model and
// feeds a TokenLedger. It never blocks the sampler or the HTTP threads: they only copy the
// latest TokenFigures under a mutex.
// Thread-safety: start()/stop()/figures() from any thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "exporter/token_ledger.hpp"

namespace joulebench::exporter {

struct TokenSource {
  std::string url;
  std::string metric;  // empty: default_token_metrics(), first found wins
};

struct TokenScraperOptions {
  std::vector<TokenSource> sources;
  std::chrono::nanoseconds interval = std::chrono::seconds(1);
  double window_s = 60.0;
  // Energy used by all measured devices so far (J); called on the scraper thread.
  std::function<double()> energy_so_far_j;
};

class TokenScraper {
 public:
  explicit TokenScraper(TokenScraperOptions options);
  ~TokenScraper();  // stops the thread
  TokenScraper(const TokenScraper&) = delete;
  TokenScraper& operator=(const TokenScraper&) = delete;

  void start();
  void stop();
  TokenFigures figures() const;

 private:
  void run();
  void scrape_round();

  TokenScraperOptions options_;
  TokenLedger ledger_;  // scraper thread only
  mutable std::mutex mutex_;
  std::condition_variable stop_signal_;
  bool stopping_ = false;
  TokenFigures published_;
  std::thread thread_;
};

}  // namespace joulebench::exporter
