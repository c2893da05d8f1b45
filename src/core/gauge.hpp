// Running min / mean / max / standard deviation of a gauge (Welford's method: one pass,
// numerically stable, no stored samples). Not thread-safe; owned by one accumulator.
#pragma once

#include <cmath>
#include <cstddef>

#include "joulebench/result.hpp"

namespace joulebench {

class Gauge {
 public:
  void add(double value) {
    ++count_;
    if (count_ == 1 || value < min_) min_ = value;
    if (count_ == 1 || value > max_) max_ = value;
    const double delta = value - mean_;
    mean_ += delta / static_cast<double>(count_);
    m2_ += delta * (value - mean_);
  }

  GaugeSummary summary() const {
    GaugeSummary out;
    out.count = count_;
    if (count_ == 0) return out;
    out.min = min_;
    out.max = max_;
    out.mean = mean_;
    if (count_ >= 2) out.stddev = std::sqrt(m2_ / static_cast<double>(count_ - 1));
    return out;
  }

 private:
  std::size_t count_ = 0;
  double min_ = 0.0;
  double max_ = 0.0;
  double mean_ = 0.0;
  double m2_ = 0.0;
};

}  // namespace joulebench
