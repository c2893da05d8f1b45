#include <gtest/gtest.h>

#include "exporter/listen_address.hpp"
#include "exporter/rate_limiter.hpp"

namespace joulebench::exporter {
namespace {

TEST(ListenAddress, ParsesHostsAndPorts) {
  auto v4 = parse_listen_address("127.0.0.1:9464");
  ASSERT_TRUE(v4);
  EXPECT_EQ(v4->host, "127.0.0.1");
  EXPECT_EQ(v4->port, 9464);
  auto v6 = parse_listen_address("[::1]:0");
  ASSERT_TRUE(v6);
  EXPECT_EQ(v6->host, "::1");
  EXPECT_EQ(v6->port, 0);
  EXPECT_EQ(listen_url(*v6), "http://[::1]:0");
  auto bare = parse_listen_address(":9100");
  ASSERT_TRUE(bare);
  EXPECT_EQ(bare->host, "127.0.0.1");  // loopback unless told otherwise
  for (const char* bad : {"9464", "host:", "host:70000", "host:-1", "::1:9464", "h:12x"}) {
    auto parsed = parse_listen_address(bad);
    ASSERT_FALSE(parsed) << bad;
    EXPECT_EQ(parsed.error().message.rfind("--listen: ", 0), 0u) << parsed.error().message;
  }
}

TEST(RateLimiter, BurstThenSteadyRate) {
  RateLimiter limiter(8.0, 3.0);  // 8/s, bursts of 3 (binary fractions of a second below)
  int allowed = 0;
  for (int i = 0; i < 10; ++i) allowed += limiter.allow(100.0) ? 1 : 0;
  EXPECT_EQ(allowed, 3);
  EXPECT_FALSE(limiter.allow(100.0625));  // half a token refilled
  EXPECT_TRUE(limiter.allow(100.125));    // one token after 1/8 s
  allowed = 0;
  for (int i = 0; i < 10; ++i) allowed += limiter.allow(110.0) ? 1 : 0;
  EXPECT_EQ(allowed, 3);  // refilled to the burst, not beyond
  EXPECT_FALSE(limiter.allow(109.0));  // a clock going back refills nothing
}

}  // namespace
}  // namespace joulebench::exporter
