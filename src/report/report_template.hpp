// `joulebench report --template FILE`: a document (Markdown, HTML, anything textual) whose
// placeholders are replaced by figures of the reported runs.
//
//   {{ SELECTOR : METRIC }}  or  {{ SELECTOR : METRIC : DECIMALS }}
//
// SELECTOR is `*` (every configuration) or comma-separated `key=value` labels that a
// configuration must all have (a bench-openai level adds `concurrency=N` or `rate=R`);
// the figure is the mean over every sample of every matching configuration. METRIC is one of
// j_per_output_token, tokens_per_j, output_tokens_per_s, avg_power_w, j_per_1k_tokens, cv
// (of J/token, in %), n (samples of J/token), usd_per_million_tokens (at the first --price-kwh)
// or usd_per_million_tokens@PRICE (at PRICE $/kWh). A figure no matching sample has is "n/a".
// Errors name the file, the line and the placeholder: an unknown metric, a selector that
// matches nothing, a malformed or unterminated placeholder.
#pragma once

#include <string>
#include <string_view>

#include "joulebench/error.hpp"
#include "report/report_model.hpp"

namespace joulebench::report {

Expected<std::string> fill_template(std::string_view text, const std::string& filename,
                                    const Report& report);

}  // namespace joulebench::report
