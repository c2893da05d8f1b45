#include "core/statistics_compare.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <numbers>
#include <vector>

#include "core/statistics_student_t.hpp"

namespace joulebench {
namespace {

using Values = std::vector<double>;

MeanComparison compare(const Values& baseline, const Values& candidate, double confidence = 0.95) {
  auto result = compare_means(baseline, candidate, confidence);
  EXPECT_TRUE(result) << (result ? "" : result.error().message);
  return result ? *result : MeanComparison{};
}

// Worked by hand. Baseline 1..5: mean 3, s^2 = 10 / 4 = 2.5. Candidate 2, 4, .., 10: mean 6,
// s^2 = 40 / 4 = 10. se^2 = 2.5 / 5 + 10 / 5 = 0.5 + 2 = 2.5, so t = 3 / sqrt(2.5)
// = 1.8973665961. df = 2.5^2 / (0.5^2 / 4 + 2^2 / 4) = 6.25 / 1.0625 = 5.8823529412.
// Pooled s^2 = (4 * 2.5 + 4 * 10) / 8 = 6.25, so d = 3 / 2.5 = 1.2. Hedges: m = 8,
// J = Gamma(4) / (sqrt(4) Gamma(3.5)) = 6 / (2 * 1.875 * sqrt(pi)), g = 1.2 * J.
TEST(CompareMeans, HandWorkedExample) {
  const auto c = compare({1, 2, 3, 4, 5}, {2, 4, 6, 8, 10});
  EXPECT_EQ(c.baseline_n, 5u);
  EXPECT_EQ(c.candidate_n, 5u);
  EXPECT_DOUBLE_EQ(*c.baseline_mean, 3.0);
  EXPECT_DOUBLE_EQ(*c.candidate_mean, 6.0);
  EXPECT_DOUBLE_EQ(*c.baseline_stddev, std::sqrt(2.5));
  EXPECT_DOUBLE_EQ(*c.candidate_stddev, std::sqrt(10.0));
  EXPECT_DOUBLE_EQ(*c.difference, 3.0);
  EXPECT_DOUBLE_EQ(*c.difference_pct, 100.0);
  EXPECT_NEAR(*c.t, 3.0 / std::sqrt(2.5), 1e-12);
  EXPECT_NEAR(*c.df, 6.25 / 1.0625, 1e-12);
  EXPECT_NEAR(*c.cohens_d, 1.2, 1e-12);
  const double j = 6.0 / (2.0 * 1.875 * std::sqrt(std::numbers::pi));
  EXPECT_NEAR(*c.hedges_g, 1.2 * j, 1e-12);
  // The interval is symmetric around the difference and its half-width over se is the
  // t quantile that leaves 2.5 % in the upper tail.
  const double half = (*c.difference_upper - *c.difference_lower) / 2.0;
  EXPECT_NEAR((*c.difference_upper + *c.difference_lower) / 2.0, 3.0, 1e-12);
  EXPECT_NEAR(*student_t_upper_tail(half / std::sqrt(2.5), 6.25 / 1.0625), 0.025, 1e-12);
  EXPECT_NEAR(*c.p_value, 2.0 * *student_t_upper_tail(3.0 / std::sqrt(2.5), *c.df), 1e-15);
  EXPECT_GT(*c.p_value, 0.05);  // 2 * P(T > 1.897, 5.88 df) is about 0.107
  EXPECT_LT(*c.p_value, 0.2);
  EXPECT_TRUE(c.reason.empty());
}

// R's t.test(x, y) reports mean(x) - mean(y); here x is the candidate and y the baseline.
struct PublishedWelch {
  const char* source;
  Values x;
  Values y;
  double t, t_tol;
  double df, df_tol;
  double p, p_tol;
  double lower, upper, ci_tol;
};

TEST(CompareMeans, PublishedWelchExamples) {
  const std::vector<PublishedWelch> cases = {
      // R: t.test(extra ~ group, data = sleep): t = -1.8608, df = 17.776, p = 0.07939,
      // 95 % CI -3.3654832 .. 0.2054832 (Student's sleep data, group 1 vs group 2).
      {"sleep",
       {0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0},
       {1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4},
       -1.8608,
       5e-5,
       17.776,
       5e-4,
       0.07939,
       5e-6,
       -3.3654832,
       0.2054832,
       5e-8},
      {"booklet",
       {90, 85, 88, 89, 94, 91, 79, 83, 87, 88, 91, 90},
       {67, 90, 71, 95, 88, 83, 72, 66, 75, 86, 93, 84},
       2.2361,
       5e-5,
       14.354,
       5e-4,
       0.04171,
       5e-6,
       0.3048395,
       13.8618272,
       5e-8},
      {"r.omics",
       {6.6, 5.3, 2.2, 2.3, 7.1, 1.6, 6.1, 2.0, 2.5, 3.7},
       {6.3, 14.7, 10.3, 7.8, 3.7, 5.8, 4.5, 7.8, 11.1, 10.8},
       -3.4068,
       5e-5,
       15.045,
       5e-4,
       0.003889,
       5e-7,
       -7.054604,
       -1.625396,
       5e-7},
      {"ts1/ts2",
       {11, 9, 10, 11, 10, 12, 9, 11, 12, 9},
       {11, 13, 10, 13, 12, 9, 11, 12, 12, 11},
       -1.8325,
       5e-5,
       17.9,
       5e-4,
       0.08356,
       5e-6,
       -2.1469104,
       0.1469104,
       5e-8},
      {"statscodes",
       {5.1, 2.0, 4.1, 6.2, 7.1, 8.3},
       {1.5, 6.4, 3.3, 5.8, 4.8, 7.2, 5.6, 4.5},
       0.51703,
       5e-6,
       9.48,
       5e-5,
       0.617,
       5e-5,
       -1.935420,
       3.093754,
       5e-7},
  };
  for (const auto& k : cases) {
    const auto c = compare(k.y, k.x);
    EXPECT_NEAR(*c.t, k.t, k.t_tol) << k.source;
    EXPECT_NEAR(*c.df, k.df, k.df_tol) << k.source;
    EXPECT_NEAR(*c.p_value, k.p, k.p_tol) << k.source;
    EXPECT_NEAR(*c.difference_lower, k.lower, k.ci_tol) << k.source;
    EXPECT_NEAR(*c.difference_upper, k.upper, k.ci_tol) << k.source;
  }
}

TEST(CompareMeans, RelativeDifferenceAndOtherConfidence) {
  const auto c = compare({10, 12}, {9, 9.5}, 0.9);
  EXPECT_DOUBLE_EQ(*c.difference, -1.75);
  EXPECT_DOUBLE_EQ(*c.difference_pct, -1.75 / 11.0 * 100.0);
  EXPECT_DOUBLE_EQ(c.confidence, 0.9);
  // se^2 = 2 / 2 + 0.125 / 2 = 1.0625; df = 1.0625^2 / (1 + 0.0625^2) = 1.12521...
  const double se = std::sqrt(1.0625);
  const double df = 1.0625 * 1.0625 / (1.0 + 0.0625 * 0.0625);
  EXPECT_NEAR(*c.df, df, 1e-12);
  const double half = *student_t_quantile(0.95, df) * se;
  EXPECT_NEAR(*c.difference_lower, -1.75 - half, 1e-9);
}

TEST(CompareMeans, TooFewSamples) {
  const auto c = compare({5}, {6, 7, 8});
  EXPECT_DOUBLE_EQ(*c.baseline_mean, 5.0);
  EXPECT_DOUBLE_EQ(*c.candidate_mean, 7.0);
  EXPECT_DOUBLE_EQ(*c.difference, 2.0);
  EXPECT_DOUBLE_EQ(*c.difference_pct, 40.0);
  EXPECT_FALSE(c.baseline_stddev);
  EXPECT_DOUBLE_EQ(*c.candidate_stddev, 1.0);
  EXPECT_FALSE(c.t);
  EXPECT_FALSE(c.df);
  EXPECT_FALSE(c.p_value);
  EXPECT_FALSE(c.cohens_d);
  EXPECT_FALSE(c.hedges_g);
  EXPECT_FALSE(c.difference_lower);
  EXPECT_FALSE(c.difference_upper);
  EXPECT_EQ(c.reason, "significance needs at least 2 samples per side");
}

TEST(CompareMeans, EmptySide) {
  const auto c = compare({}, {1, 2});
  EXPECT_FALSE(c.baseline_mean);
  EXPECT_DOUBLE_EQ(*c.candidate_mean, 1.5);
  EXPECT_FALSE(c.difference);
  EXPECT_FALSE(c.p_value);
  EXPECT_NE(c.reason.find("significance needs at least 2 samples per side"), std::string::npos);
}

TEST(CompareMeans, ZeroVarianceOnBothSides) {
  const auto c = compare({3, 3, 3}, {4, 4});
  EXPECT_DOUBLE_EQ(*c.difference, 1.0);
  EXPECT_FALSE(c.t);
  EXPECT_FALSE(c.p_value);
  EXPECT_FALSE(c.cohens_d);
  EXPECT_FALSE(c.difference_lower);
  EXPECT_EQ(c.reason,
            "both sides have zero variance, so the t-test and effect sizes are undefined");
}

TEST(CompareMeans, ZeroVarianceOnOneSide) {
  // Only the candidate varies: se^2 = s_c^2 / n_c, df = n_c - 1 = 3 exactly.
  // Candidate 1, 2, 3, 4: mean 2.5, s^2 = 5 / 3; t = (2.5 - 2) / sqrt(5 / 12).
  const auto c = compare({2, 2, 2}, {1, 2, 3, 4});
  EXPECT_NEAR(*c.df, 3.0, 1e-12);
  EXPECT_NEAR(*c.t, 0.5 / std::sqrt(5.0 / 12.0), 1e-12);
  // df = 3 has a closed-form CDF: P(T > t) = 1/2 - (t / (sqrt3 (1 + t^2/3)) + atan(t / sqrt3)) /
  // pi.
  const double t = *c.t;
  const double tail =
      0.5 - (t / (std::sqrt(3.0) * (1.0 + t * t / 3.0)) + std::atan(t / std::sqrt(3.0))) /
                std::numbers::pi;
  EXPECT_NEAR(*c.p_value, 2.0 * tail, 1e-12);
  // Pooled s^2 = (2 * 0 + 3 * 5/3) / 5 = 1, so d = 0.5.
  EXPECT_NEAR(*c.cohens_d, 0.5, 1e-12);
}

TEST(CompareMeans, ZeroBaselineMean) {
  const auto c = compare({-1, 1}, {2, 4});
  EXPECT_DOUBLE_EQ(*c.difference, 3.0);
  EXPECT_FALSE(c.difference_pct);
  EXPECT_TRUE(c.p_value);
  EXPECT_EQ(c.reason, "the relative difference is undefined for a zero baseline mean");
}

TEST(CompareMeans, RejectsBadInput) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  auto bad_candidate = compare_means(Values{1, 2}, Values{1, nan});
  ASSERT_FALSE(bad_candidate);
  EXPECT_EQ(bad_candidate.error().message, "candidate: value 1 is NaN; samples must be finite");
  auto bad_baseline = compare_means(Values{std::numeric_limits<double>::infinity()}, Values{1, 2});
  ASSERT_FALSE(bad_baseline);
  EXPECT_EQ(bad_baseline.error().message.rfind("baseline: ", 0), 0u);
  EXPECT_FALSE(compare_means(Values{1, 2}, Values{3, 4}, 1.0));
  EXPECT_FALSE(compare_means(Values{1, 2}, Values{3, 4}, 0.0));
}

}  // namespace
}  // namespace joulebench
