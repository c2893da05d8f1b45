// The frame every report chart shares: an <svg> with a title, a plot area, gridlines and
// labelled ticks on both axes, a legend, and the data-to-pixel maps the charts draw with.
// Each chart is a self-contained <svg> element (no scripts, no external fonts or styles)
// with an id and the class "jb-chart" so tests and readers can find it.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "report/svg_scale.hpp"

namespace joulebench::report {

struct ChartFrame {
  std::string id;  // element id, e.g. "chart-power"
  std::string title;
  std::string x_label;  // with unit, e.g. "time (s)"
  std::string y_label;
  // An axis turns logarithmic when its positive data span this factor or more (0: never).
  double log_x_from_factor = 0.0;
  double log_y_from_factor = 0.0;
};

// &, <, >, " and ' as entities, for text in SVG and HTML.
std::string xml_escape(std::string_view text);

// Fill colour of series `index` (a palette that stays apart in print and for colour blindness).
const char* series_colour(std::size_t index);

// "12.5" for pixel coordinates: one decimal keeps files small and goldens stable.
std::string px(double value);

class SvgPlot {
 public:
  static constexpr double kWidth = 720.0;
  static constexpr double kHeight = 360.0;

  // Numeric x axis.
  SvgPlot(const ChartFrame& frame, NiceAxis x_axis, NiceAxis y_axis);
  // Categorical x axis (bars): one slot per category, labelled below.
  SvgPlot(const ChartFrame& frame, std::vector<std::string> categories, NiceAxis y_axis);

  double x(double value) const { return x_scale_(value); }
  double y(double value) const { return y_scale_(value); }
  // Slot `index` of a categorical axis: its centre and width in pixels.
  double slot_centre(std::size_t index) const;
  double slot_width() const;
  double plot_top() const;
  double plot_bottom() const;

  void add(std::string element) { body_ += std::move(element); }
  void set_legend(std::vector<std::string> names) { legend_ = std::move(names); }
  // A line of key under the title, right-aligned (e.g. what an open ring means).
  void set_note(std::string note) { note_ = std::move(note); }
  // The complete <svg> element.
  std::string render() const;

 private:
  std::string axes() const;
  std::string legend() const;

  ChartFrame frame_;
  NiceAxis x_axis_;
  NiceAxis y_axis_;
  std::vector<std::string> categories_;
  LinearScale x_scale_;
  LinearScale y_scale_;
  std::vector<std::string> legend_;
  std::string note_;
  std::string body_;
};

}  // namespace joulebench::report
