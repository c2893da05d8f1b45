// Outside text (labels, model names) in CSV and Markdown output: never a formula in a
// spreadsheet, never HTML in a Markdown viewer.
#include <gtest/gtest.h>

#include "report/csv_text.hpp"
#include "report/markdown_text.hpp"
#include "report/report_writers.hpp"
#include "report_fixture.hpp"

namespace joulebench::report {
namespace {

TEST(CsvText, TextCellsThatASpreadsheetWouldRunAreQuotedNumbersAreNot) {
  CsvText csv({"label", "value"});
  csv.add_row({"=HYPERLINK(\"http://x\")", "-0.5"});
  csv.add_row({"+cmd", "-1e-05"});
  csv.add_row({"-2+3", "12"});
  csv.add_row({"@SUM(A1)", ""});
  csv.add_row({"\t=1", "\r=2"});
  csv.add_row({"plain", "a-b"});
  EXPECT_EQ(csv.text(),
            "label,value\n"
            "\"'=HYPERLINK(\"\"http://x\"\")\",-0.5\n"
            "'+cmd,-1e-05\n"
            "'-2+3,12\n"
            "'@SUM(A1),\n"
            "'\t=1,\"'\r=2\"\n"
            "plain,a-b\n");
}

TEST(MarkdownText, HtmlIsShownNotRun) {
  EXPECT_EQ(md_text("<script>alert(1)</script> & co"), "&lt;script>alert(1)&lt;/script> &amp; co");
  EXPECT_EQ(md_text("two\nlines"), "two lines");
  EXPECT_EQ(md_cell("a|b<i>"), "a\\|b&lt;i>");
}

TEST(ReportWriters, LabelsAreEscapedInMarkdownAndNeutralisedInCsv) {
  auto report = build_report(
      {testing::run_document("evil.json", "<script>alert(1)</script>", {1.0, 1.1, 1.2}),
       testing::run_document("formula.json", "=cmd|' /C calc'!A0", {1.0, 1.1, 1.2})},
      {});
  ASSERT_TRUE(report) << report.error().what_line();
  const std::string markdown = report_markdown(*report);
  EXPECT_EQ(markdown.find("<script>"), std::string::npos) << markdown;
  EXPECT_NE(markdown.find("&lt;script>"), std::string::npos) << markdown;
  const std::string csv = report_csv(*report);
  EXPECT_EQ(csv.find(",=cmd"), std::string::npos) << csv;
  EXPECT_EQ(csv.find("\n=cmd"), std::string::npos) << csv;
}

}  // namespace
}  // namespace joulebench::report
