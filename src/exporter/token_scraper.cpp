#include "exporter/token_scraper.hpp"

#include <algorithm>

#include "platform/http_fetch.hpp"

namespace joulebench::exporter {
namespace {

std::vector<std::string> urls_of(const std::vector<TokenSource>& sources) {
  std::vector<std::string> urls;
  for (const auto& source : sources) urls.push_back(source.url);
  return urls;
}

double steady_seconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

// Tokens per model from one scraped body; nullopt when it does not parse or has no counter.
std::optional<std::map<std::string, double>> read_tokens(const TokenSource& source,
                                                         const std::string& body) {
  auto samples = parse_prometheus_text(body, source.url);
  if (!samples) return std::nullopt;
  const auto metric = source.metric.empty()
                          ? pick_token_metric(*samples, default_token_metrics())
                          : pick_token_metric(*samples, {source.metric});
  if (!metric) return std::nullopt;
  return tokens_per_model(*samples, *metric);
}

}  // namespace

TokenScraper::TokenScraper(TokenScraperOptions options)
    : options_(std::move(options)), ledger_(urls_of(options_.sources), options_.window_s) {
  published_ = ledger_.figures();
}

TokenScraper::~TokenScraper() { stop(); }

void TokenScraper::start() {
  if (options_.sources.empty() || thread_.joinable()) return;
  thread_ = std::thread([this] { run(); });
}

void TokenScraper::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  stop_signal_.notify_all();
  if (thread_.joinable()) thread_.join();
}

TokenFigures TokenScraper::figures() const {
  std::lock_guard lock(mutex_);
  return published_;
}

void TokenScraper::scrape_round() {
  // A slow engine may delay the next round, never the sampler: the timeout is bounded.
  const auto timeout = std::clamp(std::chrono::duration_cast<std::chrono::milliseconds>(options_.interval),
                                  std::chrono::milliseconds(100), std::chrono::milliseconds(2000));
  static thread_local platform::HttpFetcher fetcher;
  for (std::size_t i = 0; i < options_.sources.size(); ++i) {
    auto body = fetcher.get(options_.sources[i].url, timeout);
    ledger_.record(i, body ? read_tokens(options_.sources[i], *body) : std::nullopt);
  }
  ledger_.close_round(steady_seconds(), options_.energy_so_far_j ? options_.energy_so_far_j() : 0.0);
  std::lock_guard lock(mutex_);
  published_ = ledger_.figures();
}

void TokenScraper::run() {
  auto next = std::chrono::steady_clock::now();
  for (;;) {
    scrape_round();
    next += options_.interval;
    const auto now = std::chrono::steady_clock::now();
    if (next < now) next = now;  // behind schedule: do not burst to catch up
    std::unique_lock lock(mutex_);
    if (stop_signal_.wait_until(lock, next, [this] { return stopping_; })) return;
  }
}

}  // namespace joulebench::exporter
