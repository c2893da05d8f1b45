// Is a device's power periodic at a multiple of its sensor's cycle? On GPUs whose power sensor
// averages only part of every cycle (A100/H100: 25 ms of each 100 ms, Yang et al., arXiv
// 2312.02741), a load that repeats in step with that cycle is seen at the same phase every
// time: its energy is over- or under-read by up to the whole difference between the seen and
// the unseen part (aliasing). This detector looks for such a period in the sampled power.
//
// Definition (docs/measurement-method.md, "Part-time sensors"): power samples are taken in
// blocks of kCycleBlockSamples; each block is resampled onto a uniform grid at its mean
// sample spacing, its mean removed, and its normalised autocorrelation r(k) computed. The
// block's period is the first local maximum of r after r first drops below 0, with
// r >= kMinPeriodicCorrelation; it counts as cycle-aligned when it lies within
// kCycleTolerance cycles of m x cycle for m = 1..kMaxCycleMultiple. Flat blocks (power CV
// below kMinPeriodicCv) and blocks with fewer than kMinCycleBlockSamples samples are skipped.
// What it cannot see: a load repeating at exactly the cycle is read at the same phase every
// cycle, so the part-time readings themselves come out flat; only a spread of phases (see
// `joulebench run --spread-phases`) protects against that case.
// Cost: a bounded buffer per device and O(samples x lags) once per block.
// Not thread-safe (owned by one DeviceAccumulator).
#pragma once

#include <cstddef>
#include <optional>
#include <vector>

#include "joulebench/units.hpp"

namespace joulebench {

inline constexpr std::size_t kCycleBlockSamples = 256;
inline constexpr std::size_t kMinCycleBlockSamples = 32;
inline constexpr double kMinPeriodicCorrelation = 0.5;
inline constexpr double kMinPeriodicCv = 0.02;
inline constexpr double kCycleTolerance = 0.15;  // of one cycle
inline constexpr int kMaxCycleMultiple = 4;      // longer periods sample many phases

struct CyclePeriodicity {
  std::size_t blocks = 0;             // blocks analysed
  std::size_t aligned_blocks = 0;     // blocks periodic at a multiple of the cycle
  std::optional<double> period_s;     // the period of the last aligned block
  std::optional<double> correlation;  // its autocorrelation at that period
};

// The period (seconds) of a uniformly spaced series, per the definition above; null when the
// series has no period within max_period_s. Exposed for tests.
struct SeriesPeriod {
  double period_s = 0.0;
  double correlation = 0.0;
};
std::optional<SeriesPeriod> series_period(const std::vector<double>& power_w, double step_s,
                                          double max_period_s);

class CyclePeriodicityDetector {
 public:
  explicit CyclePeriodicityDetector(double cycle_s) : cycle_s_(cycle_s) {}

  void add(TimeNs time_ns, double power_w);
  // The blocks so far plus the partial block in progress (not consumed: const).
  CyclePeriodicity result() const;

 private:
  // True when the block's period is cycle-aligned; fills `out` with it.
  bool block_aligned(std::optional<SeriesPeriod>& out) const;
  void close_block();

  double cycle_s_;
  std::vector<TimeNs> times_ns_;
  std::vector<double> power_w_;
  CyclePeriodicity closed_;
};

}  // namespace joulebench
