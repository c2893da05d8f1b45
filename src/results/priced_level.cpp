#include "results/priced_level.hpp"

#include <fmt/format.h>

#include <cmath>

namespace joulebench::results {
namespace {

bool met_slo(const LevelView& level) { return level.slo_met.value_or(false); }

std::string level_name(const LevelView& level) {
  return fmt::format("{} {:g}", load_mode_name(level.mode), level.load.value_or(NAN));
}

void warn_about_named(PricedLevel& out) {
  if (!out.level->validity.valid()) {
    out.warnings.push_back(level_name(*out.level) + " is not a valid measurement (see its checks)");
  }
  if (out.slo_given && !met_slo(*out.level)) {
    out.warnings.push_back(level_name(*out.level) + " did not meet the result's SLO");
  }
}

std::string why_none(const PricedLevel& out, std::optional<double> load, EnergyBasis basis) {
  if (load)
    return fmt::format("no level {:g} with a {} figure", *load, j_per_output_token_key(basis));
  if (out.valid_levels == 0) return fmt::format("none of its {} level(s) is valid", out.levels);
  return fmt::format("none of its {} valid level(s) met the SLO", out.valid_levels);
}

}  // namespace

PricedLevel priced_level(const ResultView& result, std::optional<double> load, EnergyBasis basis) {
  PricedLevel out;
  out.slo_given = result.slo.given();
  if (!result.levels) {
    out.why_none = "the result has no levels";
    return out;
  }
  for (const auto& level : *result.levels) {
    ++out.levels;
    const auto value = j_per_output_token(level.figures, basis);
    const bool valid = level.validity.valid() && value;
    out.valid_levels += valid ? 1 : 0;
    if (load) {
      if (level.load == load && value) out.level = &level;
      continue;
    }
    if (!valid || (out.slo_given && !met_slo(level))) continue;
    if (out.level == nullptr || *value < *j_per_output_token(out.level->figures, basis))
      out.level = &level;
  }
  if (load && out.level) warn_about_named(out);
  if (!out.level) out.why_none = why_none(out, load, basis);
  return out;
}

}  // namespace joulebench::results
