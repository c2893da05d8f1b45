#include "store/priced_level.hpp"

#include <fmt/format.h>

#include "store/json_fields.hpp"

namespace joulebench {
namespace {

using nlohmann::json;

bool is_valid(const json& level) {
  const auto validity = level.find("validity");
  return validity != level.end() && text_at(*validity, "verdict") == "valid";
}

bool met_slo(const json& level) {
  const auto met = level.find("slo_met");
  return met != level.end() && met->is_boolean() && met->get<bool>();
}

bool slo_in(const json& document) {
  const auto slo = document.find("slo");
  if (slo == document.end() || !slo->is_object()) return false;
  return number_at(*slo, "ttft_p90_ms").has_value() || number_at(*slo, "itl_p90_ms").has_value();
}

std::string level_name(const json& level) {
  return fmt::format("{} {:g}", level_load_name(level), level_load(level).value_or(NAN));
}

}  // namespace

std::optional<double> level_load(const json& level) {
  if (auto concurrency = number_at(level, "concurrency")) return concurrency;
  return number_at(level, "rate");
}

std::string level_load_name(const json& level) {
  return level.contains("concurrency") ? "concurrency" : "rate";
}

PricedLevel priced_level(const json& document, std::optional<double> load, const char* energy_key) {
  PricedLevel out;
  out.slo_given = slo_in(document);
  const auto levels = document.find("levels");
  if (levels == document.end() || !levels->is_array()) {
    out.why_none = "the result has no levels";
    return out;
  }
  for (const auto& level : *levels) {
    ++out.levels;
    const auto value = number_at(level, energy_key);
    const bool valid = is_valid(level) && value;
    out.valid_levels += valid ? 1 : 0;
    if (load) {
      if (level_load(level) == load && value) out.level = &level;
      continue;
    }
    if (!valid || (out.slo_given && !met_slo(level))) continue;
    if (out.level == nullptr || *value < *number_at(*out.level, energy_key)) out.level = &level;
  }
  if (load && out.level) {
    if (!is_valid(*out.level)) {
      out.warnings.push_back(level_name(*out.level) +
                             " is not a valid measurement (see its checks)");
    }
    if (out.slo_given && !met_slo(*out.level)) {
      out.warnings.push_back(level_name(*out.level) + " did not meet the result's SLO");
    }
  }
  if (out.level) return out;
  if (load) {
    out.why_none = fmt::format("no level {:g} with a {} figure", *load, energy_key);
  } else if (out.valid_levels == 0) {
    out.why_none = fmt::format("none of its {} level(s) is valid", out.levels);
  } else {
    out.why_none = fmt::format("none of its {} valid level(s) met the SLO", out.valid_levels);
  }
  return out;
}

}  // namespace joulebench
