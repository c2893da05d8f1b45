#include "sensors/remote/remote_spec.hpp"

#include <gtest/gtest.h>

namespace joulebench::remote {
namespace {

TEST(RemoteSpec, APageKeepsItsOwnQueryAndLosesOurs) {
  auto spec = parse_remote_spec("http://node1:9400/metrics?collect=all&interval=1s");
  ASSERT_TRUE(spec) << spec.error().message;
  EXPECT_EQ(spec->kind, RemoteKind::metrics_page);
  EXPECT_EQ(spec->fetch_url, "http://node1:9400/metrics?collect=all");
  EXPECT_EQ(spec->host, "node1:9400");
  EXPECT_EQ(spec->interval, "1s");
}

TEST(RemoteSpec, APrometheusApiNeedsASelectorWhichMayBeEncoded) {
  auto spec = parse_remote_spec(
      "prometheus+http://prom:9090/"
      "?selector=DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION%7BHostname%3D%22n1%22%7D");
  ASSERT_TRUE(spec) << spec.error().message;
  EXPECT_EQ(spec->kind, RemoteKind::prometheus_api);
  EXPECT_EQ(spec->fetch_url, "http://prom:9090");
  EXPECT_EQ(spec->selector, "DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION{Hostname=\"n1\"}");
  auto none = parse_remote_spec("prometheus+http://prom:9090");
  ASSERT_FALSE(none);
  EXPECT_NE(none.error().message.find("selector"), std::string::npos);
}

TEST(RemoteSpec, BadUrlsAreNamed) {
  for (const char* bad :
       {"node1:9400/metrics", "ftp://x/metrics", "http:///metrics", "http://a/metrics?selector=x",
        "http://a/metrics?interval=%zz", "http://a/metrics#top"}) {
    auto spec = parse_remote_spec(bad);
    ASSERT_FALSE(spec) << bad;
    EXPECT_EQ(spec.error().message.rfind("--energy-from: '", 0), 0u) << spec.error().message;
  }
}

}  // namespace
}  // namespace joulebench::remote
