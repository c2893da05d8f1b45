// The HTML report's charts, each an inline <svg> (src/report/svg_chart.hpp) or, when the data
// for it is missing, a sentence saying so (class "jb-no-chart"). Ids: chart-power-N,
// chart-j-per-token-load, chart-throughput-energy, chart-energy-config.
#pragma once

#include <string>

#include "report/report_model.hpp"

namespace joulebench::report {

// Bars beyond this many configurations would be unreadable; the chart says how many it shows.
inline constexpr std::size_t kMaxBars = 40;

std::string power_charts(const Report& report);
std::string j_per_token_load_chart(const Report& report);
std::string throughput_energy_chart(const Report& report);
std::string energy_config_chart(const Report& report);
// Tokens/J and throughput against each swept GPU setting (runs labelled power_limit_w,
// gpu_clock_mhz or mem_clock_mhz by a sweep), with 95% CIs; "" when nothing was swept.
// Ids: chart-<label>-tokens_per_j, chart-<label>-output_tokens_per_s.
std::string gpu_setting_charts(const Report& report);

}  // namespace joulebench::report
