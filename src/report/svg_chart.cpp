#include "report/svg_chart.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

namespace joulebench::report {
namespace {

bool finite(const ChartPoint& point) { return std::isfinite(point.x) && std::isfinite(point.y); }

struct Extent {
  double lower = std::numeric_limits<double>::infinity();
  double upper = -std::numeric_limits<double>::infinity();
  void add(double value) {
    if (!std::isfinite(value)) return;
    lower = std::min(lower, value);
    upper = std::max(upper, value);
  }
  bool empty() const { return lower > upper; }
};

// Axes that cover every finite point; a linear y starts at zero for non-negative data so that
// magnitudes are compared honestly; an axis is logarithmic where the frame asks for it and
// the data span the factor.
std::pair<NiceAxis, NiceAxis> data_axes(const ChartFrame& frame,
                                        const std::vector<ChartSeries>& series, Extent x_extent) {
  Extent y_extent;
  for (const auto& one : series) {
    for (const auto& point : one.points) {
      if (!finite(point)) continue;
      x_extent.add(point.x);
      y_extent.add(point.y);
    }
  }
  if (x_extent.empty()) x_extent = {0.0, 1.0};
  if (y_extent.empty()) y_extent = {0.0, 1.0};
  const bool log_x = frame.log_x_from_factor > 0 &&
                     spans_factor(x_extent.lower, x_extent.upper, frame.log_x_from_factor);
  const bool log_y = frame.log_y_from_factor > 0 &&
                     spans_factor(y_extent.lower, y_extent.upper, frame.log_y_from_factor);
  return {
      log_x ? log_axis(x_extent.lower, x_extent.upper) : nice_axis(x_extent.lower, x_extent.upper),
      log_y ? log_axis(y_extent.lower, y_extent.upper)
            : nice_axis(std::min(0.0, y_extent.lower), y_extent.upper)};
}

std::string point_mark(const SvgPlot& plot, const ChartPoint& point, const std::string& series,
                       const char* colour) {
  const std::string x = px(plot.x(point.x));
  const std::string y = px(plot.y(point.y));
  std::string out = fmt::format(
      R"(<circle class="jb-point{}" cx="{}" cy="{}" r="4" fill="{}" stroke="{}" stroke-width="1.5"><title>{}{}: {:.4g}, {:.4g}</title></circle>)",
      point.hollow ? " jb-invalid" : "", x, y, point.hollow ? "#ffffff" : colour, colour,
      xml_escape(series), point.label.empty() ? "" : " " + xml_escape(point.label), point.x,
      point.y);
  if (!point.label.empty()) {
    out += fmt::format(
        R"(<text class="jb-point-label" x="{}" y="{}" font-size="10" fill="#333">{}</text>)",
        px(plot.x(point.x) + 6), px(plot.y(point.y) - 6), xml_escape(point.label));
  }
  return out;
}

std::vector<std::string> names_of(const std::vector<ChartSeries>& series) {
  std::vector<std::string> names;
  for (const auto& one : series) names.push_back(one.name);
  return names;
}

std::string polyline(const SvgPlot& plot, std::vector<ChartPoint> points, const char* colour,
                     bool sort_by_x) {
  if (sort_by_x)
    std::sort(points.begin(), points.end(), [](auto& a, auto& b) { return a.x < b.x; });
  std::string d;
  for (const auto& point : points) {
    if (!finite(point)) continue;
    d += fmt::format("{}{},{}", d.empty() ? "M" : "L", px(plot.x(point.x)), px(plot.y(point.y)));
  }
  if (d.empty()) return {};
  return fmt::format(R"(<path class="jb-line" d="{}" fill="none" stroke="{}" stroke-width="1.5"/>)",
                     d, colour);
}

}  // namespace

std::string line_chart(const ChartFrame& frame, const std::vector<ChartSeries>& series,
                       const std::vector<ChartBand>& bands) {
  Extent x_extent;
  for (const auto& band : bands) {
    x_extent.add(band.x_lower);
    x_extent.add(band.x_upper);
  }
  auto [x_axis, y_axis] = data_axes(frame, series, x_extent);
  SvgPlot plot(frame, x_axis, y_axis);
  for (const auto& band : bands) {
    if (!std::isfinite(band.x_lower) || !std::isfinite(band.x_upper)) continue;
    const double left = plot.x(band.x_lower);
    plot.add(fmt::format(
        R"(<rect class="jb-band" x="{}" y="{}" width="{}" height="{}" fill="#f2b134" fill-opacity="0.22"><title>{}</title></rect>)",
        px(left), px(plot.plot_top()), px(std::max(plot.x(band.x_upper) - left, 1.0)),
        px(plot.plot_bottom() - plot.plot_top()), xml_escape(band.label)));
  }
  for (std::size_t i = 0; i < series.size(); ++i)
    plot.add(polyline(plot, series[i].points, series_colour(i), false));
  plot.set_legend(names_of(series));
  return plot.render();
}

std::string scatter_chart(const ChartFrame& frame, const std::vector<ChartSeries>& series,
                          bool connect) {
  auto [x_axis, y_axis] = data_axes(frame, series, {});
  SvgPlot plot(frame, x_axis, y_axis);
  bool any_hollow = false;
  for (std::size_t i = 0; i < series.size(); ++i) {
    if (connect) plot.add(polyline(plot, series[i].points, series_colour(i), true));
    for (const auto& point : series[i].points) {
      if (!finite(point)) continue;
      any_hollow = any_hollow || point.hollow;
      plot.add(point_mark(plot, point, series[i].name, series_colour(i)));
    }
  }
  plot.set_legend(names_of(series));
  if (any_hollow) plot.set_note("open ring: not a valid measurement");
  return plot.render();
}

std::string bar_chart(const ChartFrame& frame, const std::vector<ChartBar>& bars) {
  Extent y_extent;
  std::vector<std::string> categories;
  for (const auto& bar : bars) {
    y_extent.add(bar.value);
    if (bar.error_upper) y_extent.add(*bar.error_upper);
    if (bar.error_lower) y_extent.add(*bar.error_lower);
    categories.push_back(bar.label);
  }
  if (y_extent.empty()) y_extent = {0.0, 1.0};
  SvgPlot plot(frame, categories, nice_axis(std::min(0.0, y_extent.lower), y_extent.upper));
  const double width = plot.slot_width() * 0.6;
  for (std::size_t i = 0; i < bars.size(); ++i) {
    const auto& bar = bars[i];
    if (!std::isfinite(bar.value)) continue;
    const double centre = plot.slot_centre(i);
    const double top = std::min(plot.y(bar.value), plot.y(0.0));
    plot.add(fmt::format(
        R"(<rect class="jb-bar" x="{}" y="{}" width="{}" height="{}" fill="{}"><title>{}: {:.4g}</title></rect>)",
        px(centre - width / 2), px(top), px(width), px(std::abs(plot.y(0.0) - plot.y(bar.value))),
        series_colour(0), xml_escape(bar.label), bar.value));
    if (bar.error_lower && bar.error_upper) {
      const double low = plot.y(*bar.error_lower);
      const double high = plot.y(*bar.error_upper);
      plot.add(fmt::format(
          R"(<path class="jb-error" d="M{0},{1}V{2}M{3},{1}H{4}M{3},{2}H{4}" stroke="#222" stroke-width="1.5" fill="none"/>)",
          px(centre), px(low), px(high), px(centre - width / 6), px(centre + width / 6)));
    }
  }
  return plot.render();
}

}  // namespace joulebench::report
