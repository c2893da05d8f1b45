// Student's t distribution and the regularized incomplete beta function behind it.
//
// Written here (no Boost/GSL dependency) for confidence intervals and Welch's t-test. The
// incomplete beta is evaluated by its continued fraction (modified Lentz); the quantile by a
// Newton iteration kept inside a bisection bracket. Tail probabilities and quantiles are
// accurate to about 1e-12 (relative) up to df = 1e4; beyond, the continued fraction loses
// about df * 1e-16 to cancellation near the centre of the distribution, which stays better
// than 1e-9 up to df = 1e8.
//
// Degrees of freedom may be fractional (Welch-Satterthwaite). Functions return std::nullopt
// outside their domain (df <= 0 or not finite, NaN arguments, p outside (0, 1)).
// Thread-safety: pure functions, safe to call from any thread.
#pragma once

#include <optional>

namespace joulebench {

// ln Gamma(x) for x > 0, without std::lgamma's write to the global `signgam`.
double log_gamma(double x);

// I_x(a, b) = B(x; a, b) / B(a, b) for x in [0, 1] and a, b > 0.
std::optional<double> regularized_incomplete_beta(double x, double a, double b);

// Density of Student's t with `df` degrees of freedom at t (t may be infinite).
std::optional<double> student_t_pdf(double t, double df);

// P(T <= t).
std::optional<double> student_t_cdf(double t, double df);

// P(T > t), computed directly so that small tail probabilities (p-values) keep their
// relative accuracy instead of being rounded to 1 - cdf.
std::optional<double> student_t_upper_tail(double t, double df);

// The t with P(T <= t) = p; p in (0, 1). Infinite quantiles (possible only for tiny df and
// extreme p, beyond the largest double) are std::nullopt.
std::optional<double> student_t_quantile(double p, double df);

}  // namespace joulebench
