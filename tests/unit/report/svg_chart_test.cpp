// The chart helpers: nice ticks and scales computed by hand, and the SVG the charts draw.
#include "report/svg_chart.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace joulebench::report {
namespace {

TEST(NiceNumber, RoundsToOneTwoFiveTimesAPowerOfTen) {
  EXPECT_DOUBLE_EQ(nice_number(9.3, false), 10.0);
  EXPECT_DOUBLE_EQ(nice_number(2.5, true), 2.0);  // 2.5 < 3 rounds to 2
  EXPECT_DOUBLE_EQ(nice_number(3.4, true), 5.0);
  EXPECT_DOUBLE_EQ(nice_number(0.0042, false), 0.005);
  EXPECT_DOUBLE_EQ(nice_number(120.0, true), 100.0);
}

TEST(NiceAxis, CoversTheDataWithRoundSteps) {
  // Range 9.3 -> nice 10; 10 / 4 intervals = 2.5 -> step 2; 0 .. 10.
  const auto axis = nice_axis(0.0, 9.3);
  EXPECT_DOUBLE_EQ(axis.step, 2.0);
  EXPECT_DOUBLE_EQ(axis.lower, 0.0);
  EXPECT_DOUBLE_EQ(axis.upper, 10.0);
  EXPECT_EQ(axis.ticks, (std::vector<double>{0, 2, 4, 6, 8, 10}));
}

TEST(NiceAxis, SmallFractionsAndOffsets) {
  // Range 0.333 -> nice 0.5; 0.125 -> step 0.1; floor(1.23) = 1 -> 0.1, ceil(4.56) = 5 -> 0.5.
  const auto axis = nice_axis(0.123, 0.456);
  EXPECT_DOUBLE_EQ(axis.step, 0.1);
  EXPECT_NEAR(axis.lower, 0.1, 1e-12);
  EXPECT_NEAR(axis.upper, 0.5, 1e-12);
  ASSERT_EQ(axis.ticks.size(), 5u);
  EXPECT_EQ(tick_label(axis.ticks[2], axis.step), "0.3");
}

TEST(NiceAxis, DegenerateInputStillGivesAnAxis) {
  const auto one = nice_axis(5.0, 5.0);  // widened to 4.5 .. 5.5
  EXPECT_LE(one.lower, 4.5);
  EXPECT_GE(one.upper, 5.5);
  const auto nan = nice_axis(std::nan(""), 3.0);
  EXPECT_DOUBLE_EQ(nan.lower, 0.0);
  EXPECT_DOUBLE_EQ(nan.upper, 1.0);
  const auto reversed = nice_axis(10.0, 0.0);
  EXPECT_DOUBLE_EQ(reversed.lower, 0.0);
  EXPECT_DOUBLE_EQ(reversed.upper, 10.0);
}

TEST(TickLabel, DecimalsFollowTheStep) {
  EXPECT_EQ(tick_label(1500.0, 500.0), "1500");
  EXPECT_EQ(tick_label(0.25, 0.05), "0.25");
  EXPECT_EQ(tick_label(2e6, 1e6), "2e+06");
}

TEST(LinearScale, MapsDomainOntoPixelsAndReversedRanges) {
  const LinearScale y(0.0, 10.0, 100.0, 0.0);  // y grows upwards
  EXPECT_DOUBLE_EQ(y(0.0), 100.0);
  EXPECT_DOUBLE_EQ(y(2.5), 75.0);
  EXPECT_DOUBLE_EQ(y(10.0), 0.0);
  const LinearScale flat(3.0, 3.0, 0.0, 50.0);
  EXPECT_DOUBLE_EQ(flat(3.0), 25.0);
}

TEST(XmlEscape, EscapesMarkup) {
  EXPECT_EQ(xml_escape("a<b & \"c\"'"), "a&lt;b &amp; &quot;c&quot;&#39;");
}

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

TEST(LineChart, DrawsOneLinePerSeriesOverShadedBands) {
  const ChartFrame frame{"chart-x", "Power <W>", "time (s)", "power (W)"};
  const std::vector<ChartSeries> series = {
      {"gpu0", {{0, 100}, {1, 300}, {2, 250}}},
      {"gpu1", {{0, 90}, {1, std::numeric_limits<double>::infinity()}, {2, 80}}}};
  const std::string svg = line_chart(frame, series, {{0.5, 1.5, "decode"}});
  EXPECT_EQ(svg.rfind(R"(<svg id="chart-x" class="jb-chart")", 0), 0u);
  EXPECT_EQ(count(svg, "class=\"jb-line\""), 2u);
  EXPECT_EQ(count(svg, "class=\"jb-band\""), 1u);
  EXPECT_NE(svg.find("Power &lt;W&gt;"), std::string::npos);
  // gpu1's infinite point is left out: its path has two points (one M, one L).
  const auto second = svg.rfind("class=\"jb-line\" d=\"");
  const std::string d = svg.substr(second, svg.find('"', second + 19) - second);
  EXPECT_EQ(count(d, "L"), 1u) << d;
  // y axis 0 .. 300: range 300 -> nice 500, / 4 = 125 -> step 100.
  EXPECT_NE(svg.find(">300</text>"), std::string::npos);
  EXPECT_EQ(svg.substr(svg.size() - 6), "</svg>");
}

TEST(BarChart, DrawsBarsAndErrorBarsOnlyWhereTheCiIsKnown) {
  const ChartFrame frame{"chart-bars", "J/token", "configuration", "J/token"};
  const std::string svg =
      bar_chart(frame, {{"fp16", 4.2, 3.7, 4.7}, {"nf4", 3.6, std::nullopt, std::nullopt}});
  EXPECT_EQ(count(svg, "class=\"jb-bar\""), 2u);
  EXPECT_EQ(count(svg, "class=\"jb-error\""), 1u);
  EXPECT_NE(svg.find(">fp16</text>"), std::string::npos);
}

TEST(ScatterChart, OnePointPerFiniteValue) {
  const ChartFrame frame{"chart-s", "t", "x", "y"};
  const std::string svg =
      scatter_chart(frame, {{"a", {{1, 2}, {3, 4}}}, {"b", {{2, std::nan("")}}}}, true);
  EXPECT_EQ(count(svg, "class=\"jb-point\""), 2u);
  EXPECT_EQ(count(svg, "class=\"jb-line\""), 1u);  // b has no finite point, so no line
  EXPECT_EQ(count(svg, "class=\"jb-legend\""), 1u);
}

}  // namespace
}  // namespace joulebench::report

namespace joulebench::report {
namespace {

TEST(LogAxis, TicksAtOneTwoFiveAndBoundsOutsideTheData) {
  const NiceAxis axis = log_axis(1.0, 64.0);
  EXPECT_TRUE(axis.logarithmic);
  EXPECT_EQ(axis.ticks, (std::vector<double>{1, 2, 5, 10, 20, 50, 100}));
  EXPECT_EQ(log_axis(0.3, 4.0).ticks, (std::vector<double>{0.2, 0.5, 1, 2, 5}));
  EXPECT_EQ(tick_label(0.2, axis.step), "0.2");
  EXPECT_EQ(tick_label(50, axis.step), "50");
  EXPECT_TRUE(spans_factor(1, 8, 8));
  EXPECT_FALSE(spans_factor(4, 16, 8));
  EXPECT_FALSE(spans_factor(0, 16, 8));  // not positive: no log axis
}

TEST(ScatterChart, LogAxisLabelledPointsAndHollowInvalidOnes) {
  ChartFrame frame{"c", "J/token against concurrency", "concurrency", "J/token", 8.0};
  ChartSeries series{"all",
                     {{1, 2.0, "c=1", false}, {16, 0.5, "c=16", false}, {64, 0.6, "c=64", true}}};
  const std::string svg = scatter_chart(frame, {series}, true);
  EXPECT_NE(svg.find("concurrency (log scale)"), std::string::npos);
  for (const char* label : {">c=1<", ">c=16<", ">c=64<"})
    EXPECT_NE(svg.find(label), std::string::npos) << label;
  EXPECT_EQ(svg.find("jb-invalid"), svg.rfind("jb-invalid"));  // exactly one hollow point
  EXPECT_NE(svg.find("jb-invalid"), std::string::npos);
  EXPECT_NE(svg.find("open ring: not a valid measurement"), std::string::npos);
  // Under the factor the axis stays linear.
  ChartSeries close{"all", {{4, 1.0, "", false}, {16, 0.5, "", false}}};
  EXPECT_EQ(scatter_chart(frame, {close}, true).find("log scale"), std::string::npos);
}

}  // namespace
}  // namespace joulebench::report
