// Token counting for --tokens-from: which counter an engine exports, its value per model,
// a total that survives engine restarts, and tokens per joule over a sliding window.
// Pure value types; the scraper thread owns them (no locking here).
#pragma once

#include <deque>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "exporter/prometheus_text.hpp"

namespace joulebench::exporter {

// Generated-token counters tried in order when --tokens-metric is not given.
const std::vector<std::string>& default_token_metrics();

// The first of `candidates` that has at least one sample; nullopt when none does.
std::optional<std::string> pick_token_metric(const std::vector<ParsedSample>& samples,
                                             const std::vector<std::string>& candidates);

// Sums `metric` per model: the `model_name` label (vLLM, SGLang), else `model`, else
// "unknown" (TGI has no model label). NaN and negative values are skipped.
std::map<std::string, double> tokens_per_model(const std::vector<ParsedSample>& samples,
                                               const std::string& metric);

// A counter made monotonic across resets: an engine restart starts its counter at 0 again,
// and a reading below the previous one means that happened. The first reading counts in
// full (what the engine generated before the exporter started); after a reset the new
// reading counts in full (generated since the restart).
class MonotonicCounter {
 public:
  void observe(double raw);
  double total() const { return total_; }
  std::size_t resets() const { return resets_; }

 private:
  std::optional<double> last_raw_;
  double total_ = 0.0;
  std::size_t resets_ = 0;
};

// Tokens per joule over the last `window_s`: (tokens now - tokens at the window start) /
// (energy now - energy at the window start), from points added in time order. The oldest
// point kept is the newest one at or before the window's start, so once history is long
// enough the ratio spans the whole window. Null with fewer than two points or no energy.
class TokensPerJouleWindow {
 public:
  explicit TokensPerJouleWindow(double window_s) : window_s_(window_s) {}
  void add(double time_s, double tokens, double energy_j);
  std::optional<double> tokens_per_joule() const;
  double span_s() const;

 private:
  struct Point {
    double time_s;
    double tokens;
    double energy_j;
  };
  double window_s_;
  std::deque<Point> points_;
};

}  // namespace joulebench::exporter
