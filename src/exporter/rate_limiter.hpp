// A token bucket for the whole process: `rate_per_s` requests a second on average, bursts
// up to `burst`. Beyond it the exporter answers 429 instead of queueing work.
// Thread-safety: allow() may be called from any thread (one mutex, held for a few ns).
#pragma once

#include <mutex>

namespace joulebench::exporter {

class RateLimiter {
 public:
  RateLimiter(double rate_per_s, double burst);
  // Takes one token at `now_s` (a monotonic clock); false when the bucket is empty.
  bool allow(double now_s);

 private:
  std::mutex mutex_;
  double rate_per_s_;
  double burst_;
  double tokens_;
  double last_s_ = -1.0;
};

}  // namespace joulebench::exporter
