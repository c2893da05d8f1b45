#include "core/statistics_compare.hpp"

#include <cmath>

#include "core/statistics.hpp"
#include "core/statistics_student_t.hpp"

namespace joulebench {
namespace {

struct SideMoments {
  std::size_t n = 0;
  double mean = 0.0;
  double variance = 0.0;  // sample variance (n - 1); 0 when n < 2
};

Expected<bool> check_side(std::span<const double> values, const char* side) {
  auto finite = check_finite(values);
  if (!finite) return Error{std::string(side) + ": " + finite.error().message};
  return true;
}

// Moments of finite values with n >= 1; an Error when they overflow a double.
Expected<SideMoments> moments_of(std::span<const double> values, const char* side) {
  SideMoments moments;
  moments.n = values.size();
  auto center = mean(values);
  if (!center) return Error{std::string(side) + ": values too large for their mean"};
  moments.mean = *center;
  if (values.size() >= 2) {
    auto stddev = sample_stddev(values);
    if (!stddev) return Error{std::string(side) + ": values too spread for their variance"};
    moments.variance = *stddev * *stddev;
  }
  return moments;
}

void append_reason(std::string& reasons, const std::string& sentence) {
  if (!reasons.empty()) reasons += "; ";
  reasons += sentence;
}

// Hedges' exact small-sample correction J(m) = Gamma(m/2) / (sqrt(m/2) Gamma((m-1)/2)),
// m = n_b + n_c - 2 (>= 2 here); it removes the upward bias of Cohen's d in small samples.
double hedges_correction(double m) {
  return std::exp(log_gamma(m / 2.0) - log_gamma((m - 1.0) / 2.0)) / std::sqrt(m / 2.0);
}

void fill_effect_sizes(const SideMoments& base, const SideMoments& cand, MeanComparison& out) {
  const double m = static_cast<double>(base.n + cand.n - 2);
  const double pooled_variance = (static_cast<double>(base.n - 1) * base.variance +
                                  static_cast<double>(cand.n - 1) * cand.variance) /
                                 m;
  const double d = (cand.mean - base.mean) / std::sqrt(pooled_variance);
  out.cohens_d = d;
  out.hedges_g = d * hedges_correction(m);
}

// t, df, p and the interval of the difference; both sides have n >= 2 and some variance.
void fill_welch_test(const SideMoments& base, const SideMoments& cand, MeanComparison& out) {
  const double base_term = base.variance / static_cast<double>(base.n);
  const double cand_term = cand.variance / static_cast<double>(cand.n);
  const double se = std::sqrt(base_term + cand_term);
  // Welch-Satterthwaite df = (vb + vc)^2 / (vb^2 / (nb - 1) + vc^2 / (nc - 1)), written with
  // the baseline's share of the variance so that tiny variances do not underflow when squared.
  const double share = base_term / (base_term + cand_term);
  const double df = 1.0 / (share * share / static_cast<double>(base.n - 1) +
                           (1.0 - share) * (1.0 - share) / static_cast<double>(cand.n - 1));
  const double t = (cand.mean - base.mean) / se;
  auto tail = std::isfinite(t) ? student_t_upper_tail(std::fabs(t), df) : std::nullopt;
  auto critical = student_t_quantile((1.0 + out.confidence) / 2.0, df);
  if (!tail || !critical) {
    append_reason(out.reason, "the t-test cannot be evaluated for variances this extreme");
    return;
  }
  out.t = t;
  out.df = df;
  out.p_value = 2.0 * *tail;
  out.difference_lower = (cand.mean - base.mean) - *critical * se;
  out.difference_upper = (cand.mean - base.mean) + *critical * se;
  fill_effect_sizes(base, cand, out);
}

void fill_difference(const SideMoments& base, const SideMoments& cand, MeanComparison& out) {
  out.difference = cand.mean - base.mean;
  if (base.mean == 0.0) {
    append_reason(out.reason, "the relative difference is undefined for a zero baseline mean");
  } else {
    out.difference_pct = 100.0 * (cand.mean - base.mean) / base.mean;
  }
}

std::optional<double> stddev_of(const SideMoments& side) {
  if (side.n < 2) return std::nullopt;
  return std::sqrt(side.variance);
}

}  // namespace

Expected<MeanComparison> compare_means(std::span<const double> baseline,
                                       std::span<const double> candidate, double confidence) {
  if (auto ok = check_side(baseline, "baseline"); !ok) return ok.error();
  if (auto ok = check_side(candidate, "candidate"); !ok) return ok.error();
  if (!(confidence > 0.0 && confidence < 1.0)) {
    return Error{"the confidence level must be between 0 and 1 (exclusive) (got " +
                 std::to_string(confidence) + ")"};
  }
  MeanComparison out;
  out.baseline_n = baseline.size();
  out.candidate_n = candidate.size();
  out.confidence = confidence;
  if (baseline.empty() || candidate.empty()) {
    out.reason = "significance needs at least 2 samples per side; a side has no samples";
    if (!baseline.empty()) out.baseline_mean = mean(baseline);
    if (!candidate.empty()) out.candidate_mean = mean(candidate);
    return out;
  }
  auto base = moments_of(baseline, "baseline");
  if (!base) return base.error();
  auto cand = moments_of(candidate, "candidate");
  if (!cand) return cand.error();
  out.baseline_mean = base->mean;
  out.candidate_mean = cand->mean;
  out.baseline_stddev = stddev_of(*base);
  out.candidate_stddev = stddev_of(*cand);
  fill_difference(*base, *cand, out);
  if (base->n < 2 || cand->n < 2) {
    append_reason(out.reason, "significance needs at least 2 samples per side");
  } else if (base->variance == 0.0 && cand->variance == 0.0) {
    append_reason(out.reason,
                  "both sides have zero variance, so the t-test and effect sizes are undefined");
  } else {
    fill_welch_test(*base, *cand, out);
  }
  return out;
}

}  // namespace joulebench
