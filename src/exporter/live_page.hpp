// The exporter's "/" page: one self-contained HTML document (inline CSS and JS, no external
// resources) that polls /metrics and draws power per GPU and tokens/J over the last minutes
// as inline SVG.
#pragma once

#include <string>

namespace joulebench::exporter {

// `poll_ms`: how often the page fetches /metrics; `history_s`: how much it keeps and draws.
std::string live_page(const std::string& hostname, int poll_ms, int history_s);

}  // namespace joulebench::exporter
