// Writers for `joulebench bench openai`: JSON (levels[] with per-level figures, latencies and
// validity, the efficiency curve, provenance), CSV (one row per level), terminal table.
#pragma once

#include <string>

#include "report/run_reports.hpp"
#include "workloads/serving/serving_result.hpp"

namespace joulebench::report {

std::string serving_json(const ServingBenchResult& result, const Provenance& provenance);
std::string serving_csv(const ServingBenchResult& result);
std::string serving_table(const ServingBenchResult& result);

}  // namespace joulebench::report
