#include "models/cost_model.hpp"

#include <fmt/format.h>

#include <charconv>

#include "models/energy_model.hpp"

namespace joulebench::models {
namespace {

constexpr double kSecondsPerHour = 3600.0;

Expected<bool> check_inputs(const CostInputs& in) {
  if (!(in.j_per_token > 0.0)) return Error{fmt::format("--j-per-token: {} is not positive", in.j_per_token)};
  if (in.tokens_per_s && !(*in.tokens_per_s > 0.0)) {
    return Error{fmt::format("--tokens-per-s: {} is not positive", *in.tokens_per_s)};
  }
  if (!(in.usd_per_kwh > 0.0)) return Error{fmt::format("--price-kwh: {} is not positive", in.usd_per_kwh)};
  if (in.hardware) {
    if (!(in.hardware->cost_usd > 0.0)) {
      return Error{fmt::format("--hardware-cost: {} is not positive", in.hardware->cost_usd)};
    }
    if (!(in.hardware->years > 0.0)) return Error{fmt::format("--years: {} is not positive", in.hardware->years)};
    if (!(in.hardware->utilization > 0.0 && in.hardware->utilization <= 1.0)) {
      return Error{fmt::format("--utilization: {} is not within (0, 1]", in.hardware->utilization)};
    }
  }
  for (const auto& api : in.api_prices) {
    if (!(api.usd_per_million_tokens > 0.0)) {
      return Error{fmt::format("--api-price: {}={} is not positive", api.name, api.usd_per_million_tokens)};
    }
  }
  return true;
}

// Million tokens per hour while serving, over the whole hour (idle time included).
std::optional<double> million_tokens_per_hour(const CostInputs& in) {
  if (!in.tokens_per_s) return std::nullopt;
  const double utilization = in.hardware ? in.hardware->utilization : 1.0;
  return *in.tokens_per_s * utilization * kSecondsPerHour / kTokensPerMillion;
}

BreakEven break_even(const ApiPrice& api, const CostInputs& in, const CostFigures& figures) {
  BreakEven result{api.name, api.usd_per_million_tokens, std::nullopt, std::nullopt, ""};
  const double margin = api.usd_per_million_tokens - figures.energy_usd_per_million_tokens;
  if (margin <= 0.0) {
    result.reason = "never: the API costs less per token than the energy alone";
    return result;
  }
  if (!in.hardware) {
    result.reason = "needs --hardware-cost: there is nothing to pay back without it";
    return result;
  }
  result.million_tokens = in.hardware->cost_usd / margin;
  if (auto per_hour = million_tokens_per_hour(in)) {
    result.months = *result.million_tokens / *per_hour / kHoursPerMonth;
  } else {
    result.reason = "months need --tokens-per-s (or a run with throughput)";
  }
  return result;
}

}  // namespace

Expected<CostFigures> cost(const CostInputs& in) {
  if (auto ok = check_inputs(in); !ok) return ok.error();
  CostFigures figures;
  figures.usd_per_kwh = in.usd_per_kwh;
  figures.kwh_per_million_tokens = kwh_per_million_tokens(in.j_per_token) * in.facility_factor;
  figures.energy_usd_per_million_tokens = figures.kwh_per_million_tokens * in.usd_per_kwh;
  if (in.tokens_per_s) {
    const double wall_power_kw = in.j_per_token * *in.tokens_per_s * in.facility_factor / 1000.0;
    figures.energy_usd_per_hour = wall_power_kw * in.usd_per_kwh;
  }
  if (in.hardware) {
    figures.hardware_usd_per_hour = in.hardware->cost_usd / (in.hardware->years * kHoursPerYear);
    if (auto per_hour = million_tokens_per_hour(in)) {
      figures.hardware_usd_per_million_tokens = *figures.hardware_usd_per_hour / *per_hour;
      figures.all_in_usd_per_million_tokens =
          figures.energy_usd_per_million_tokens + *figures.hardware_usd_per_million_tokens;
    }
  }
  for (const auto& api : in.api_prices) figures.break_evens.push_back(break_even(api, in, figures));
  return figures;
}

Expected<ApiPrice> parse_api_price(const std::string& text) {
  const auto equals = text.find('=');
  if (equals == std::string::npos || equals == 0) {
    return Error{"--api-price: '" + text + "' is not NAME=USD_PER_1M_TOKENS"};
  }
  ApiPrice price{text.substr(0, equals), 0.0};
  const char* first = text.data() + equals + 1;
  const char* last = text.data() + text.size();
  const auto [end, code] = std::from_chars(first, last, price.usd_per_million_tokens);
  if (code != std::errc{} || end != last || first == last) {
    return Error{"--api-price: '" + text + "': the price is not a number"};
  }
  if (!(price.usd_per_million_tokens > 0.0)) {
    return Error{"--api-price: '" + text + "': the price is not positive"};
  }
  return price;
}

std::vector<double> default_prices_usd_per_kwh() { return {0.10, 0.20, 0.30}; }

}  // namespace joulebench::models
