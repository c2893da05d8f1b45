// A one-line live status on stderr (elapsed, power, energy) for long runs on a terminal.
// update() is called from the sampler thread after each round and redraws at most once a
// second; finish() is called after the sampler stopped. Disabled: both do nothing.
#pragma once

#include "joulebench/monitor.hpp"

namespace joulebench::cli {

class LiveStatus {
 public:
  explicit LiveStatus(bool enabled) : enabled_(enabled) {}
  void update(const Snapshot& snapshot);
  void finish();

 private:
  bool enabled_;
  bool drawn_ = false;
  double last_draw_s_ = -1.0;
};

}  // namespace joulebench::cli
