#include "report/cost_report.hpp"

#include "models/carbon_model.hpp"
#include "models/catalog.hpp"
#include "models/energy_model.hpp"

namespace joulebench::report {
namespace {

// The grid intensity and where it came from; nullopt when neither was given.
Expected<std::optional<std::pair<double, std::string>>> grid_intensity(const CostRequest& request) {
  if (request.grid_g_co2_per_kwh && !request.region.empty())
    return Error{"--region: give either --region or --grid-gco2-kwh"};
  if (request.grid_g_co2_per_kwh) {
    if (!(*request.grid_g_co2_per_kwh >= 0.0))
      return Error{"--grid-gco2-kwh: must not be negative"};
    return std::optional(std::pair(*request.grid_g_co2_per_kwh, std::string("--grid-gco2-kwh")));
  }
  if (request.region.empty()) return std::optional<std::pair<double, std::string>>();
  auto table = models::load_grid_table(request.regions_file);
  if (!table) return table.error();
  auto region = models::find_region(*table, request.region);
  if (!region) return region.error();
  return std::optional(
      std::pair(region->g_co2_per_kwh, region->code + " (" + region->name + "), " + table->source));
}

}  // namespace

Expected<CostReport> build_cost_report(const CostRequest& request) {
  auto facility = models::facility(request.node_overhead, request.psu_efficiency, request.pue);
  if (!facility) return facility.error();
  const models::ResultFigures& figures = request.figures;
  models::CostInputs inputs{figures.j_per_token, figures.tokens_per_s, 0.0,
                            facility->factor,    request.hardware,     request.api_prices};
  CostReport out{figures.taken_from,
                 figures.j_per_token,
                 figures.tokens_per_s,
                 facility->description,
                 facility->factor,
                 request.hardware,
                 {},
                 std::nullopt,
                 request.prices_usd_per_kwh.empty(),
                 figures.relative_ci95,
                 figures.relative_ci95_reason};
  const auto prices =
      out.default_prices ? models::default_prices_usd_per_kwh() : request.prices_usd_per_kwh;
  for (double price : prices) {
    inputs.usd_per_kwh = price;
    auto scenario = models::cost(inputs);
    if (!scenario) return scenario.error();
    out.scenarios.push_back(std::move(*scenario));
  }
  auto intensity = grid_intensity(request);
  if (!intensity) return intensity.error();
  if (*intensity) {
    std::optional<double> wall_kw;
    if (out.tokens_per_s)
      wall_kw = out.j_per_token * *out.tokens_per_s * out.facility_factor / 1000.0;
    out.carbon = models::carbon(out.scenarios.front().kwh_per_million_tokens, wall_kw,
                                (*intensity)->first, (*intensity)->second);
  }
  return out;
}

}  // namespace joulebench::report
