// Template placeholders: figures from the matched configurations, and errors naming the line.
#include "report/report_template.hpp"

#include <gtest/gtest.h>

#include "report_fixture.hpp"

namespace joulebench::report {
namespace {

Report fixture_report() {
  auto report = build_report(testing::documents(), {});
  EXPECT_TRUE(report);
  return *report;
}

std::string fill(const std::string& text) {
  auto filled = fill_template(text, "t.md", fixture_report());
  return filled ? *filled : "ERROR " + filled.error().what_line();
}

TEST(ReportTemplate, FillsMeansOfTheMatchedConfigurations) {
  // The run's labels exactly: the bench levels (same labels + concurrency) are not pooled in.
  EXPECT_EQ(fill("| FP16 | {{ precision=fp16,batch=8 : j_per_output_token }} |"), "| FP16 | 4.2000 |");
  EXPECT_EQ(fill("{{precision=nf4:j_per_1k_tokens}}"), "3600.0");
  // precision=nf4 has 3 samples; tokens/s 50, 60, 70.
  EXPECT_EQ(fill("{{ precision=nf4 : output_tokens_per_s : 0 }} tok/s, n = {{ precision=nf4 : n }}"), "60 tok/s, n = 3");
  // 1 / 0.8 tokens/J at concurrency 16.
  EXPECT_EQ(fill("{{ concurrency=16 : tokens_per_j }}"), "1.250");
  // $0.20/kWh: 3.6 J/token -> 1 kWh per 1M tokens -> $0.20.
  EXPECT_EQ(fill("{{ precision=nf4 : usd_per_million_tokens@0.20 }}"), "0.2000");
  EXPECT_EQ(fill("{{ precision=nf4 : usd_per_million_tokens }}"), "0.1000");
  // CV of 3.5, 3.6, 3.7: s = 0.1, mean 3.6 -> 2.78%.
  EXPECT_EQ(fill("{{ precision=nf4 : cv : 2 }}%"), "2.78%");
}

TEST(ReportTemplate, SeveralMatchesPoolTheirSamples) {
  // Every J/token sample of precision=fp16: 4.0, 4.2, 4.4, 2.0, 1.0, 0.8 -> mean 16.4 / 6.
  EXPECT_EQ(fill("{{ precision=fp16 : j_per_output_token : 6 }}"), "2.733333");
  // Measured samples only: 3 per run (warm-ups left out) and one per bench level.
  EXPECT_EQ(fill("{{ * : n }}"), "9");
}

TEST(ReportTemplate, TextWithoutPlaceholdersIsUnchanged) {
  EXPECT_EQ(fill("no placeholders\n{ single } braces\n"), "no placeholders\n{ single } braces\n");
}

TEST(ReportTemplate, ErrorsNameTheFileLineAndPlaceholder) {
  EXPECT_EQ(fill("a\nb\n{{ precision=fp16 : joules }}"),
            "ERROR t.md:3: placeholder '{{ precision=fp16 : joules }}': unknown metric 'joules' (use "
            "j_per_output_token, tokens_per_j, output_tokens_per_s, avg_power_w, j_per_1k_tokens, cv, n, "
            "usd_per_million_tokens[@PRICE])");
  EXPECT_EQ(fill("\n{{ precision=int8 : n }}"),
            "ERROR t.md:2: placeholder '{{ precision=int8 : n }}': selector 'precision=int8' matches no configuration");
  EXPECT_EQ(fill("x {{ precision=fp16 : n\n}}"), "ERROR t.md:1: placeholder '{{' is not closed by '}}' on the same line");
  EXPECT_NE(fill("{{ fp16 : n }}").find("t.md:1: placeholder '{{ fp16 : n }}': selector part 'fp16' is not key=value"),
            std::string::npos);
  EXPECT_NE(fill("{{ * : n : many }}").find("decimals 'many'"), std::string::npos);
  EXPECT_NE(fill("{{ * : usd_per_million_tokens@free }}").find("price after @"), std::string::npos);
}

}  // namespace
}  // namespace joulebench::report
