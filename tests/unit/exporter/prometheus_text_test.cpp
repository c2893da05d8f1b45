#include "exporter/prometheus_text.hpp"

#include <cmath>

#include <gtest/gtest.h>

#include "exporter/prometheus_writer.hpp"

namespace joulebench::exporter {
namespace {

std::vector<ParsedSample> parse_ok(std::string_view text) {
  auto parsed = parse_prometheus_text(text, "test");
  EXPECT_TRUE(parsed) << (parsed ? "" : parsed.error().what_line());
  return parsed ? *parsed : std::vector<ParsedSample>{};
}

TEST(PrometheusText, ReadsCommentsLabelsTimestampsAndExemplars) {
  const auto samples = parse_ok(
      "# HELP vllm:generation_tokens_total Number of generation tokens processed.\n"
      "# TYPE vllm:generation_tokens_total counter\n"
      "\n"
      "vllm:generation_tokens_total{model_name=\"meta/llama\"} 7.557572e+06\r\n"
      "  plain 42 1700000000000\n"
      "with_exemplar_total{a=\"1\",} 5 # {trace_id=\"abc\"} 1.0\n"
      "# EOF\n");
  ASSERT_EQ(samples.size(), 3u);
  EXPECT_EQ(samples[0].name, "vllm:generation_tokens_total");
  ASSERT_EQ(samples[0].labels.size(), 1u);
  EXPECT_EQ(samples[0].labels[0], (Label{"model_name", "meta/llama"}));
  EXPECT_DOUBLE_EQ(samples[0].value, 7557572.0);
  EXPECT_FALSE(samples[0].timestamp_ms);
  EXPECT_EQ(samples[1].name, "plain");
  EXPECT_EQ(samples[1].value, 42);
  EXPECT_EQ(samples[1].timestamp_ms, 1700000000000LL);
  EXPECT_EQ(samples[2].value, 5);
  EXPECT_EQ(*find_label(samples[2], "a"), "1");
  EXPECT_EQ(find_label(samples[2], "b"), nullptr);
}

TEST(PrometheusText, UnescapesLabelValuesWrittenByTheWriter) {
  const std::string value = "quote \" backslash \\ newline \n end";
  const std::string text = write_text({{"m", "h", MetricType::gauge, {{{{"v", value}}, 1.5}}}});
  const auto samples = parse_ok(text);
  ASSERT_EQ(samples.size(), 1u);
  EXPECT_EQ(samples[0].labels[0].value, value);
  EXPECT_EQ(samples[0].value, 1.5);
}

TEST(PrometheusText, SpecialValues) {
  const auto samples = parse_ok("a NaN\nb +Inf\nc -Inf\nd +3\ne -0.5e-3\n");
  ASSERT_EQ(samples.size(), 5u);
  EXPECT_TRUE(std::isnan(samples[0].value));
  EXPECT_TRUE(std::isinf(samples[1].value) && samples[1].value > 0);
  EXPECT_TRUE(std::isinf(samples[2].value) && samples[2].value < 0);
  EXPECT_EQ(samples[3].value, 3);
  EXPECT_DOUBLE_EQ(samples[4].value, -0.0005);
}

TEST(PrometheusText, MalformedLinesAreErrorsWithTheirLine) {
  const struct {
    const char* text;
    std::size_t line;
  } cases[] = {
      {"ok 1\n1bad 2\n", 2},
      {"m{a=\"1\" 2\n", 1},
      {"m{a=1} 2\n", 1},
      {"m{a=\"unterminated} 2\n", 1},
      {"m{a=\"bad\\q\"} 2\n", 1},
      {"# c\n\nm 12abc\n", 3},
      {"m\n", 1},
      {"m{} inf\n", 1},
      {"m 1 12.5\n", 1},
      {"m 1 2 3\n", 1},
      {"m{a=\"1\"}2\n", 1},
  };
  for (const auto& c : cases) {
    const auto parsed = parse_prometheus_text(c.text, "engine");
    ASSERT_FALSE(parsed) << c.text;
    EXPECT_EQ(parsed.error().file, "engine") << c.text;
    EXPECT_EQ(parsed.error().line, c.line) << c.text;
    EXPECT_FALSE(parsed.error().message.empty());
  }
}

TEST(PrometheusText, EmptyInputIsNoSamples) {
  EXPECT_TRUE(parse_ok("").empty());
  EXPECT_TRUE(parse_ok("\n\n# only comments\n").empty());
}

}  // namespace
}  // namespace joulebench::exporter
