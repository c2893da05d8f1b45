// The whole `joulebench cost` computation in one call, shared by the command line and the
// Python module (TokenEnergy.cost / .co2), so that both give the same figures: the facility
// factor, one cost scenario per electricity price, break-even against API prices, and CO2
// from a grid intensity or a region of the grid table. Errors name the command line's flags;
// the Python binding renames them to its arguments.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "joulebench/error.hpp"
#include "models/cost_model.hpp"
#include "models/result_figures.hpp"
#include "report/cost_writers.hpp"

namespace joulebench::report {

struct CostRequest {
  models::ResultFigures figures;        // J/token at the GPUs, throughput, where they came from
  std::optional<double> node_overhead;  // share of energy beyond the GPUs
  std::optional<double> psu_efficiency;
  std::optional<double> pue;
  std::optional<models::Hardware> hardware;
  std::vector<models::ApiPrice> api_prices;
  std::vector<double> prices_usd_per_kwh;  // empty: the default scenarios
  std::optional<double> grid_g_co2_per_kwh;
  std::string region;        // a code of the grid table; empty: no CO2 unless the intensity
  std::string regions_file;  // another grid table; empty: the built-in one
};

Expected<CostReport> build_cost_report(const CostRequest& request);

}  // namespace joulebench::report
