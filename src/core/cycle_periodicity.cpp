#include "core/cycle_periodicity.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace joulebench {
namespace {

// Linear interpolation of (times, values) onto `count` evenly spaced points from the first
// time to the last: boundary rounds make the sampler's spacing uneven, the autocorrelation
// wants it even.
std::vector<double> resampled(const std::vector<TimeNs>& times_ns,
                              const std::vector<double>& values) {
  const std::size_t count = values.size();
  std::vector<double> out(count);
  const double span_ns = static_cast<double>(times_ns.back() - times_ns.front());
  std::size_t j = 0;
  for (std::size_t i = 0; i < count; ++i) {
    const double t = static_cast<double>(times_ns.front()) +
                     span_ns * static_cast<double>(i) / static_cast<double>(count - 1);
    while (j + 2 < count && static_cast<double>(times_ns[j + 1]) < t) ++j;
    const double t0 = static_cast<double>(times_ns[j]);
    const double t1 = static_cast<double>(times_ns[j + 1]);
    const double f = t1 > t0 ? std::clamp((t - t0) / (t1 - t0), 0.0, 1.0) : 0.0;
    out[i] = values[j] + f * (values[j + 1] - values[j]);
  }
  return out;
}

// r(k) for k = 0..max_lag of a series with its mean removed (normalised by r(0), each lag
// averaged over its own n - k products so that long lags are not biased towards 0).
std::vector<double> autocorrelation(const std::vector<double>& centred, std::size_t max_lag) {
  const std::size_t n = centred.size();
  std::vector<double> r(max_lag + 1, 0.0);
  for (std::size_t k = 0; k <= max_lag; ++k) {
    double sum = 0.0;
    for (std::size_t i = 0; i + k < n; ++i) sum += centred[i] * centred[i + k];
    r[k] = sum / static_cast<double>(n - k);
  }
  const double variance = r[0];
  for (auto& value : r) value /= variance;
  return r;
}

}  // namespace

std::optional<SeriesPeriod> series_period(const std::vector<double>& power_w, double step_s,
                                          double max_period_s) {
  const std::size_t n = power_w.size();
  if (n < kMinCycleBlockSamples || step_s <= 0) return std::nullopt;
  const double mean_w =
      std::accumulate(power_w.begin(), power_w.end(), 0.0) / static_cast<double>(n);
  std::vector<double> centred(n);
  double square_sum = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    centred[i] = power_w[i] - mean_w;
    square_sum += centred[i] * centred[i];
  }
  const double sd_w = std::sqrt(square_sum / static_cast<double>(n));
  if (mean_w <= 0 || sd_w / mean_w < kMinPeriodicCv) return std::nullopt;
  // At least three periods in the block, so that a peak is a repetition, not a coincidence.
  const std::size_t max_lag =
      std::min(n / 3, static_cast<std::size_t>(std::floor(max_period_s / step_s)) + 1);
  if (max_lag < 3) return std::nullopt;
  const auto r = autocorrelation(centred, max_lag);
  std::size_t k = 1;
  while (k < max_lag && r[k] >= 0.0) ++k;  // past the first zero crossing
  for (++k; k < max_lag; ++k) {
    const bool peak = r[k] >= r[k - 1] && r[k] >= r[k + 1];
    if (peak && r[k] >= kMinPeriodicCorrelation)
      return SeriesPeriod{static_cast<double>(k) * step_s, r[k]};
  }
  return std::nullopt;
}

void CyclePeriodicityDetector::add(TimeNs time_ns, double power_w) {
  if (!times_ns_.empty() && time_ns <= times_ns_.back()) return;  // a repeated boundary round
  times_ns_.push_back(time_ns);
  power_w_.push_back(power_w);
  if (times_ns_.size() >= kCycleBlockSamples) close_block();
}

bool CyclePeriodicityDetector::block_aligned(std::optional<SeriesPeriod>& out) const {
  if (times_ns_.size() < kMinCycleBlockSamples) return false;
  const double step_s =
      ns_to_s(times_ns_.back() - times_ns_.front()) / static_cast<double>(times_ns_.size() - 1);
  const double max_period_s = (kMaxCycleMultiple + kCycleTolerance) * cycle_s_;
  out = series_period(resampled(times_ns_, power_w_), step_s, max_period_s);
  if (!out) return false;
  const double cycles = out->period_s / cycle_s_;
  const double nearest = std::round(cycles);
  return nearest >= 1 && nearest <= kMaxCycleMultiple &&
         std::fabs(cycles - nearest) <= kCycleTolerance;
}

void CyclePeriodicityDetector::close_block() {
  std::optional<SeriesPeriod> period;
  const bool aligned = block_aligned(period);
  ++closed_.blocks;
  if (aligned) {
    ++closed_.aligned_blocks;
    closed_.period_s = period->period_s;
    closed_.correlation = period->correlation;
  }
  times_ns_.clear();
  power_w_.clear();
}

CyclePeriodicity CyclePeriodicityDetector::result() const {
  CyclePeriodicity out = closed_;
  if (times_ns_.size() < kMinCycleBlockSamples) return out;
  std::optional<SeriesPeriod> period;
  ++out.blocks;
  if (block_aligned(period)) {
    ++out.aligned_blocks;
    out.period_s = period->period_s;
    out.correlation = period->correlation;
  }
  return out;
}

}  // namespace joulebench
