#include "core/statistics.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "core/statistics_student_t.hpp"

namespace joulebench {
namespace {

// Scales the median absolute deviation to the standard deviation of a normal distribution.
constexpr double kMadToSigma = 1.4826;

bool all_finite(std::span<const double> values) {
  return std::all_of(values.begin(), values.end(), [](double v) { return std::isfinite(v); });
}

std::optional<double> finite_or_null(double v) {
  if (!std::isfinite(v)) return std::nullopt;
  return v;
}

// Neumaier's compensated sum: energies of long runs differ by small relative amounts, and
// naive summation would lose those digits before the subtraction in the variance.
double compensated_sum(std::span<const double> values) {
  double sum = 0.0;
  double compensation = 0.0;
  for (double v : values) {
    const double next = sum + v;
    compensation += std::fabs(sum) >= std::fabs(v) ? (sum - next) + v : (v - next) + sum;
    sum = next;
  }
  return sum + compensation;
}

double mean_of(std::span<const double> values) {
  return compensated_sum(values) / static_cast<double>(values.size());
}

// Two-pass variance (sum of squared deviations from the mean, divisor n - 1).
double variance_of(std::span<const double> values, double center) {
  std::vector<double> squares;
  squares.reserve(values.size());
  for (double v : values) squares.push_back((v - center) * (v - center));
  return compensated_sum(squares) / static_cast<double>(values.size() - 1);
}

std::vector<double> sorted_copy(std::span<const double> values) {
  std::vector<double> sorted(values.begin(), values.end());
  std::sort(sorted.begin(), sorted.end());
  return sorted;
}

// Linear interpolation written so that it is exact at both ends and monotonic in `fraction`.
double interpolate(double below, double above, double fraction) {
  if (fraction < 0.5) return below + (above - below) * fraction;
  return above - (above - below) * (1.0 - fraction);
}

double percentile_of_sorted(const std::vector<double>& sorted, double percent) {
  const double rank = static_cast<double>(sorted.size() - 1) * percent / 100.0;
  const auto below = static_cast<std::size_t>(std::floor(rank));
  if (below + 1 >= sorted.size()) return sorted.back();
  return interpolate(sorted[below], sorted[below + 1], rank - static_cast<double>(below));
}

bool valid_percent(double percent) { return percent >= 0.0 && percent <= 100.0; }

bool valid_confidence(double confidence) { return confidence > 0.0 && confidence < 1.0; }

bool valid_threshold(double k) { return std::isfinite(k) && k > 0.0; }

Error bad_parameter(const std::string& name, double value, const std::string& rule) {
  return Error{name + " must be " + rule + " (got " + std::to_string(value) + ")"};
}

std::optional<Error> check_options(const OutlierOptions& options) {
  if (!valid_threshold(options.sigma_threshold)) {
    return bad_parameter("the sigma outlier threshold", options.sigma_threshold,
                         "a finite number > 0");
  }
  if (!valid_threshold(options.mad_threshold)) {
    return bad_parameter("the MAD outlier threshold", options.mad_threshold, "a finite number > 0");
  }
  return std::nullopt;
}

// The largest sigma score any point of an n-sample can reach (Samuelson's inequality).
double max_sigma_score(std::size_t n) {
  if (n < 2) return 0.0;
  const auto count = static_cast<double>(n);
  return (count - 1.0) / std::sqrt(count);
}

OutlierMethod resolve_method(const OutlierOptions& options, std::size_t n) {
  if (options.method != OutlierMethod::automatic) return options.method;
  return max_sigma_score(n) > options.sigma_threshold ? OutlierMethod::sigma : OutlierMethod::mad;
}

std::vector<Outlier> beyond(std::span<const double> values, double center, double scale,
                            double threshold) {
  std::vector<Outlier> found;
  for (std::size_t i = 0; i < values.size(); ++i) {
    const double score = (values[i] - center) / scale;
    if (std::fabs(score) > threshold) found.push_back({i, values[i], score});
  }
  return found;
}

void apply_sigma_rule(std::span<const double> values, OutlierReport& report) {
  const double center = mean_of(values);
  const double stddev = std::sqrt(variance_of(values, center));
  if (!std::isfinite(center) || !std::isfinite(stddev)) {
    report.reason = "values too large: their mean or variance overflows a double";
    return;
  }
  // Identical values: nothing deviates, and the score would be 0 / 0.
  report.outliers =
      stddev == 0.0 ? std::vector<Outlier>{} : beyond(values, center, stddev, report.threshold);
}

void apply_mad_rule(std::span<const double> values, OutlierReport& report) {
  const auto sorted = sorted_copy(values);
  const double center = percentile_of_sorted(sorted, 50.0);
  std::vector<double> deviations;
  deviations.reserve(values.size());
  for (double v : values) deviations.push_back(std::fabs(v - center));
  std::sort(deviations.begin(), deviations.end());
  const double mad = percentile_of_sorted(deviations, 50.0);
  if (mad == 0.0) {
    report.reason =
        "the median absolute deviation is 0 (more than half the values equal the median), "
        "so modified z-scores are undefined";
    return;
  }
  report.outliers = beyond(values, center, kMadToSigma * mad, report.threshold);
}

// Outliers of finite values with valid options.
OutlierReport outliers_of(std::span<const double> values, const OutlierOptions& options) {
  OutlierReport report;
  report.method = resolve_method(options, values.size());
  report.threshold =
      report.method == OutlierMethod::sigma ? options.sigma_threshold : options.mad_threshold;
  if (values.size() < 2) {
    report.reason = "outlier detection needs at least 2 samples";
    return report;
  }
  if (report.method == OutlierMethod::sigma) {
    apply_sigma_rule(values, report);
  } else {
    apply_mad_rule(values, report);
  }
  return report;
}

// Interval around `center` from a standard error with n - 1 degrees of freedom.
ConfidenceInterval interval_of(double center, double stddev, std::size_t n, double confidence) {
  ConfidenceInterval ci;
  ci.confidence = confidence;
  if (n < 2) {
    ci.reason = "a confidence interval needs at least 2 samples";
    return ci;
  }
  const auto df = static_cast<double>(n - 1);
  auto t = student_t_quantile((1.0 + confidence) / 2.0, df);
  if (!t) {
    ci.reason = "the Student t quantile could not be computed";
    return ci;
  }
  const double half = *t * stddev / std::sqrt(static_cast<double>(n));
  ci.t_critical = *t;
  ci.df = df;
  ci.half_width = half;
  ci.lower = center - half;
  ci.upper = center + half;
  return ci;
}

void append_reason(std::string& reasons, const std::string& sentence) {
  if (!reasons.empty()) reasons += "; ";
  reasons += sentence;
}

void fill_order_statistics(std::span<const double> values, Summary& summary) {
  const auto sorted = sorted_copy(values);
  summary.min = sorted.front();
  summary.max = sorted.back();
  summary.median = percentile_of_sorted(sorted, 50.0);
  summary.p50 = summary.median;
  summary.p90 = percentile_of_sorted(sorted, 90.0);
  summary.p99 = percentile_of_sorted(sorted, 99.0);
}

// Mean, stddev and CV of finite, non-empty values; an Error when they overflow.
std::optional<Error> fill_moments(std::span<const double> values, Summary& summary) {
  const double center = mean_of(values);
  if (!std::isfinite(center)) return Error{"values too large: their sum overflows a double"};
  summary.mean = center;
  if (values.size() < 2) {
    append_reason(summary.reason, "a standard deviation and CV need at least 2 samples");
    return std::nullopt;
  }
  const double stddev = std::sqrt(variance_of(values, center));
  if (!std::isfinite(stddev)) return Error{"values too spread: their variance overflows a double"};
  summary.stddev = stddev;
  if (center == 0.0) {
    append_reason(summary.reason, "the coefficient of variation is undefined for a zero mean");
  } else {
    summary.cv = stddev / std::fabs(center);
  }
  return std::nullopt;
}

}  // namespace

Expected<bool> check_finite(std::span<const double> values) {
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (!std::isfinite(values[i])) {
      return Error{"value " + std::to_string(i) + " is " +
                   (std::isnan(values[i]) ? "NaN" : "infinite") + "; samples must be finite"};
    }
  }
  return true;
}

std::optional<double> mean(std::span<const double> values) {
  if (values.empty() || !all_finite(values)) return std::nullopt;
  return finite_or_null(mean_of(values));
}

std::optional<double> median(std::span<const double> values) { return percentile(values, 50.0); }

std::optional<double> min_value(std::span<const double> values) {
  if (values.empty() || !all_finite(values)) return std::nullopt;
  return *std::min_element(values.begin(), values.end());
}

std::optional<double> max_value(std::span<const double> values) {
  if (values.empty() || !all_finite(values)) return std::nullopt;
  return *std::max_element(values.begin(), values.end());
}

std::optional<double> sample_stddev(std::span<const double> values) {
  if (values.size() < 2 || !all_finite(values)) return std::nullopt;
  const double center = mean_of(values);
  if (!std::isfinite(center)) return std::nullopt;
  return finite_or_null(std::sqrt(variance_of(values, center)));
}

std::optional<double> coefficient_of_variation(std::span<const double> values) {
  auto stddev = sample_stddev(values);
  if (!stddev) return std::nullopt;
  const double center = mean_of(values);
  if (center == 0.0) return std::nullopt;
  return *stddev / std::fabs(center);
}

std::optional<double> percentile(std::span<const double> values, double percent) {
  if (values.empty() || !valid_percent(percent) || !all_finite(values)) return std::nullopt;
  return percentile_of_sorted(sorted_copy(values), percent);
}

Expected<ConfidenceInterval> mean_confidence_interval(std::span<const double> values,
                                                      double confidence) {
  if (auto finite = check_finite(values); !finite) return finite.error();
  if (!valid_confidence(confidence)) {
    return bad_parameter("the confidence level", confidence, "between 0 and 1 (exclusive)");
  }
  if (values.size() < 2) return interval_of(0.0, 0.0, values.size(), confidence);
  auto stddev = sample_stddev(values);
  if (!stddev) return Error{"values too large: their mean or variance overflows a double"};
  return interval_of(mean_of(values), *stddev, values.size(), confidence);
}

Expected<OutlierReport> find_outliers(std::span<const double> values,
                                      const OutlierOptions& options) {
  if (auto finite = check_finite(values); !finite) return finite.error();
  if (auto error = check_options(options)) return *error;
  return outliers_of(values, options);
}

Expected<Summary> summarize(std::span<const double> values, const SummaryOptions& options) {
  if (auto finite = check_finite(values); !finite) return finite.error();
  if (!valid_confidence(options.confidence)) {
    return bad_parameter("the confidence level", options.confidence, "between 0 and 1 (exclusive)");
  }
  if (auto error = check_options(options.outliers)) return *error;
  Summary summary;
  summary.n = values.size();
  if (values.empty()) {
    summary.reason = "no samples";
    summary.ci = interval_of(0.0, 0.0, 0, options.confidence);
    summary.outliers = outliers_of(values, options.outliers);
    return summary;
  }
  if (auto error = fill_moments(values, summary)) return *error;
  summary.outliers = outliers_of(values, options.outliers);
  fill_order_statistics(values, summary);
  summary.ci =
      interval_of(*summary.mean, summary.stddev.value_or(0.0), summary.n, options.confidence);
  return summary;
}

const char* to_string(OutlierMethod method) {
  switch (method) {
    case OutlierMethod::sigma:
      return "sigma";
    case OutlierMethod::mad:
      return "mad";
    case OutlierMethod::automatic:
      return "automatic";
  }
  return "sigma";
}

}  // namespace joulebench
