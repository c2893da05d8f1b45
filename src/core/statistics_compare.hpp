// Two-sample comparison of repeated measurements (`joulebench compare`): is the candidate's
// mean (J/token, J per run, ...) different from the baseline's, by how much, and how sure?
//
// Welch's t-test, which does not assume equal variances (two configurations of a GPU rarely
// have the same run-to-run spread): t = (mean_c - mean_b) / se with se^2 = s_b^2/n_b +
// s_c^2/n_c, Welch-Satterthwaite degrees of freedom, two-sided p-value from the Student t
// distribution. Effect sizes use the pooled standard deviation.
// Thread-safety: pure functions; safe to call from any thread.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>

#include "joulebench/error.hpp"

namespace joulebench {

// Every difference is candidate minus baseline, in the samples' unit (percentages and
// effect sizes are unitless). Null figures come with `reason`.
struct MeanComparison {
  std::size_t baseline_n = 0;
  std::size_t candidate_n = 0;
  std::optional<double> baseline_mean;
  std::optional<double> candidate_mean;
  std::optional<double> baseline_stddev;  // sample standard deviation (n - 1)
  std::optional<double> candidate_stddev;
  std::optional<double> difference;      // candidate_mean - baseline_mean
  std::optional<double> difference_pct;  // 100 * difference / baseline_mean
  double confidence = 0.95;
  std::optional<double> difference_lower;  // confidence interval of the difference (Welch df)
  std::optional<double> difference_upper;
  std::optional<double> t;         // Welch's t statistic
  std::optional<double> df;        // Welch-Satterthwaite degrees of freedom
  std::optional<double> p_value;   // two-sided
  std::optional<double> cohens_d;  // difference / pooled standard deviation
  std::optional<double> hedges_g;  // cohens_d with the exact small-sample correction
  std::string reason;              // sentences explaining each null figure
};

// Errors: a NaN or infinite sample (naming the side and index), confidence outside (0, 1).
// Fewer than 2 samples on either side leave t, df, p, the interval and the effect sizes null
// with "significance needs at least 2 samples per side"; zero variance on both sides leaves
// them null too (the test statistic would be a division by zero).
Expected<MeanComparison> compare_means(std::span<const double> baseline,
                                       std::span<const double> candidate, double confidence = 0.95);

}  // namespace joulebench
