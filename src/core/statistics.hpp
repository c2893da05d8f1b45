// Descriptive statistics over repeated measurements (energy per run, J/token, power samples).
//
// Values are plain doubles in the caller's unit; every result keeps that unit (a CV and a
// confidence level are ratios). A statistic that is undefined for the data (empty input, a
// standard deviation of one value, a CV around a zero mean) is std::nullopt, never 0 or NaN.
//
// The single-statistic functions return std::nullopt also when any input is NaN or infinite;
// the composite functions (mean_confidence_interval, find_outliers, summarize) return an
// Error naming the first bad index instead, for use at input boundaries.
// Thread-safety: pure functions over their arguments; safe to call from any thread.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "joulebench/error.hpp"

namespace joulebench {

// An Error naming the first NaN or infinite value, or true when all are finite.
Expected<bool> check_finite(std::span<const double> values);

std::optional<double> mean(std::span<const double> values);
std::optional<double> median(std::span<const double> values);
std::optional<double> min_value(std::span<const double> values);
std::optional<double> max_value(std::span<const double> values);
// Sample standard deviation (divisor n - 1); null when n < 2.
std::optional<double> sample_stddev(std::span<const double> values);
// stddev / |mean|: a non-negative spread ratio; null when n < 2 or the mean is 0.
std::optional<double> coefficient_of_variation(std::span<const double> values);
// The `percent`-th percentile, percent in [0, 100], interpolating linearly between order
// statistics at rank (n - 1) * percent / 100. This is numpy's default method ("linear",
// Hyndman & Fan type 7), so figures match np.percentile(values, percent).
std::optional<double> percentile(std::span<const double> values, double percent);

// Two-sided confidence interval of the mean from Student's t with n - 1 degrees of freedom:
// mean +- t_{(1 + confidence) / 2, n - 1} * stddev / sqrt(n).
struct ConfidenceInterval {
  double confidence = 0.95;     // e.g. 0.95 for a 95 % interval
  std::optional<double> lower;  // same unit as the values
  std::optional<double> upper;
  std::optional<double> half_width;  // t * standard error
  std::optional<double> t_critical;  // the Student t quantile used
  std::optional<double> df;          // n - 1
  std::string reason;                // why the interval is null; empty when it is not
};

// Errors: non-finite values, confidence outside (0, 1). n < 2 gives a null interval with
// the reason "a confidence interval needs at least 2 samples".
Expected<ConfidenceInterval> mean_confidence_interval(std::span<const double> values,
                                                      double confidence = 0.95);

// How outliers are found.
//  - sigma: |x - mean| / stddev > k (default k = 3). Samuelson's inequality bounds this score
//    by (n - 1) / sqrt(n) for every point of the sample itself, so below n = 11 (bound 2.85 at
//    n = 10) no point can ever exceed 3 sigma: the rule is blind for small repeat counts.
//  - mad: the robust modified z-score |x - median| / (1.4826 * MAD) > k (default k = 3.5,
//    Iglewicz & Hoaglin), where MAD is the median absolute deviation from the median and 1.4826
//    scales it to a normal sigma. One extreme point does not inflate MAD as it does stddev.
//  - automatic: sigma when (n - 1) / sqrt(n) > sigma_threshold (the rule can fire), else mad.
enum class OutlierMethod { sigma, mad, automatic };

const char* to_string(OutlierMethod method);  // "sigma", "mad", "automatic"

struct OutlierOptions {
  OutlierMethod method = OutlierMethod::sigma;
  double sigma_threshold = 3.0;  // k of the sigma rule
  double mad_threshold = 3.5;    // k of the mad rule
};

struct Outlier {
  std::size_t index = 0;  // position in the input
  double value = 0.0;     // the input value, in its unit
  double score = 0.0;     // sigma score or modified z-score (unitless, signed)
};

struct OutlierReport {
  OutlierMethod method = OutlierMethod::sigma;  // the rule applied (never automatic)
  double threshold = 3.0;                       // k of that rule
  // Null when the rule is undefined for the data: n < 2, or MAD = 0 (more than half the
  // values are equal). Empty when the rule applied and found none.
  std::optional<std::vector<Outlier>> outliers;
  std::string reason;  // why `outliers` is null; empty otherwise
};

// Errors: non-finite values, a threshold that is not a finite number > 0.
Expected<OutlierReport> find_outliers(std::span<const double> values,
                                      const OutlierOptions& options = {});

struct SummaryOptions {
  double confidence = 0.95;
  OutlierOptions outliers;
};

// Everything a report shows about repeated measurements, in the values' unit (cv is a ratio).
struct Summary {
  std::size_t n = 0;
  std::optional<double> mean;
  std::optional<double> median;
  std::optional<double> stddev;  // sample standard deviation (n - 1)
  std::optional<double> cv;      // stddev / |mean|
  std::optional<double> min;
  std::optional<double> max;
  std::optional<double> p50;
  std::optional<double> p90;
  std::optional<double> p99;
  ConfidenceInterval ci;
  OutlierReport outliers;
  std::string reason;  // sentences explaining each null figure above; empty when none is null
};

// Errors: non-finite values, invalid confidence or outlier threshold, values so large that
// their sum or spread overflows a double.
Expected<Summary> summarize(std::span<const double> values, const SummaryOptions& options = {});

}  // namespace joulebench
