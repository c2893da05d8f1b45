// The exporter's "/" page: one self-contained HTML document (inline CSS and JS, no external
// resources) that polls /metrics and draws power per GPU and tokens/J over the last minutes
// as inline SVG, with axes in their units, and says why a chart is empty.
#pragma once

#include <string>
#include <vector>

namespace joulebench::exporter {

// `poll_ms`: how often the page fetches /metrics; `history_s`: how much it keeps and draws;
// `tokens_empty_reason`: what the tokens/J chart says while it has nothing to draw.
std::string live_page(const std::string& hostname, int poll_ms, int history_s,
                      const std::string& tokens_empty_reason);

// Why the tokens/J chart is empty: no --tokens-from at all, or no counts from those URLs yet.
std::string tokens_chart_empty_reason(const std::vector<std::string>& token_source_urls);

}  // namespace joulebench::exporter
