// live_provenance: the fields every live run's JSON carries about where its numbers came from.
#include "report/provenance.hpp"

#include <gtest/gtest.h>

namespace joulebench::report {
namespace {

TEST(LiveProvenance, RecordsSensorsIntervalAndHost) {
  const auto provenance = live_provenance({"nvml"}, {{"rapl", "no zones"}},
                                          std::chrono::milliseconds(250), {"auto"});
  EXPECT_EQ(provenance.sensors, std::vector<std::string>{"nvml"});
  ASSERT_EQ(provenance.unavailable.size(), 1u);
  EXPECT_EQ(provenance.unavailable[0].sensor, "rapl");
  EXPECT_DOUBLE_EQ(provenance.interval_s.value(), 0.25);
  EXPECT_FALSE(provenance.host.empty());
  EXPECT_EQ(provenance.start_time.back(), 'Z');  // ISO 8601 UTC
  EXPECT_TRUE(provenance.replay_sources.empty());
}

TEST(LiveProvenance, ReplaySpecsMakeTheRunSimulated) {
  const auto provenance = live_provenance({"replay", "replay"}, {}, std::chrono::milliseconds(100),
                                          {"replay:a.csv", "nvml", "replay:dir/b.csv"});
  EXPECT_EQ(provenance.replay_sources, (std::vector<std::string>{"a.csv", "dir/b.csv"}));
  EXPECT_TRUE(provenance_json(provenance)["simulated"].get<bool>());
}

}  // namespace
}  // namespace joulebench::report
