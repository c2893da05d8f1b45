#include "report/svg_plot.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace joulebench::report {
namespace {

constexpr double kLeft = 72.0;
constexpr double kRight = 24.0;
constexpr double kTop = 44.0;
constexpr double kBottom = 60.0;

double plot_right() { return SvgPlot::kWidth - kRight; }

// A category label cut in the middle to what fits its slot (about 6.2 px per character at
// 11 px), so that neighbouring labels never overlap and the distinguishing ends stay (names
// often differ only in their last label); the whole label stays in the element's tooltip.
std::string fitted_label(const std::string& label, double slot_width_px) {
  const auto fits = static_cast<std::size_t>(std::max(slot_width_px / 6.2, 2.0));
  if (label.size() <= fits) return xml_escape(label);
  const std::size_t head = (fits - 1) / 2;
  const std::size_t tail = fits - 1 - head;
  return xml_escape(label.substr(0, head)) + "\u2026" +
         xml_escape(label.substr(label.size() - tail)) + "<title>" + xml_escape(label) + "</title>";
}

}  // namespace

std::string xml_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

const char* series_colour(std::size_t index) {
  // Okabe & Ito's colour-blind-safe palette.
  static constexpr const char* kPalette[] = {"#0072B2", "#D55E00", "#009E73", "#CC79A7",
                                             "#E69F00", "#56B4E9", "#000000", "#F0E442"};
  return kPalette[index % std::size(kPalette)];
}

std::string px(double value) { return fmt::format("{:.1f}", value); }

SvgPlot::SvgPlot(const ChartFrame& frame, NiceAxis x_axis, NiceAxis y_axis)
    : frame_(frame),
      x_axis_(std::move(x_axis)),
      y_axis_(std::move(y_axis)),
      x_scale_(LinearScale::of(x_axis_, kLeft, plot_right())),
      y_scale_(LinearScale::of(y_axis_, kHeight - kBottom, kTop)) {}

SvgPlot::SvgPlot(const ChartFrame& frame, std::vector<std::string> categories, NiceAxis y_axis)
    : SvgPlot(frame, NiceAxis{0.0, 1.0, 1.0, {}}, std::move(y_axis)) {
  categories_ = std::move(categories);
}

double SvgPlot::slot_width() const {
  return (plot_right() - kLeft) / static_cast<double>(std::max<std::size_t>(categories_.size(), 1));
}

double SvgPlot::slot_centre(std::size_t index) const {
  return kLeft + (static_cast<double>(index) + 0.5) * slot_width();
}

double SvgPlot::plot_top() const { return kTop; }
double SvgPlot::plot_bottom() const { return kHeight - kBottom; }

std::string SvgPlot::axes() const {
  std::string out = fmt::format(R"(<g class="jb-axes" font-size="11" fill="#333">)");
  for (const double tick : y_axis_.ticks) {
    out += fmt::format(R"(<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="#e3e3e3"/>)", px(kLeft),
                       px(plot_right()), px(y(tick)), px(y(tick)));
    out +=
        fmt::format(R"(<text x="{}" y="{}" text-anchor="end" dominant-baseline="middle">{}</text>)",
                    px(kLeft - 6), px(y(tick)), tick_label(tick, y_axis_.step));
  }
  if (categories_.empty()) {
    for (const double tick : x_axis_.ticks) {
      out += fmt::format(R"(<line x1="{0}" x2="{0}" y1="{1}" y2="{2}" stroke="#e3e3e3"/>)",
                         px(x(tick)), px(kTop), px(plot_bottom()));
      out += fmt::format(R"(<text x="{}" y="{}" text-anchor="middle">{}</text>)", px(x(tick)),
                         px(plot_bottom() + 16), tick_label(tick, x_axis_.step));
    }
  }
  for (std::size_t i = 0; i < categories_.size(); ++i) {
    out += fmt::format(R"(<text x="{}" y="{}" text-anchor="middle">{}</text>)", px(slot_centre(i)),
                       px(plot_bottom() + 16), fitted_label(categories_[i], slot_width()));
  }
  out += fmt::format(R"(<path d="M{0},{1}V{2}H{3}" fill="none" stroke="#666"/>)", px(kLeft),
                     px(kTop), px(plot_bottom()), px(plot_right()));
  out += fmt::format(R"(<text x="{}" y="{}" text-anchor="middle">{}</text>)",
                     px((kLeft + plot_right()) / 2), px(kHeight - 16),
                     xml_escape(frame_.x_label) + (x_axis_.logarithmic ? " (log scale)" : ""));
  out += fmt::format(
      R"svg(<text transform="translate(16,{}) rotate(-90)" text-anchor="middle">{}</text>)svg",
      px((kTop + plot_bottom()) / 2),
      xml_escape(frame_.y_label) + (y_axis_.logarithmic ? " (log scale)" : ""));
  return out + "</g>";
}

std::string SvgPlot::legend() const {
  std::string out;
  if (!note_.empty()) {
    out += fmt::format(
        R"(<g class="jb-note" font-size="11"><circle cx="{}" cy="29" r="4" fill="#ffffff" stroke="#333" stroke-width="1.5"/><text x="{}" y="33" text-anchor="end">{}</text></g>)",
        px(plot_right() - 6.2 * static_cast<double>(note_.size()) - 10), px(plot_right()),
        xml_escape(note_));
  }
  if (legend_.size() < 2) return out;
  out += R"(<g class="jb-legend" font-size="11">)";
  double x_px = kLeft;
  for (std::size_t i = 0; i < legend_.size(); ++i) {
    out += fmt::format(R"(<rect x="{}" y="24" width="10" height="10" fill="{}"/>)", px(x_px),
                       series_colour(i));
    out += fmt::format(R"(<text x="{}" y="33">{}</text>)", px(x_px + 14), xml_escape(legend_[i]));
    // Advance by a rough text width: 6.2 px per character at 11 px.
    x_px += 14 + 6.2 * static_cast<double>(legend_[i].size()) + 16;
  }
  return out + "</g>";
}

std::string SvgPlot::render() const {
  return fmt::format(
      R"(<svg id="{}" class="jb-chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" width="{}" height="{}" role="img" aria-label="{}" font-family="sans-serif">)"
      R"(<text x="{}" y="16" font-size="14" font-weight="bold">{}</text>{}{}<g class="jb-data">{}</g></svg>)",
      xml_escape(frame_.id), kWidth, kHeight, kWidth, kHeight, xml_escape(frame_.title), px(kLeft),
      xml_escape(frame_.title), axes(), legend(), body_);
}

}  // namespace joulebench::report
