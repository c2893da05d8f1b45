#include "exporter/prometheus_writer.hpp"

#include <cmath>
#include <limits>

#include <gtest/gtest.h>

namespace joulebench::exporter {
namespace {

TEST(PrometheusWriter, WritesHelpTypeAndSamplesWithEscapedLabels) {
  const std::vector<MetricFamily> families = {
      {"demo_power_watts", "Power \\ of a\nthing.", MetricType::gauge,
       {{{{"gpu", "0"}, {"name", "A \"quoted\"\\path\nnext"}}, 300.5}, {{}, 2}}},
      {"demo_energy_joules_total", "Energy.", MetricType::counter, {{{{"gpu", "1"}}, 1e21}}},
  };
  const std::string expected =
      "# HELP demo_power_watts Power \\\\ of a\\nthing.\n"
      "# TYPE demo_power_watts gauge\n"
      "demo_power_watts{gpu=\"0\",name=\"A \\\"quoted\\\"\\\\path\\nnext\"} 300.5\n"
      "demo_power_watts 2\n"
      "# HELP demo_energy_joules_total Energy.\n"
      "# TYPE demo_energy_joules_total counter\n"
      "demo_energy_joules_total{gpu=\"1\"} 1e+21\n";
  EXPECT_EQ(write_text(families), expected);
}

TEST(PrometheusWriter, AFamilyWithoutSamplesIsAbsent) {
  const std::vector<MetricFamily> families = {{"demo_missing", "Never read.", MetricType::gauge, {}},
                                              {"demo_here", "Read.", MetricType::gauge, {{{}, 1}}}};
  const std::string text = write_text(families);
  EXPECT_EQ(text.find("demo_missing"), std::string::npos);
  EXPECT_NE(text.find("demo_here 1\n"), std::string::npos);
}

TEST(PrometheusWriter, ValuesRoundTripAndSpecialValuesUseTheFormatsSpelling) {
  EXPECT_EQ(format_value(0.1), "0.1");
  EXPECT_EQ(format_value(-3), "-3");
  EXPECT_EQ(format_value(123456789012.0), "123456789012");
  EXPECT_EQ(std::stod(format_value(1.0 / 3.0)), 1.0 / 3.0);
  EXPECT_EQ(format_value(std::numeric_limits<double>::quiet_NaN()), "NaN");
  EXPECT_EQ(format_value(std::numeric_limits<double>::infinity()), "+Inf");
  EXPECT_EQ(format_value(-std::numeric_limits<double>::infinity()), "-Inf");
}

TEST(PrometheusWriter, EscapingRules) {
  EXPECT_EQ(escape_label_value("a\\b\"c\nd"), "a\\\\b\\\"c\\nd");
  EXPECT_EQ(escape_help("a\\b\"c\nd"), "a\\\\b\"c\\nd");  // HELP keeps quotes as they are
}

}  // namespace
}  // namespace joulebench::exporter
