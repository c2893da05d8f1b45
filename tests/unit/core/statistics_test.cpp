#include "core/statistics.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

namespace joulebench {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

using Values = std::vector<double>;

TEST(Statistics, HandComputedMoments) {
  // Mean 5; squared deviations 9+1+1+1+0+0+4+16 = 32; sample variance 32 / 7.
  const Values v{2, 4, 4, 4, 5, 5, 7, 9};
  EXPECT_DOUBLE_EQ(*mean(v), 5.0);
  EXPECT_DOUBLE_EQ(*sample_stddev(v), std::sqrt(32.0 / 7.0));
  EXPECT_DOUBLE_EQ(*coefficient_of_variation(v), std::sqrt(32.0 / 7.0) / 5.0);
  EXPECT_DOUBLE_EQ(*min_value(v), 2.0);
  EXPECT_DOUBLE_EQ(*max_value(v), 9.0);
  EXPECT_DOUBLE_EQ(*median(v), 4.5);
  EXPECT_DOUBLE_EQ(*median(Values{3, 1, 2}), 2.0);
}

TEST(Statistics, CompensatedSumKeepsSmallDifferences) {
  // 1e8 + {0.1, 0.2, 0.3}: a naive running sum of many such terms drifts; the mean must not.
  Values v;
  for (int i = 0; i < 3000; ++i) v.push_back(1e8 + 0.1 * (i % 3 + 1));
  EXPECT_NEAR(*mean(v) - 1e8, 0.2, 1e-7);
  // Deviations -0.1, 0, +0.1, a thousand each: 20 / 2999.
  EXPECT_NEAR(*sample_stddev(v), std::sqrt(20.0 / 2999.0), 1e-7);
}

TEST(Statistics, CvUsesAbsoluteMean) {
  EXPECT_DOUBLE_EQ(*coefficient_of_variation(Values{-2, -4}), std::sqrt(2.0) / 3.0);
  EXPECT_FALSE(coefficient_of_variation(Values{-1, 1}));  // mean 0
}

// numpy documents np.percentile(a, 50) == 3.5 for a = [[10, 7, 4], [3, 2, 1]], 6.5 / 4.5 / 2.5
// along axis 0 and 7 / 2 along axis 1.
TEST(Percentile, NumpyDocumentedExamples) {
  EXPECT_DOUBLE_EQ(*percentile(Values{10, 7, 4, 3, 2, 1}, 50), 3.5);
  EXPECT_DOUBLE_EQ(*percentile(Values{10, 3}, 50), 6.5);
  EXPECT_DOUBLE_EQ(*percentile(Values{7, 2}, 50), 4.5);
  EXPECT_DOUBLE_EQ(*percentile(Values{4, 1}, 50), 2.5);
  EXPECT_DOUBLE_EQ(*percentile(Values{10, 7, 4}, 50), 7.0);
  EXPECT_DOUBLE_EQ(*percentile(Values{3, 2, 1}, 50), 2.0);
}

TEST(Percentile, LinearInterpolationByHand) {
  // [1, 2, 3, 4, 8]: rank 4 * 0.4 = 1.6 -> 2 + 0.6 * (3 - 2) = 2.6;
  //                  rank 4 * 0.9 = 3.6 -> 4 + 0.6 * (8 - 4) = 6.4.
  const Values v{8, 1, 4, 2, 3};
  EXPECT_DOUBLE_EQ(*percentile(v, 40), 2.6);
  EXPECT_DOUBLE_EQ(*percentile(v, 90), 6.4);
  EXPECT_DOUBLE_EQ(*percentile(v, 0), 1.0);
  EXPECT_DOUBLE_EQ(*percentile(v, 100), 8.0);
  // 1..10: rank 9 * 0.99 = 8.91 -> 9 + 0.91 = 9.91.
  const Values ten{1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
  EXPECT_NEAR(*percentile(ten, 99), 9.91, 1e-12);
  EXPECT_DOUBLE_EQ(*percentile(Values{42}, 73), 42.0);
}

TEST(Percentile, RejectsBadPercentAndInput) {
  EXPECT_FALSE(percentile(Values{1, 2}, -1));
  EXPECT_FALSE(percentile(Values{1, 2}, 100.5));
  EXPECT_FALSE(percentile(Values{1, 2}, kNaN));
  EXPECT_FALSE(percentile(Values{}, 50));
  EXPECT_FALSE(percentile(Values{1, kNaN}, 50));
}

TEST(Statistics, EmptyAndSingleValues) {
  EXPECT_FALSE(mean(Values{}));
  EXPECT_FALSE(median(Values{}));
  EXPECT_FALSE(min_value(Values{}));
  EXPECT_FALSE(max_value(Values{}));
  EXPECT_FALSE(sample_stddev(Values{}));
  EXPECT_FALSE(sample_stddev(Values{3}));
  EXPECT_FALSE(coefficient_of_variation(Values{3}));
  EXPECT_DOUBLE_EQ(*mean(Values{3}), 3.0);
}

TEST(Statistics, NonFiniteInputGivesNullOrError) {
  const Values with_nan{1, kNaN, 3};
  const Values with_inf{1, 2, -kInf};
  EXPECT_FALSE(mean(with_nan));
  EXPECT_FALSE(sample_stddev(with_inf));
  EXPECT_FALSE(min_value(with_inf));
  auto checked = check_finite(with_nan);
  ASSERT_FALSE(checked);
  EXPECT_EQ(checked.error().message, "value 1 is NaN; samples must be finite");
  auto summary = summarize(with_inf);
  ASSERT_FALSE(summary);
  EXPECT_EQ(summary.error().message, "value 2 is infinite; samples must be finite");
  EXPECT_FALSE(mean_confidence_interval(with_nan));
  EXPECT_FALSE(find_outliers(with_nan));
}

TEST(Statistics, OverflowIsAnErrorNotInfinity) {
  const double big = std::numeric_limits<double>::max();
  EXPECT_FALSE(mean(Values{big, big}));
  EXPECT_FALSE(summarize(Values{big, big}));
}

TEST(ConfidenceInterval, PublishedTQuantile) {
  // 1..10: mean 5.5, s^2 = 82.5 / 9, se = s / sqrt(10); t(0.975, 9) = 2.262157162.
  const Values v{1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
  auto ci = mean_confidence_interval(v);
  ASSERT_TRUE(ci);
  const double half = 2.262157162 * std::sqrt(82.5 / 9.0) / std::sqrt(10.0);
  EXPECT_NEAR(*ci->half_width, half, 1e-8);
  EXPECT_NEAR(*ci->lower, 5.5 - half, 1e-8);
  EXPECT_NEAR(*ci->upper, 5.5 + half, 1e-8);
  EXPECT_NEAR(*ci->t_critical, 2.262157162, 1e-9);
  EXPECT_DOUBLE_EQ(*ci->df, 9.0);
  EXPECT_DOUBLE_EQ(ci->confidence, 0.95);
  EXPECT_TRUE(ci->reason.empty());
}

TEST(ConfidenceInterval, OtherLevelAndTwoSamples) {
  // Two samples {0, 2}: mean 1, s = sqrt(2), se = 1; 95 % with df 1 uses t = 12.70620474.
  auto ci = mean_confidence_interval(Values{0, 2});
  ASSERT_TRUE(ci);
  EXPECT_NEAR(*ci->lower, 1.0 - 12.70620474, 1e-8);
  // 50 % with df = 1: the Cauchy quartile, t = tan(pi / 4) = 1.
  auto half = mean_confidence_interval(Values{0, 2}, 0.5);
  ASSERT_TRUE(half);
  EXPECT_NEAR(*half->upper, 2.0, 1e-12);
}

TEST(ConfidenceInterval, UndefinedOrInvalid) {
  auto one = mean_confidence_interval(Values{4});
  ASSERT_TRUE(one);
  EXPECT_FALSE(one->lower);
  EXPECT_FALSE(one->half_width);
  EXPECT_EQ(one->reason, "a confidence interval needs at least 2 samples");
  for (double bad : {0.0, 1.0, -0.5, 1.5, kNaN}) {
    auto ci = mean_confidence_interval(Values{1, 2, 3}, bad);
    ASSERT_FALSE(ci) << bad;
    EXPECT_NE(ci.error().message.find("confidence level"), std::string::npos);
  }
}

TEST(ConfidenceInterval, IdenticalValuesHaveZeroWidth) {
  auto ci = mean_confidence_interval(Values{7, 7, 7});
  ASSERT_TRUE(ci);
  EXPECT_DOUBLE_EQ(*ci->lower, 7.0);
  EXPECT_DOUBLE_EQ(*ci->upper, 7.0);
  EXPECT_DOUBLE_EQ(*ci->half_width, 0.0);
}

// Ten runs with one wild value: the sigma rule cannot flag it at n = 10, the MAD rule does.
const Values kTenRuns{10.0, 10.2, 9.9, 10.1, 9.8, 10.0, 10.3, 9.7, 10.1, 14.0};

TEST(Outliers, SigmaRuleIsBlindAtTenSamples) {
  auto report = find_outliers(kTenRuns);
  ASSERT_TRUE(report);
  EXPECT_EQ(report->method, OutlierMethod::sigma);
  EXPECT_DOUBLE_EQ(report->threshold, 3.0);
  ASSERT_TRUE(report->outliers);
  EXPECT_TRUE(report->outliers->empty());
}

TEST(Outliers, SamuelsonBoundIsReached) {
  // Nine 10s and one 100: mean 19, s^2 = (9 * 81 + 81^2) / 9 = 810, score 81 / sqrt(810)
  // = 9 / sqrt(10), exactly the bound (n - 1) / sqrt(n); still below 3.
  Values v(9, 10.0);
  v.push_back(100.0);
  OutlierOptions options;
  options.sigma_threshold = 2.8;
  auto report = find_outliers(v, options);
  ASSERT_TRUE(report && report->outliers);
  ASSERT_EQ(report->outliers->size(), 1u);
  EXPECT_EQ(report->outliers->front().index, 9u);
  EXPECT_DOUBLE_EQ(report->outliers->front().value, 100.0);
  EXPECT_NEAR(report->outliers->front().score, 9.0 / std::sqrt(10.0), 1e-12);
}

TEST(Outliers, MadRuleFindsTheWildRun) {
  // Median 10.05; absolute deviations sorted .05 .05 .05 .05 .15 .15 .25 .25 .35 3.95, so
  // MAD = 0.15 and the score of 14.0 is 3.95 / (1.4826 * 0.15) = 17.76 > 3.5; the next
  // largest, 0.35 / 0.22239 = 1.57, is not.
  OutlierOptions options;
  options.method = OutlierMethod::mad;
  auto report = find_outliers(kTenRuns, options);
  ASSERT_TRUE(report && report->outliers);
  EXPECT_EQ(report->method, OutlierMethod::mad);
  EXPECT_DOUBLE_EQ(report->threshold, 3.5);
  ASSERT_EQ(report->outliers->size(), 1u);
  EXPECT_EQ(report->outliers->front().index, 9u);
  EXPECT_NEAR(report->outliers->front().score, 3.95 / (1.4826 * 0.15), 1e-9);
}

TEST(Outliers, AutomaticPicksTheRuleThatCanFire) {
  OutlierOptions options;
  options.method = OutlierMethod::automatic;
  auto ten = find_outliers(kTenRuns, options);  // bound 9 / sqrt(10) = 2.85 <= 3: mad
  ASSERT_TRUE(ten);
  EXPECT_EQ(ten->method, OutlierMethod::mad);
  Values eleven = kTenRuns;  // bound 10 / sqrt(11) = 3.02 > 3: sigma
  eleven.push_back(10.0);
  auto report = find_outliers(eleven, options);
  ASSERT_TRUE(report);
  EXPECT_EQ(report->method, OutlierMethod::sigma);
  EXPECT_STREQ(to_string(report->method), "sigma");
}

TEST(Outliers, SigmaRuleFlagsWithEnoughSamples) {
  // Nineteen values alternating 9 / 11 and one 30: mean and s by hand below.
  Values v;
  for (int i = 0; i < 19; ++i) v.push_back(i % 2 == 0 ? 9.0 : 11.0);
  v.push_back(30.0);
  // Sum = 10 * 9 + 9 * 11 + 30 = 219, mean 10.95. Squared deviations: 10 * 1.95^2 +
  // 9 * 0.05^2 + 19.05^2 = 38.025 + 0.0225 + 362.9025 = 400.95; s^2 = 400.95 / 19.
  const double s = std::sqrt(400.95 / 19.0);
  auto report = find_outliers(v);
  ASSERT_TRUE(report && report->outliers);
  ASSERT_EQ(report->outliers->size(), 1u);
  EXPECT_EQ(report->outliers->front().index, 19u);
  EXPECT_NEAR(report->outliers->front().score, 19.05 / s, 1e-12);
}

TEST(Outliers, UndefinedCases) {
  auto single = find_outliers(Values{1});
  ASSERT_TRUE(single);
  EXPECT_FALSE(single->outliers);
  EXPECT_EQ(single->reason, "outlier detection needs at least 2 samples");
  auto same = find_outliers(Values{5, 5, 5});
  ASSERT_TRUE(same && same->outliers);  // sigma: std 0, nothing deviates
  EXPECT_TRUE(same->outliers->empty());
  OutlierOptions mad;
  mad.method = OutlierMethod::mad;
  auto mostly_same = find_outliers(Values{5, 5, 5, 9}, mad);
  ASSERT_TRUE(mostly_same);
  EXPECT_FALSE(mostly_same->outliers);
  EXPECT_NE(mostly_same->reason.find("median absolute deviation is 0"), std::string::npos);
}

TEST(Outliers, RejectsBadThresholds) {
  for (double bad : {0.0, -1.0, kNaN, kInf}) {
    OutlierOptions options;
    options.sigma_threshold = bad;
    EXPECT_FALSE(find_outliers(Values{1, 2}, options)) << bad;
    OutlierOptions mad;
    mad.mad_threshold = bad;
    EXPECT_FALSE(find_outliers(Values{1, 2}, mad)) << bad;
  }
}

TEST(Summary, AllFieldsByHand) {
  const Values v{2, 4, 4, 4, 5, 5, 7, 9};
  auto s = summarize(v);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->n, 8u);
  EXPECT_DOUBLE_EQ(*s->mean, 5.0);
  EXPECT_DOUBLE_EQ(*s->median, 4.5);
  EXPECT_DOUBLE_EQ(*s->p50, 4.5);
  // rank 7 * 0.9 = 6.3 -> 7 + 0.3 * 2 = 7.6; rank 7 * 0.99 = 6.93 -> 7 + 0.93 * 2 = 8.86.
  EXPECT_NEAR(*s->p90, 7.6, 1e-12);
  EXPECT_NEAR(*s->p99, 8.86, 1e-12);
  EXPECT_DOUBLE_EQ(*s->min, 2.0);
  EXPECT_DOUBLE_EQ(*s->max, 9.0);
  EXPECT_DOUBLE_EQ(*s->stddev, std::sqrt(32.0 / 7.0));
  EXPECT_DOUBLE_EQ(*s->cv, std::sqrt(32.0 / 7.0) / 5.0);
  ASSERT_TRUE(s->ci.half_width);
  EXPECT_GT(*s->ci.half_width, 0.0);
  EXPECT_NEAR(*s->ci.lower + *s->ci.upper, 10.0, 1e-12);
  ASSERT_TRUE(s->outliers.outliers);
  EXPECT_TRUE(s->outliers.outliers->empty());
  EXPECT_TRUE(s->reason.empty());
}

TEST(Summary, EmptyInput) {
  auto s = summarize(Values{});
  ASSERT_TRUE(s);
  EXPECT_EQ(s->n, 0u);
  EXPECT_FALSE(s->mean);
  EXPECT_FALSE(s->median);
  EXPECT_FALSE(s->p99);
  EXPECT_FALSE(s->min);
  EXPECT_FALSE(s->ci.lower);
  EXPECT_FALSE(s->outliers.outliers);
  EXPECT_EQ(s->reason, "no samples");
}

TEST(Summary, SingleValue) {
  auto s = summarize(Values{3.25});
  ASSERT_TRUE(s);
  EXPECT_EQ(s->n, 1u);
  EXPECT_DOUBLE_EQ(*s->mean, 3.25);
  EXPECT_DOUBLE_EQ(*s->p90, 3.25);
  EXPECT_FALSE(s->stddev);
  EXPECT_FALSE(s->cv);
  EXPECT_FALSE(s->ci.lower);
  EXPECT_EQ(s->reason, "a standard deviation and CV need at least 2 samples");
  EXPECT_FALSE(s->ci.reason.empty());
  EXPECT_FALSE(s->outliers.reason.empty());
}

TEST(Summary, IdenticalValuesAndZeroMean) {
  auto same = summarize(Values{2, 2, 2, 2});
  ASSERT_TRUE(same);
  EXPECT_DOUBLE_EQ(*same->stddev, 0.0);
  EXPECT_DOUBLE_EQ(*same->cv, 0.0);
  auto zero = summarize(Values{-1, 1});
  ASSERT_TRUE(zero);
  EXPECT_FALSE(zero->cv);
  EXPECT_EQ(zero->reason, "the coefficient of variation is undefined for a zero mean");
}

TEST(Summary, OptionsAreChecked) {
  SummaryOptions options;
  options.confidence = 1.0;
  EXPECT_FALSE(summarize(Values{1, 2}, options));
  SummaryOptions outliers;
  outliers.outliers.method = OutlierMethod::mad;
  outliers.outliers.mad_threshold = -2;
  EXPECT_FALSE(summarize(Values{1, 2}, outliers));
  SummaryOptions ninety;
  ninety.confidence = 0.9;
  auto s = summarize(Values{1, 2, 3, 4, 5, 6}, ninety);
  ASSERT_TRUE(s);
  EXPECT_NEAR(*s->ci.t_critical, 2.015048373, 1e-9);  // t(0.95, 5), standard tables
}

}  // namespace
}  // namespace joulebench
