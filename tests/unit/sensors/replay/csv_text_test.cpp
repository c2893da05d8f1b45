#include "sensors/replay/csv_text.hpp"

#include <gtest/gtest.h>

namespace joulebench::replay {
namespace {

std::vector<std::string> all_lines(std::string_view text) {
  LineCursor cursor(text);
  std::vector<std::string> lines;
  std::string_view line;
  while (cursor.next(line)) lines.emplace_back(line);
  return lines;
}

TEST(LineCursor, SplitsLfAndCrlfAndKeepsEmptyLines) {
  EXPECT_EQ(all_lines("a\r\nb\n\nc"), (std::vector<std::string>{"a", "b", "", "c"}));
  EXPECT_EQ(all_lines("a\n"), (std::vector<std::string>{"a"}));
  EXPECT_TRUE(all_lines("").empty());
}

TEST(LineCursor, CountsLinesFromOne) {
  LineCursor cursor("x\ny\n");
  std::string_view line;
  ASSERT_TRUE(cursor.next(line));
  EXPECT_EQ(cursor.line_number(), 1u);
  ASSERT_TRUE(cursor.next(line));
  EXPECT_EQ(cursor.line_number(), 2u);
  EXPECT_FALSE(cursor.next(line));
}

TEST(SplitFields, TrimsEachFieldAndKeepsEmptyOnes) {
  std::vector<std::string_view> fields;
  split_fields(" a , b,,\tc ", fields);
  EXPECT_EQ(fields, (std::vector<std::string_view>{"a", "b", "", "c"}));
  split_fields("", fields);
  EXPECT_EQ(fields, (std::vector<std::string_view>{""}));
}

TEST(ParseNumber, AcceptsOnlyFiniteWholeNumbers) {
  EXPECT_EQ(parse_finite("12.5"), 12.5);
  EXPECT_EQ(parse_finite("-3"), -3.0);
  EXPECT_EQ(parse_finite("1e3"), 1000.0);
  EXPECT_FALSE(parse_finite("12.5x"));
  EXPECT_FALSE(parse_finite(""));
  EXPECT_FALSE(parse_finite("nan"));
  EXPECT_FALSE(parse_finite("inf"));
  EXPECT_FALSE(parse_finite("1e999"));
}

TEST(ParseNumber, SplitsTheUnit) {
  auto watts = parse_number_with_unit("186.42 W");
  ASSERT_TRUE(watts);
  EXPECT_EQ(watts->value, 186.42);
  EXPECT_EQ(watts->unit, "W");
  auto bare = parse_number_with_unit("1410");
  ASSERT_TRUE(bare);
  EXPECT_EQ(bare->value, 1410.0);
  EXPECT_EQ(bare->unit, "");
  EXPECT_FALSE(parse_number_with_unit("W 12"));
}

TEST(ParseInteger, DecimalAndHex) {
  EXPECT_EQ(parse_uint("42"), 42u);
  EXPECT_FALSE(parse_uint("-1"));
  EXPECT_FALSE(parse_uint("4 2"));
  EXPECT_FALSE(parse_uint("99999999999999999999"));
  EXPECT_EQ(parse_hex_or_uint("0x0000000000000044"), 0x44u);
  EXPECT_EQ(parse_hex_or_uint("0XfF"), 255u);
  EXPECT_EQ(parse_hex_or_uint("17"), 17u);
  EXPECT_FALSE(parse_hex_or_uint("0x"));
  EXPECT_FALSE(parse_hex_or_uint("0xg1"));
}

TEST(QuoteForMessage, EscapesControlBytesAndCutsLongText) {
  EXPECT_EQ(quote_for_message("abc"), "\"abc\"");
  EXPECT_EQ(quote_for_message(std::string_view("a\0\"b", 4)), "\"a\\x00\\\"b\"");
  EXPECT_EQ(quote_for_message(std::string(50, 'x')), "\"" + std::string(40, 'x') + "...\"");
}

TEST(SecondsText, AtMostThreeDecimalsWithoutTrailingZeros) {
  EXPECT_EQ(seconds_text(16.7), "16.7");
  EXPECT_EQ(seconds_text(0.025), "0.025");
  EXPECT_EQ(seconds_text(3.0), "3");
  EXPECT_EQ(seconds_text(0.0001), "0");
}

}  // namespace
}  // namespace joulebench::replay
