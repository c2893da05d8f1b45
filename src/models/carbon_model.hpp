// CO2 from energy at the wall and a grid's carbon intensity. Pure functions.
//   g CO2 per 1M tokens = kWh per 1M tokens (wall) * g CO2 per kWh
//   kg CO2 per hour     = wall power kW * g CO2 per kWh / 1000
#pragma once

#include <optional>
#include <string>

namespace joulebench::models {

struct CarbonFigures {
  double g_co2_per_kwh = 0.0;
  std::string intensity_source;               // "--grid-gco2-kwh" or the table's region and source
  double g_co2_per_million_tokens = 0.0;
  std::optional<double> kg_co2_per_hour;      // null without throughput
};

CarbonFigures carbon(double wall_kwh_per_million_tokens, std::optional<double> wall_power_kw,
                     double g_co2_per_kwh, std::string intensity_source);

}  // namespace joulebench::models
