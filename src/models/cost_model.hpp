// What a token costs: energy at a price per kWh, the hardware amortised over its life, and
// how long self-hosting takes to pay back against an API's price. Pure functions.
//
//   energy USD per 1M tokens   = kWh per 1M tokens * facility factor * USD per kWh
//   energy USD per hour        = power kW * facility factor * USD per kWh  (power = J/token * tokens/s)
//   hardware USD per hour      = hardware cost / (years * 8766 h)           (paid whether busy or not)
//   hardware USD per 1M tokens = hardware USD per hour / (tokens/s * utilization * 3600 / 1e6)
//   break-even vs an API at P USD per 1M tokens: the hardware is paid back after
//       hardware cost / (P - energy USD per 1M tokens)  million tokens  (never when P <= energy cost),
//   which takes that many tokens / (tokens/s * utilization) of calendar time.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "joulebench/error.hpp"

namespace joulebench::models {

struct Hardware {
  double cost_usd = 0.0;
  double years = 3.0;        // straight-line amortisation period
  double utilization = 0.7;  // share of the time it serves at the measured throughput
};

struct ApiPrice {
  std::string name;
  double usd_per_million_tokens = 0.0;
};

struct CostInputs {
  double j_per_token = 0.0;                // measured GPU energy per output token
  std::optional<double> tokens_per_s;      // measured throughput; needed for per-hour figures
  double usd_per_kwh = 0.0;
  double facility_factor = 1.0;            // see energy_model.hpp
  std::optional<Hardware> hardware;
  std::vector<ApiPrice> api_prices;
};

struct BreakEven {
  std::string api;
  double api_usd_per_million_tokens = 0.0;
  std::optional<double> million_tokens;    // null: never (the API is cheaper per token)
  std::optional<double> months;            // null: never, or no throughput to turn tokens into time
  std::string reason;                      // why a figure is null
};

struct CostFigures {
  double usd_per_kwh = 0.0;
  double kwh_per_million_tokens = 0.0;          // at the wall (facility factor applied)
  double energy_usd_per_million_tokens = 0.0;
  std::optional<double> energy_usd_per_hour;    // null without throughput
  std::optional<double> hardware_usd_per_hour;  // null without hardware
  std::optional<double> hardware_usd_per_million_tokens;
  std::optional<double> all_in_usd_per_million_tokens;  // energy + hardware; null without both
  std::vector<BreakEven> break_evens;
};

// Checks every input (positive price, throughput, J/token; years > 0; utilization in (0, 1])
// and names the flag of the first bad one.
Expected<CostFigures> cost(const CostInputs& inputs);

// "NAME=USD_PER_1M" as given to --api-price.
Expected<ApiPrice> parse_api_price(const std::string& text);

// The seed's scenarios when no price is given: $0.10, $0.20 and $0.30 per kWh.
std::vector<double> default_prices_usd_per_kwh();

}  // namespace joulebench::models
