// The report's chart types, drawn as inline SVG by our own code (no chart library, nothing
// fetched): lines over time with shaded windows, scatter plots, bars with error bars.
// Pure: data in, one <svg> element out. Non-finite points are left out.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "report/svg_plot.hpp"

namespace joulebench::report {

struct ChartPoint {
  double x = 0.0;
  double y = 0.0;
  std::string label;    // drawn beside the point (a static image must say which point is which)
  bool hollow = false;  // drawn as a ring: a point that is not a valid measurement
};

struct ChartSeries {
  std::string name;  // legend entry
  std::vector<ChartPoint> points;
};

// A shaded span of the x axis, e.g. a measured window.
struct ChartBand {
  double x_lower = 0.0;
  double x_upper = 0.0;
  std::string label;  // tooltip
};

struct ChartBar {
  std::string label;  // category under the bar
  double value = 0.0;
  std::optional<double> error_lower;  // whisker ends (a 95% CI), in the value's unit
  std::optional<double> error_upper;
};

// Lines (one per series) over shaded bands.
std::string line_chart(const ChartFrame& frame, const std::vector<ChartSeries>& series,
                       const std::vector<ChartBand>& bands);
// Points (one colour per series); `connect` joins each series' points in x order. Hollow
// points add "open ring: not valid" to the legend.
std::string scatter_chart(const ChartFrame& frame, const std::vector<ChartSeries>& series,
                          bool connect);
// Bars from zero with error bars where both ends are known.
std::string bar_chart(const ChartFrame& frame, const std::vector<ChartBar>& bars);

}  // namespace joulebench::report
