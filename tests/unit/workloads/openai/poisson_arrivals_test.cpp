#include "workloads/openai/poisson_arrivals.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace joulebench {
namespace {

std::vector<double> gaps(double rate, std::uint64_t seed, int count) {
  PoissonArrivals arrivals(rate, seed);
  std::vector<double> out;
  for (int i = 0; i < count; ++i) out.push_back(static_cast<double>(arrivals.next_gap_ns()));
  return out;
}

// With n = 20000 exponential gaps the sample mean's standard error is 0.7% of the mean and
// the sample standard deviation's about 0.7%; the bounds below are over 5 standard errors.
TEST(PoissonArrivals, GapsAreExponentialWithMeanOneOverRate) {
  const std::vector<double> g = gaps(100.0, 42, 20000);
  double sum = 0.0;
  for (double x : g) sum += x;
  const double mean = sum / static_cast<double>(g.size());
  double squares = 0.0;
  std::size_t above_mean = 0;
  for (double x : g) {
    squares += (x - mean) * (x - mean);
    if (x > 1e7) ++above_mean;
    EXPECT_GE(x, 0.0);
  }
  const double sd = std::sqrt(squares / static_cast<double>(g.size() - 1));
  EXPECT_NEAR(mean, 1e7, 0.04 * 1e7);
  EXPECT_NEAR(sd, 1e7, 0.05 * 1e7);  // exponential: sd equals the mean
  // P(gap > mean) = 1/e; its standard error at n = 20000 is 0.0034.
  EXPECT_NEAR(static_cast<double>(above_mean) / 20000.0, std::exp(-1.0), 0.02);
}

TEST(PoissonArrivals, SeedDecidesTheSequence) {
  EXPECT_EQ(gaps(10.0, 7, 50), gaps(10.0, 7, 50));
  EXPECT_NE(gaps(10.0, 7, 50), gaps(10.0, 8, 50));
}

}  // namespace
}  // namespace joulebench
