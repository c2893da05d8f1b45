#include "core/statistics_student_t.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <numbers>

namespace joulebench {
namespace {

constexpr double kPi = std::numbers::pi;
constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

double beta_value(double x, double a, double b) {
  auto v = regularized_incomplete_beta(x, a, b);
  EXPECT_TRUE(v.has_value()) << "x=" << x << " a=" << a << " b=" << b;
  return v.value_or(kNaN);
}

double cdf(double t, double df) {
  auto v = student_t_cdf(t, df);
  EXPECT_TRUE(v.has_value()) << "t=" << t << " df=" << df;
  return v.value_or(kNaN);
}

double quantile(double p, double df) {
  auto v = student_t_quantile(p, df);
  EXPECT_TRUE(v.has_value()) << "p=" << p << " df=" << df;
  return v.value_or(kNaN);
}

// For integer a and b, I_x(a, b) = P(Binomial(a + b - 1, x) >= a).
double binomial_upper(int a, int b, double x) {
  const int n = a + b - 1;
  double sum = 0.0;
  for (int j = a; j <= n; ++j) {
    const double choose = std::tgamma(n + 1.0) / (std::tgamma(j + 1.0) * std::tgamma(n - j + 1.0));
    sum += choose * std::pow(x, j) * std::pow(1.0 - x, n - j);
  }
  return sum;
}

TEST(IncompleteBeta, ClosedForms) {
  for (double x : {0.0, 0.01, 0.3, 0.5, 0.77, 0.999, 1.0}) {
    EXPECT_NEAR(beta_value(x, 1.0, 1.0), x, 1e-14);
    EXPECT_NEAR(beta_value(x, 3.5, 1.0), std::pow(x, 3.5), 1e-14);
    EXPECT_NEAR(beta_value(x, 1.0, 2.5), 1.0 - std::pow(1.0 - x, 2.5), 1e-14);
  }
  for (double a : {0.5, 2.0, 7.25, 150.0}) EXPECT_NEAR(beta_value(0.5, a, a), 0.5, 1e-13);
}

TEST(IncompleteBeta, MatchesBinomialSums) {
  // Hand check of one case: I_0.3(2, 3) = 6(.09)(.49) + 4(.027)(.7) + .0081 = 0.3483.
  EXPECT_NEAR(beta_value(0.3, 2.0, 3.0), 0.3483, 1e-14);
  for (int a : {1, 2, 5, 12}) {
    for (int b : {1, 3, 8, 20}) {
      for (double x : {0.05, 0.2, 0.45, 0.6, 0.9}) {
        EXPECT_NEAR(beta_value(x, a, b), binomial_upper(a, b, x), 1e-12)
            << "a=" << a << " b=" << b << " x=" << x;
      }
    }
  }
}

TEST(IncompleteBeta, Symmetry) {
  for (double x : {0.1, 0.4, 0.8}) {
    EXPECT_NEAR(beta_value(x, 2.3, 7.9) + beta_value(1.0 - x, 7.9, 2.3), 1.0, 1e-13);
  }
}

TEST(IncompleteBeta, RejectsOutsideDomain) {
  EXPECT_FALSE(regularized_incomplete_beta(-0.1, 1, 1));
  EXPECT_FALSE(regularized_incomplete_beta(1.1, 1, 1));
  EXPECT_FALSE(regularized_incomplete_beta(kNaN, 1, 1));
  EXPECT_FALSE(regularized_incomplete_beta(0.5, 0, 1));
  EXPECT_FALSE(regularized_incomplete_beta(0.5, 1, -2));
  EXPECT_FALSE(regularized_incomplete_beta(0.5, kInf, 1));
}

// Closed forms of the t CDF for small integer df (standard results).
double closed_form_cdf(double t, int df) {
  switch (df) {
    case 1:
      return 0.5 + std::atan(t) / kPi;
    case 2:
      return 0.5 + t / (2.0 * std::sqrt(2.0 + t * t));
    case 3:
      return 0.5 +
             (t / (std::sqrt(3.0) * (1.0 + t * t / 3.0)) + std::atan(t / std::sqrt(3.0))) / kPi;
    case 4: {
      const double u = 1.0 + t * t / 4.0;
      return 0.5 + 0.375 * t / std::sqrt(u) * (1.0 - t * t / (12.0 * u));
    }
  }
  return kNaN;
}

TEST(StudentT, CdfMatchesClosedForms) {
  for (int df : {1, 2, 3, 4}) {
    for (double t : {-30.0, -4.0, -1.5, -0.2, 0.0, 0.3, 1.0, 2.5, 7.0, 100.0}) {
      EXPECT_NEAR(cdf(t, df), closed_form_cdf(t, df), 1e-13) << "t=" << t << " df=" << df;
    }
  }
}

TEST(StudentT, TinyTailsKeepRelativeAccuracy) {
  // P(T > t) for df = 1 is atan(1 / t) / pi for t > 0.
  for (double t : {1e3, 1e6, 1e10, 1e200}) {
    const double expected = std::atan(1.0 / t) / kPi;
    auto tail = student_t_upper_tail(t, 1.0);
    ASSERT_TRUE(tail);
    EXPECT_NEAR(*tail / expected, 1.0, 1e-12) << "t=" << t;
  }
}

// Simpson's rule on the density: an independent route to the CDF for fractional df.
double integrated_cdf(double t, double df) {
  const int intervals = 20000;
  const double h = t / intervals;
  double sum = 0.0;
  for (int i = 0; i <= intervals; ++i) {
    const double weight = (i == 0 || i == intervals) ? 1.0 : (i % 2 == 1 ? 4.0 : 2.0);
    sum += weight * student_t_pdf(i * h, df).value_or(kNaN);
  }
  return 0.5 + sum * h / 3.0;
}

TEST(StudentT, PdfIsTheNormalizedDensity) {
  EXPECT_NEAR(*student_t_pdf(0.0, 1.0), 1.0 / kPi, 1e-15);
  EXPECT_NEAR(*student_t_pdf(1.0, 2.0), std::pow(3.0, -1.5), 1e-15);
  EXPECT_EQ(*student_t_pdf(kInf, 3.0), 0.0);
}

TEST(StudentT, CdfMatchesIntegratedDensityForFractionalDf) {
  for (double df : {0.7, 5.882352941176471, 17.776473516178488, 250.5}) {
    for (double t : {0.4, 1.3, 2.9}) {
      EXPECT_NEAR(cdf(t, df), integrated_cdf(t, df), 1e-12) << "t=" << t << " df=" << df;
    }
  }
}

TEST(StudentT, PublishedQuantiles) {
  EXPECT_NEAR(quantile(0.975, 9), 2.262157162, 1e-9);
  EXPECT_NEAR(quantile(0.975, 1), 12.70620474, 1e-8);
  EXPECT_NEAR(quantile(0.975, 30), 2.042272456, 1e-9);
  EXPECT_NEAR(quantile(0.025, 9), -2.262157162, 1e-9);
}

TEST(StudentT, QuantileMatchesClosedForms) {
  for (double p : {1e-9, 0.001, 0.05, 0.3, 0.6, 0.975, 0.999999}) {
    // df = 1: tan(pi (p - 1/2)), written as a cotangent of the smaller tail to stay accurate.
    const double df1 = p < 0.5 ? -1.0 / std::tan(kPi * p) : 1.0 / std::tan(kPi * (1.0 - p));
    EXPECT_NEAR(quantile(p, 1.0) / df1, 1.0, 1e-11) << p;
    const double df2 = (2.0 * p - 1.0) / std::sqrt(2.0 * p * (1.0 - p));
    EXPECT_NEAR(quantile(p, 2.0), df2, 1e-10 * std::max(1.0, std::fabs(df2))) << p;
    const double alpha = 4.0 * p * (1.0 - p);
    const double q = std::cos(std::acos(std::sqrt(alpha)) / 3.0) / std::sqrt(alpha);
    const double df4 = (p < 0.5 ? -2.0 : 2.0) * std::sqrt(q - 1.0);
    EXPECT_NEAR(quantile(p, 4.0), df4, 1e-10 * std::max(1.0, std::fabs(df4))) << p;
  }
}

TEST(StudentT, QuantileInvertsCdf) {
  for (double df : {0.5, 1.0, 3.3, 9.0, 17.776, 120.0, 1e4, 1e6}) {
    for (double p : {1e-12, 1e-4, 0.025, 0.2, 0.5, 0.8, 0.975, 0.9999}) {
      const double t = quantile(p, df);
      const double back = p < 0.5 ? cdf(t, df) : *student_t_upper_tail(t, df);
      const double expected = p < 0.5 ? p : 1.0 - p;
      // Beyond df = 1e4 the continued fraction loses about df * 1e-16 to cancellation.
      const double tolerance = df <= 1e4 ? 1e-11 : 1e-9;
      EXPECT_NEAR(back / expected, 1.0, tolerance) << "p=" << p << " df=" << df;
    }
  }
}

TEST(StudentT, LargeDfApproachesNormalWithCornishFisherTerms) {
  // t_p(df) = z + (z^3 + z) / (4 df) + (5z^5 + 16z^3 + 3z) / (96 df^2) + O(df^-3).
  const double z = 1.959963984540054;  // standard normal 0.975 quantile
  for (double df : {1e4, 1e6, 1e8}) {
    const double expansion = z + (z * z * z + z) / (4 * df) +
                             (5 * std::pow(z, 5) + 16 * z * z * z + 3 * z) / (96 * df * df);
    EXPECT_NEAR(quantile(0.975, df), expansion, 1e-9) << df;
  }
}

TEST(StudentT, InfiniteAndInvalidArguments) {
  EXPECT_EQ(cdf(kInf, 3), 1.0);
  EXPECT_EQ(cdf(-kInf, 3), 0.0);
  EXPECT_EQ(cdf(0.0, 7.5), 0.5);
  EXPECT_FALSE(student_t_cdf(kNaN, 3));
  EXPECT_FALSE(student_t_cdf(1.0, 0.0));
  EXPECT_FALSE(student_t_cdf(1.0, -1.0));
  EXPECT_FALSE(student_t_cdf(1.0, kInf));
  EXPECT_FALSE(student_t_pdf(1.0, kNaN));
  EXPECT_FALSE(student_t_quantile(0.0, 3));
  EXPECT_FALSE(student_t_quantile(1.0, 3));
  EXPECT_FALSE(student_t_quantile(kNaN, 3));
  EXPECT_FALSE(student_t_quantile(0.9, 0.0));
  EXPECT_EQ(quantile(0.5, 3), 0.0);
}

}  // namespace
}  // namespace joulebench
