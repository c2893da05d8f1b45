#include "core/statistics_student_t.hpp"

#include <math.h>  // lgamma_r: std::lgamma writes the global signgam (a data race)

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>

namespace joulebench {
namespace {

constexpr double kEpsilon = std::numeric_limits<double>::epsilon();
// Replaces exact zeros in Lentz's recurrences, which would otherwise divide by zero.
constexpr double kTiny = 1e-300;
// The fraction needs at most O(sqrt(max(a, b))) terms (tens for the t distribution); the cap
// only stops an input that would not converge.
constexpr int kMaxFractionTerms = 200000;
constexpr int kMaxQuantileSteps = 400;

// Stirling's remainder: ln Gamma(x) = (x - 1/2) ln x - x + ln(2 pi) / 2 + stirling_rest(x);
// the next term, 1 / (1680 x^7), is below 1e-30 where this is used (x > 1e4).
double stirling_rest(double x) {
  const double x2 = x * x;
  return (1.0 / 12.0 - (1.0 / 360.0 - 1.0 / (1260.0 * x2)) / x2) / x;
}

// ln B(a, b). For a large argument, ln Gamma(large) - ln Gamma(large + small) is a difference
// of two numbers near large * ln(large) that would cancel to about eps * large * ln(large)
// (1e-8 at df = 1e7); the Stirling form keeps it to rounding error.
double log_beta(double a, double b) {
  const double large = std::max(a, b);
  const double small = std::min(a, b);
  if (large < 1e4) return log_gamma(a) + log_gamma(b) - log_gamma(a + b);
  const double sum = large + small;
  const double ratio_term = -(large - 0.5) * std::log1p(small / large) - small * std::log(sum);
  return log_gamma(small) + ratio_term + small + stirling_rest(large) - stirling_rest(sum);
}

double avoid_zero(double v) { return std::fabs(v) < kTiny ? kTiny : v; }

// The continued fraction K = 1 / (1 + d1 / (1 + d2 / (1 + ...))) with
//   d(2m+1) = -(a + m)(a + b + m) x / ((a + 2m)(a + 2m + 1)),
//   d(2m)   =  m (b - m) x / ((a + 2m - 1)(a + 2m)),
// so that I_x(a, b) = x^a (1 - x)^b / (a B(a, b)) * K. It converges quickly for
// x < (a + 1) / (a + b + 2); callers use the symmetry I_x(a, b) = 1 - I_(1-x)(b, a) otherwise.
// Evaluated by the modified Lentz method on the denominator 1 + d1 / (1 + d2 / ...).
std::optional<double> beta_fraction(double a, double b, double x) {
  double f = 1.0;
  double c = 1.0;
  double d = 0.0;
  for (int j = 1; j <= kMaxFractionTerms; ++j) {
    const double m = std::floor(j / 2.0);
    const double term = (j % 2 == 1) ? -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1))
                                     : m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m));
    d = 1.0 / avoid_zero(1.0 + term * d);
    c = avoid_zero(1.0 + term / c);
    const double delta = c * d;
    f *= delta;
    if (std::fabs(delta - 1.0) < 2 * kEpsilon) return 1.0 / f;
  }
  return std::nullopt;
}

// The point x of I_x(a, b) with y = 1 - x and both logarithms, so that callers who know them
// more precisely than 1 - x and log(x) would give (the t distribution near t = 0, and beyond
// t = 1e154 where x underflows) keep that precision.
struct BetaPoint {
  double x = 0.0;
  double y = 1.0;
  double log_x = 0.0;
  double log_y = 0.0;
};

BetaPoint beta_point(double x, double y) { return {x, y, std::log(x), std::log(y)}; }

std::optional<double> incomplete_beta(double a, double b, const BetaPoint& point) {
  const double x = point.x;
  const double y = point.y;
  if (y <= 0.0) return 1.0;
  const double prefactor = std::exp(a * point.log_x + b * point.log_y - log_beta(a, b));
  if (x < (a + 1.0) / (a + b + 2.0)) {
    auto fraction = beta_fraction(a, b, x);
    if (!fraction) return std::nullopt;
    return prefactor * *fraction / a;
  }
  auto fraction = beta_fraction(b, a, y);
  if (!fraction) return std::nullopt;
  return 1.0 - prefactor * *fraction / b;
}

bool valid_df(double df) { return std::isfinite(df) && df > 0.0; }

// P(T > t) for t >= 0: 0.5 * I_x(df / 2, 1 / 2) with x = df / (df + t^2) = 1 / (1 + q),
// q = t^2 / df. Through q, both x and 1 - x and their logarithms keep full relative precision
// (log(x) from log1p, not from log of a number near 1), and huge t cannot overflow.
std::optional<double> tail_of_nonnegative(double t, double df) {
  if (std::isinf(t)) return 0.0;
  const double s = t / std::sqrt(df);
  const double q = s * s;
  BetaPoint point;
  if (std::isfinite(q)) {
    point = {1.0 / (1.0 + q), q / (1.0 + q), -std::log1p(q), -std::log1p(1.0 / q)};
  } else {
    point = {0.0, 1.0, -2.0 * std::log(s), 0.0};
  }
  auto beta = incomplete_beta(df / 2.0, 0.5, point);
  if (!beta) return std::nullopt;
  return 0.5 * *beta;
}

struct Bracket {
  double lo = 0.0;  // tail(lo) > target
  double hi = 1.0;  // tail(hi) <= target
};

// Grows [lo, hi] until the root of tail(t) = target lies inside it.
std::optional<Bracket> bracket_tail_root(double target, double df) {
  Bracket bracket;
  for (;;) {
    auto tail = tail_of_nonnegative(bracket.hi, df);
    if (!tail) return std::nullopt;
    if (*tail <= target) return bracket;
    if (bracket.hi > std::numeric_limits<double>::max() / 4) return std::nullopt;
    bracket.lo = bracket.hi;
    bracket.hi *= 2.0;
  }
}

// Solves tail(t) = target for t >= 0 with target in (0, 0.5). tail is decreasing and convex
// on t >= 0, so Newton steps from the left approach the root monotonically; the bracket
// catches any step that leaves it (rounding, flat tails of small df).
std::optional<double> solve_tail(double target, double df) {
  auto bracket = bracket_tail_root(target, df);
  if (!bracket) return std::nullopt;
  double lo = bracket->lo;
  double hi = bracket->hi;
  double t = lo;
  for (int step = 0; step < kMaxQuantileSteps; ++step) {
    auto tail = tail_of_nonnegative(t, df);
    auto density = student_t_pdf(t, df);
    if (!tail || !density) return std::nullopt;
    const double excess = *tail - target;
    if (excess == 0.0) return t;
    (excess > 0.0 ? lo : hi) = t;
    double next = t + excess / *density;
    if (!(next > lo && next < hi)) next = lo + (hi - lo) / 2.0;
    if (std::fabs(next - t) <= 4 * kEpsilon * std::max(1.0, next) || hi - lo <= 4 * kEpsilon * hi) {
      return next;
    }
    t = next;
  }
  return t;
}

}  // namespace

double log_gamma(double x) {
  int sign = 0;
  return ::lgamma_r(x, &sign);
}

std::optional<double> regularized_incomplete_beta(double x, double a, double b) {
  if (!(x >= 0.0 && x <= 1.0) || !(a > 0.0) || !(b > 0.0) || !std::isfinite(a) ||
      !std::isfinite(b)) {
    return std::nullopt;
  }
  if (x == 0.0) return 0.0;
  return incomplete_beta(a, b, beta_point(x, 1.0 - x));
}

std::optional<double> student_t_pdf(double t, double df) {
  if (!valid_df(df) || std::isnan(t)) return std::nullopt;
  if (std::isinf(t)) return 0.0;
  const double log_norm =
      log_gamma((df + 1.0) / 2.0) - log_gamma(df / 2.0) - 0.5 * std::log(df * std::numbers::pi);
  return std::exp(log_norm - (df + 1.0) / 2.0 * std::log1p(t / df * t));
}

std::optional<double> student_t_upper_tail(double t, double df) {
  if (!valid_df(df) || std::isnan(t)) return std::nullopt;
  if (t >= 0.0) return tail_of_nonnegative(t, df);
  auto mirrored = tail_of_nonnegative(-t, df);
  if (!mirrored) return std::nullopt;
  return 1.0 - *mirrored;
}

std::optional<double> student_t_cdf(double t, double df) {
  if (std::isnan(t)) return std::nullopt;
  return student_t_upper_tail(-t, df);
}

std::optional<double> student_t_quantile(double p, double df) {
  if (!valid_df(df) || !(p > 0.0 && p < 1.0)) return std::nullopt;
  if (p == 0.5) return 0.0;
  // 1 - p is exact for p >= 0.5 (Sterbenz), so the smaller tail keeps full precision.
  const double target = p < 0.5 ? p : 1.0 - p;
  auto t = solve_tail(target, df);
  if (!t) return std::nullopt;
  return p < 0.5 ? -*t : *t;
}

}  // namespace joulebench
