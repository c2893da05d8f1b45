#include "sensors/replay/wall_clock_time.hpp"

#include <gtest/gtest.h>

namespace joulebench::replay {
namespace {

constexpr TimeNs kSecond = 1'000'000'000;
constexpr TimeNs kDay = 86'400 * kSecond;

TEST(WallClockParser, EpochAndKnownDates) {
  WallClockParser parser;
  EXPECT_EQ(parser.parse("1970/01/01 00:00:00.000"), 0);
  // 2000-03-01 is 11017 days after 1970-01-01 (30 years of 365 days + 7 leap days
  // 1972..1996 + 31 + 29 days of Jan and Feb 2000, a leap year).
  EXPECT_EQ(parser.parse("2000/03/01 00:00:00"), 11017 * kDay);
  // 2023-07-14 is day 19552 (python3: (date(2023,7,14) - date(1970,1,1)).days).
  EXPECT_EQ(parser.parse("2023/07/14 10:10:26.905"),
            19552 * kDay + (10 * 3600 + 10 * 60 + 26) * kSecond + 905'000'000);
}

TEST(WallClockParser, IsoFormFractionsAndZ) {
  WallClockParser parser;
  const auto slash = parser.parse("2023/07/14 10:10:26.905");
  ASSERT_TRUE(slash);
  EXPECT_EQ(parser.parse("2023-07-14T10:10:26.905"), slash);
  EXPECT_EQ(parser.parse("2023-07-14T10:10:26.905Z"), slash);
  EXPECT_EQ(parser.parse("2023-07-14 10:10:26.9"), *slash - 5'000'000);
  EXPECT_EQ(parser.parse("2023-07-14 10:10:26.905000001"), *slash + 1);
  EXPECT_EQ(parser.parse("2023-07-14 10:10:26"), *slash - 905'000'000);
}

TEST(WallClockParser, MidnightMonthAndYearEndsKeepCounting) {
  WallClockParser parser;
  const auto before = parser.parse("2023/12/31 23:59:59.900");
  const auto after = parser.parse("2024/01/01 00:00:00.100");
  ASSERT_TRUE(before && after);
  EXPECT_EQ(*after - *before, 200'000'000);
  const auto feb28 = parser.parse("2024/02/28 12:00:00.000");
  const auto mar01 = parser.parse("2024/03/01 12:00:00.000");
  EXPECT_EQ(*mar01 - *feb28, 2 * kDay);  // 2024 is a leap year
  const auto feb28_2023 = parser.parse("2023/02/28 12:00:00.000");
  const auto mar01_2023 = parser.parse("2023/03/01 12:00:00.000");
  EXPECT_EQ(*mar01_2023 - *feb28_2023, kDay);
}

TEST(WallClockParser, CachedDateIsNotReusedForAnotherDate) {
  WallClockParser parser;
  const auto first = parser.parse("2023/07/14 10:00:00.000");
  const auto second = parser.parse("2023/07/15 10:00:00.000");
  const auto again = parser.parse("2023/07/14 10:00:00.000");
  EXPECT_EQ(*second - *first, kDay);
  EXPECT_EQ(again, first);
}

TEST(WallClockParser, RejectsMalformedAndImpossibleTimestamps) {
  WallClockParser parser;
  for (const char* bad : {"", "2023/07/14", "2023/07/14 10:10", "2023/13/01 00:00:00",
                          "2023/02/29 00:00:00", "2023/04/31 00:00:00", "2023/00/10 00:00:00",
                          "2023/07/14 24:00:00", "2023/07/14 10:60:00", "2023/07/14 10:10:61",
                          "2023/07-14 10:10:10", "2023/07/14x10:10:10", "2023/07/14 10:10:10.",
                          "2023/07/14 10:10:10.1234567890", "2023/07/14 10:10:10 PM",
                          "1969/12/31 23:59:59", "2200/01/01 00:00:00", "abcd/07/14 10:10:10",
                          "2023/07/14 1a:10:10", "2023/07/14 10:10:10+02:00"}) {
    EXPECT_FALSE(parser.parse(bad)) << bad;
  }
}

TEST(WallClockParser, RecognisesAHeaderlessLog) {
  EXPECT_TRUE(looks_like_date("2023/07/14 10:10:26.905"));
  EXPECT_TRUE(looks_like_date("2023-07-14"));
  EXPECT_FALSE(looks_like_date("timestamp"));
  EXPECT_FALSE(looks_like_date("2023"));
}

}  // namespace
}  // namespace joulebench::replay
