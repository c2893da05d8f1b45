// Writers for `joulebench report`: Markdown, one self-contained HTML page (inline SVG charts,
// no scripts or resources from anywhere), CSV (one row per configuration) and JSON. Pure:
// Report in, text out; golden-tested in tests/unit/report/report_writers_test.cpp.
#pragma once

#include <string>

#include "report/report_model.hpp"

namespace joulebench::report {

std::string report_markdown(const Report& report);
std::string report_html(const Report& report);
std::string report_csv(const Report& report);
std::string report_json(const Report& report);

}  // namespace joulebench::report
