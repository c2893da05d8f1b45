#include "models/carbon_model.hpp"

#include <utility>

namespace joulebench::models {

CarbonFigures carbon(double wall_kwh_per_million_tokens, std::optional<double> wall_power_kw,
                     double g_co2_per_kwh, std::string intensity_source) {
  CarbonFigures figures;
  figures.g_co2_per_kwh = g_co2_per_kwh;
  figures.intensity_source = std::move(intensity_source);
  figures.g_co2_per_million_tokens = wall_kwh_per_million_tokens * g_co2_per_kwh;
  if (wall_power_kw) figures.kg_co2_per_hour = *wall_power_kw * g_co2_per_kwh / 1000.0;
  return figures;
}

}  // namespace joulebench::models
