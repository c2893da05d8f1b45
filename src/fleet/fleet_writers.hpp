// The fleet report as text: a terminal table, Markdown, one offline HTML page (inline SVG
// efficiency curves) and JSON (schema_version, units in key names, null with a reason where
// a figure is missing). Pure: report in, string out; golden files test them.
#pragma once

#include <string>

#include "fleet/analysis.hpp"

namespace joulebench::fleet {

std::string fleet_table(const FleetReport& report);
std::string fleet_markdown(const FleetReport& report);
std::string fleet_html(const FleetReport& report);
std::string fleet_json(const FleetReport& report);
std::string fleet_csv(const FleetReport& report);  // one row per model

}  // namespace joulebench::fleet
