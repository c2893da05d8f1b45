#include "models/energy_model.hpp"

#include <fmt/format.h>

namespace joulebench::models {

double j_per_token(double power_w, double tokens_per_s) { return power_w / tokens_per_s; }

double kwh_per_million_tokens(double j_per_token) {
  return j_per_token * kTokensPerMillion / kJoulesPerKwh;
}

Expected<Facility> facility(std::optional<double> overhead, std::optional<double> psu_efficiency,
                            std::optional<double> pue) {
  if (pue && (overhead || psu_efficiency)) {
    return Error{"--pue: give either --pue or --node-overhead/--psu-efficiency, not both"};
  }
  if (pue) {
    if (!(*pue >= 1.0))
      return Error{fmt::format("--pue: {} is below 1 (PUE is total / IT energy)", *pue)};
    return Facility{*pue, fmt::format("PUE {:g}", *pue)};
  }
  const double extra = overhead.value_or(0.0);
  const double efficiency = psu_efficiency.value_or(1.0);
  if (!(extra >= 0.0)) return Error{fmt::format("--node-overhead: {} is negative", extra)};
  if (!(efficiency > 0.0 && efficiency <= 1.0)) {
    return Error{fmt::format("--psu-efficiency: {} is not within (0, 1]", efficiency)};
  }
  if (!overhead && !psu_efficiency) return Facility{1.0, "none (GPU energy only)"};
  const double factor = (1.0 + extra) / efficiency;
  return Facility{factor, fmt::format("overhead {:g}%, PSU efficiency {:g}%: x{:.4g}", extra * 100,
                                      efficiency * 100, factor)};
}

}  // namespace joulebench::models
