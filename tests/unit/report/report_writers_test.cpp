// Golden tests of the report writers (Markdown, HTML, CSV, JSON) over the fixture documents.
// Regenerate with JOULEBENCH_UPDATE_GOLDEN=1 and review the diff by hand (open the HTML).
#include "report/report_writers.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "golden_file.hpp"
#include "report/report_cells.hpp"
#include "report_fixture.hpp"

namespace joulebench::report {
namespace {

using testing::expect_matches_golden;

Report fixture_report() {
  auto report = build_report(testing::documents(), {});
  EXPECT_TRUE(report);
  report->tool_version = "0.0.0-test";  // goldens must not change with every release
  return *report;
}

TEST(ReportWriters, SensorColumnShowsTheStatedSystematicShare) {
  ReportConfig config;
  EXPECT_EQ(systematic_text(config), "not stated");  // missing is said, never 0
  config.samples.systematic_share = 0.0514;
  EXPECT_EQ(systematic_text(config), "5.1");
}

TEST(ReportWriters, MarkdownGolden) {
  expect_matches_golden("report.md", report_markdown(fixture_report()));
}
TEST(ReportWriters, HtmlGolden) {
  expect_matches_golden("report.html", report_html(fixture_report()));
}
TEST(ReportWriters, CsvGolden) {
  expect_matches_golden("report.csv", report_csv(fixture_report()));
}
TEST(ReportWriters, JsonGolden) {
  expect_matches_golden("report.json", report_json(fixture_report()));
}

TEST(ReportWriters, MarkdownRowHasTheHandComputedFigures) {
  const std::string md = report_markdown(fixture_report());
  // fp16: throughput 60 ± t*10/sqrt(3) = 24.8; J/token 4.2 ± 0.4968; $0.10: 4.2/36 = 0.1167.
  EXPECT_NE(md.find("| fp16 | - | 3 | 60.0 ± 24.8 |"), std::string::npos) << md;
  EXPECT_NE(md.find("| 4.2000 ± 0.4968 | 0.238 ± 0.028 | $0.1167 | $0.2333 | $0.3500 | 4.8 | not "
                    "stated | valid |"),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("INVALID (0 of 1 valid)"), std::string::npos);
}

TEST(ReportWriters, HtmlIsSelfContainedWithEveryChart) {
  const std::string html = report_html(fixture_report());
  for (const char* id : {"chart-power-0", "chart-j-per-token-load", "chart-throughput-energy",
                         "chart-energy-config"}) {
    EXPECT_NE(html.find(std::string("<svg id=\"") + id + "\""), std::string::npos) << id;
  }
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("src=\"http"), std::string::npos);
  EXPECT_EQ(html.find("href=\"http"), std::string::npos);
  EXPECT_EQ(html.find("@import"), std::string::npos);
}

TEST(ReportWriters, HtmlWithoutTraceSaysSo) {
  auto documents = testing::documents();
  documents[0].trace_csv.clear();
  auto report = build_report(documents, {});
  ASSERT_TRUE(report);
  const std::string html = report_html(*report);
  EXPECT_NE(html.find("id=\"chart-power-missing\""), std::string::npos);
  EXPECT_EQ(html.find("chart-power-0"), std::string::npos);
}

TEST(ReportWriters, JsonMissingFiguresAreNullWithAReason) {
  ResultDocument monitor{"m.json",
                         "file",
                         "m.json",
                         {{"schema_version", 1}, {"kind", "monitor"}, {"avg_power_w", 250.0}},
                         ""};
  auto report = build_report({monitor}, {});
  ASSERT_TRUE(report);
  const auto json = nlohmann::json::parse(report_json(*report));
  const auto& figures = json["configurations"][0]["figures"];
  EXPECT_TRUE(figures["j_per_output_token"]["mean"].is_null());
  EXPECT_EQ(figures["j_per_output_token"]["missing_reason"],
            "no sample of the configuration has this figure");
  EXPECT_DOUBLE_EQ(figures["avg_power_w"]["mean"].get<double>(), 250.0);
  EXPECT_TRUE(json["configurations"][0]["energy_cost"][0]["usd_per_million_tokens"].is_null());
}

}  // namespace
}  // namespace joulebench::report

namespace joulebench::report {
namespace {

TEST(ReportProvenance, ManyResultsAreGroupedByKindHostVersionAndSimulation) {
  Report report;
  for (std::size_t i = 0; i < kProvenanceRowsPerResult + 10; ++i) {
    const std::string day = i % 2 == 0 ? "2026-11-24T10:00:00Z" : "2026-11-25T09:00:00Z";
    report.sources.push_back({"run-" + std::to_string(i), "run", day, i < 40 ? "node-a" : "node-b",
                              "0.1.0", false, "live"});
  }
  const auto rows = provenance_rows(report);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0], (std::vector<std::string>{"40 results", "run",
                                               "2026-11-24T10:00:00Z to 2026-11-25T09:00:00Z",
                                               "node-a", "0.1.0", "live"}));
  EXPECT_EQ(rows[1][0], std::to_string(kProvenanceRowsPerResult + 10 - 40) + " results");
  // At or below the limit every result has its own row.
  report.sources.resize(kProvenanceRowsPerResult);
  EXPECT_EQ(provenance_rows(report).size(), kProvenanceRowsPerResult);
}

}  // namespace
}  // namespace joulebench::report
