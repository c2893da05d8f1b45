// Writers for `joulebench cost` and `joulebench estimate`: JSON (schema_version, the inputs
// with where they came from, every figure; null with a reason when missing) and terminal tables.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "models/carbon_model.hpp"
#include "models/cost_model.hpp"
#include "models/estimate_model.hpp"

namespace joulebench::report {

struct CostReport {
  std::string taken_from;    // which run / flags the J/token came from
  double j_per_token = 0.0;  // at the GPUs
  std::optional<double> tokens_per_s;
  std::string facility;  // how the wall energy was derived
  double facility_factor = 1.0;
  std::optional<models::Hardware> hardware;
  std::vector<models::CostFigures> scenarios;  // one per price
  std::optional<models::CarbonFigures> carbon;
  bool default_prices = false;  // the seed's scenarios, no --price-kwh given
  // The J/token's 95% interval as a share of it (the measured energy's stated uncertainty):
  // energy cost and CO2 are proportional to J/token and share it. Null with the reason.
  std::optional<double> relative_ci95;
  std::string relative_ci95_reason;
};

std::string cost_json(const CostReport& report);
std::string cost_table(const CostReport& report);

struct EstimateReport {
  std::string power_basis;
  double power_low_w = 0.0;
  double power_high_w = 0.0;
  std::vector<models::Estimate> rows;
};

std::string estimate_json(const EstimateReport& report);
std::string estimate_table(const EstimateReport& report);

}  // namespace joulebench::report
