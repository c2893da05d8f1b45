// Writers for `joulebench compare`: JSON (each side's samples summary, every comparison's
// statistics, null with a reason) and a terminal table with the verdicts.
#pragma once

#include <string>
#include <vector>

#include "models/comparison.hpp"

namespace joulebench::report {

std::string compare_json(const std::vector<models::SideSamples>& sides,
                         const std::vector<models::SideComparison>& comparisons);
std::string compare_table(const std::vector<models::SideSamples>& sides,
                          const std::vector<models::SideComparison>& comparisons);

}  // namespace joulebench::report
