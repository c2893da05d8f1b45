// Writers for `joulebench run` results: JSON (schema_version 1), CSV (one row per
// iteration) and a terminal table. Pure functions.
#pragma once

#include <string>

#include "report/run_reports.hpp"
#include "workloads/command/run_result.hpp"

namespace joulebench::report {

std::string run_json(const RunResult& result, const Provenance& provenance);
std::string run_csv(const RunResult& result);
std::string run_table(const RunResult& result);

}  // namespace joulebench::report
