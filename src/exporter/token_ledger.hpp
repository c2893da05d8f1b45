// The token side of the exporter, without threads or HTTP: each scrape round records what
// every --tokens-from source reported, then closes the round with the energy of all measured
// devices so far, which yields joulebench_tokens_total and joulebench_tokens_per_joule.
// Thread-safety: none; the token scraper thread owns it.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "exporter/exporter_metrics.hpp"
#include "exporter/token_accounting.hpp"

namespace joulebench::exporter {

class TokenLedger {
 public:
  TokenLedger(std::vector<std::string> source_urls, double window_s);

  // What source `index` reported this round: tokens per model, or nullopt when the scrape
  // failed (its models keep their totals; the source is down).
  void record(std::size_t index, const std::optional<std::map<std::string, double>>& per_model);

  // Ends the round at `time_s` (any monotonic clock) with `energy_j` used by all measured
  // devices so far; updates every model's window.
  void close_round(double time_s, double energy_j);

  TokenFigures figures() const;

 private:
  std::vector<std::string> urls_;
  std::vector<bool> up_;
  double window_s_;
  std::map<std::pair<std::size_t, std::string>, MonotonicCounter> counters_;  // (source, model)
  std::map<std::string, TokensPerJouleWindow> windows_;                       // per model
};

}  // namespace joulebench::exporter
