// Energy per token and the facility around the GPUs: pure functions, SI units in every name.
//
//   J/token            = power W / throughput tokens/s             (a watt is a joule per second)
//   kWh per 1M tokens  = J/token * 1e6 / 3.6e6                     (1 kWh = 3.6 MJ)
//   facility factor    = (1 + overhead) / PSU efficiency  or  PUE  (energy drawn per GPU joule)
#pragma once

#include <optional>
#include <string>

#include "joulebench/error.hpp"

namespace joulebench::models {

inline constexpr double kJoulesPerKwh = 3.6e6;
inline constexpr double kTokensPerMillion = 1e6;
inline constexpr double kHoursPerYear = 8766.0;   // 365.25 days
inline constexpr double kHoursPerMonth = 730.5;   // a year / 12

double j_per_token(double power_w, double tokens_per_s);
double kwh_per_million_tokens(double j_per_token);

// How much more than the GPUs' own energy the wall sees, and how that was decided.
struct Facility {
  double factor = 1.0;
  std::string description;  // e.g. "overhead 20%, PSU efficiency 95%: x1.263", "PUE 1.3", "none"
};

// Either --overhead and/or --psu-efficiency, or --pue, or neither (factor 1). Errors name the
// flag: negative overhead, an efficiency outside (0, 1], a PUE below 1, or both styles at once.
Expected<Facility> facility(std::optional<double> overhead, std::optional<double> psu_efficiency,
                            std::optional<double> pue);

}  // namespace joulebench::models
