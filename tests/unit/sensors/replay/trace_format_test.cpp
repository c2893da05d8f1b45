#include "sensors/replay/trace_format.hpp"

#include <gtest/gtest.h>

#include <limits>

namespace joulebench::replay {
namespace {

std::string token(std::string_view value) {
  std::string out;
  append_token(out, value);
  return out;
}

std::string time_text(TimeNs ns) {
  std::string out;
  append_time_s(out, ns);
  return out;
}

TEST(TraceFormat, TokensAreBareOnlyWhenSafe) {
  EXPECT_EQ(token("nvml:0"), "nvml:0");
  EXPECT_EQ(token("GPU-5c3e"), "GPU-5c3e");
  EXPECT_EQ(token(""), "\"\"");
  EXPECT_EQ(token("NVIDIA H100"), "\"NVIDIA H100\"");
  EXPECT_EQ(token("a=b"), "\"a=b\"");
  EXPECT_EQ(token("say \"hi\"\\"), "\"say \\\"hi\\\"\\\\\"");
  EXPECT_EQ(token("a\nb\tc\rd"), "\"a\\nb\\tc\\rd\"");
  EXPECT_EQ(token(std::string_view("\x01\x7f", 2)), "\"\\x01\\x7f\"");
  EXPECT_EQ(token("Grafikkarte \xc3\xa4"), "\"Grafikkarte \xc3\xa4\"");
}

TEST(TraceFormat, EveryByteValueSurvivesATokenRoundTrip) {
  std::string all;
  for (int byte = 0; byte < 256; ++byte) all += static_cast<char>(byte);
  const std::string line = "key=" + token(all) + " other=" + token("");
  auto pairs = parse_key_values(line);
  ASSERT_TRUE(pairs) << pairs.error().message;
  ASSERT_EQ(pairs->size(), 2u);
  EXPECT_EQ((*pairs)[0].key, "key");
  EXPECT_EQ((*pairs)[0].value, all);
  EXPECT_EQ((*pairs)[1].value, "");
}

TEST(TraceFormat, KeyValueErrors) {
  EXPECT_EQ(parse_key_values("novalue").error().message,
            "expected key=value at \"novalue\"");
  EXPECT_EQ(parse_key_values("=x").error().message, "expected key=value at \"=x\"");
  EXPECT_EQ(parse_key_values("k=\"x\"y").error().message, "k: text after the closing quote");
  EXPECT_EQ(parse_key_values("k=\"\\x4\"").error().message, "k: bad \\x escape");
  EXPECT_EQ(parse_key_values("k=\"abc\\").error().message, "k: unterminated quoted value");
  auto ok = parse_key_values("  a=1\tb=\"two words\"  ");
  ASSERT_TRUE(ok);
  EXPECT_EQ((*ok)[1].value, "two words");
}

TEST(TraceFormat, TimeKeepsNanoseconds) {
  EXPECT_EQ(time_text(0), "0.000000000");
  EXPECT_EQ(time_text(1), "0.000000001");
  EXPECT_EQ(time_text(16'722'000'000), "16.722000000");
  EXPECT_EQ(time_text(-1'500'000'000), "-1.500000000");
  for (TimeNs ns : {TimeNs{0}, TimeNs{1}, TimeNs{-1}, TimeNs{999'999'999'999'999'999},
                    TimeNs{-999'999'999'999'999'999}, TimeNs{123'456'789'012}}) {
    EXPECT_EQ(parse_time_s(time_text(ns)), ns) << ns;
  }
  EXPECT_EQ(time_text(std::numeric_limits<TimeNs>::min()), "-9223372036.854775808");
}

TEST(TraceFormat, TimeParsingIsStrict) {
  EXPECT_EQ(parse_time_s("12"), 12'000'000'000);
  EXPECT_EQ(parse_time_s("0.5"), 500'000'000);
  EXPECT_EQ(parse_time_s("0.0000000015"), 2);  // rounded to the nearest nanosecond
  EXPECT_EQ(parse_time_s("0.0000000014999"), 1);
  for (const char* bad : {"", "-", ".5", "1e3", "1.2.3", "+1", "1,5", " 1", "1000000000",
                          "abc"}) {
    EXPECT_FALSE(parse_time_s(bad)) << bad;
  }
}

TEST(TraceFormat, DoublesUseTheShortestExactForm) {
  for (double value : {312.5, 0.1, 1e21, 1.0 / 3.0, -0.0, 5e-324, 1.7976931348623157e308}) {
    std::string out;
    append_double(out, value);
    char* end = nullptr;
    EXPECT_EQ(std::strtod(out.c_str(), &end), value) << out;
  }
  std::string text;
  append_double(text, 0.1);
  EXPECT_EQ(text, "0.1");
}

TEST(TraceFormat, EnumNamesReadBack) {
  for (PowerKind kind : {PowerKind::instantaneous, PowerKind::average_1s, PowerKind::derived,
                         PowerKind::unknown}) {
    EXPECT_EQ(power_kind_from_string(to_string(kind)), kind);
  }
  EXPECT_FALSE(power_kind_from_string("fast"));
  EXPECT_EQ(metric_from_string("throttle_mask"), Metric::throttle_mask);
  EXPECT_FALSE(metric_from_string("smell"));
}

}  // namespace
}  // namespace joulebench::replay
