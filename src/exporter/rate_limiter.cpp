#include "exporter/rate_limiter.hpp"

#include <algorithm>

namespace joulebench::exporter {

RateLimiter::RateLimiter(double rate_per_s, double burst)
    : rate_per_s_(rate_per_s), burst_(std::max(burst, 1.0)), tokens_(burst_) {}

bool RateLimiter::allow(double now_s) {
  std::lock_guard lock(mutex_);
  if (last_s_ >= 0 && now_s > last_s_) {
    tokens_ = std::min(burst_, tokens_ + (now_s - last_s_) * rate_per_s_);
  }
  if (last_s_ < 0 || now_s > last_s_) last_s_ = now_s;
  if (tokens_ < 1.0) return false;
  tokens_ -= 1.0;
  return true;
}

}  // namespace joulebench::exporter
