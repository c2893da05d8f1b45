#include "sensors/remote/clock_offset.hpp"

#include <gtest/gtest.h>

#include "platform/time_format.hpp"

namespace joulebench::remote {
namespace {

TEST(ClockOffset, HttpDateIsUnixSeconds) {
  EXPECT_DOUBLE_EQ(*parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT"), 784111777.0);
  EXPECT_DOUBLE_EQ(*parse_http_date("Thu, 01 Jan 1970 00:00:00 GMT"), 0.0);
  EXPECT_DOUBLE_EQ(*parse_http_date("Tue, 29 Feb 2028 23:59:59 GMT"), 1835481599.0);
  EXPECT_FALSE(parse_http_date(""));
  EXPECT_FALSE(parse_http_date("Sunday, 06-Nov-94 08:49:37 GMT"));
  EXPECT_FALSE(parse_http_date("Sun, 06 Foo 1994 08:49:37 GMT"));
  EXPECT_FALSE(parse_http_date("Sun, 06 Nov 1994 25:49:37 GMT"));
}

TEST(ClockOffset, TheExportersDateHeaderReadsBack) {
  const auto when = std::chrono::system_clock::time_point(std::chrono::seconds(1835481599));
  EXPECT_EQ(platform::http_date(when), "Tue, 29 Feb 2028 23:59:59 GMT");
  EXPECT_DOUBLE_EQ(*parse_http_date(platform::http_date(when)), 1835481599.0);
}

TEST(ClockOffset, RemoteMinusTheLocalMidpointOfTheRequest) {
  // A Date header truncates to the second: its middle is taken.
  EXPECT_NEAR(clock_offset_s(1000.0, 1.0, 1000.1, 1000.3), 0.3, 1e-9);
  // An exact remote stamp (Prometheus time()) ahead by 2 s.
  EXPECT_NEAR(clock_offset_s(1002.2, 0.0, 1000.0, 1000.4), 2.0, 1e-9);
}

}  // namespace
}  // namespace joulebench::remote
