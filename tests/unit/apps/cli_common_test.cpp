#include "cli_common.hpp"

#include <gtest/gtest.h>

namespace joulebench::cli {
namespace {

using std::chrono::nanoseconds;

TEST(ParseDuration, AcceptsUnitsAndBareSeconds) {
  struct Case {
    const char* text;
    long long expected_ns;
  };
  const Case cases[] = {
      {"100ms", 100'000'000}, {"1s", 1'000'000'000},  {"2.5s", 2'500'000'000},
      {"2m", 120'000'000'000}, {"250us", 250'000},     {"3", 3'000'000'000},
      {"1h", 3'600'000'000'000}, {"0.001s", 1'000'000}, {"15ns", 15},
  };
  for (const auto& c : cases) {
    auto parsed = parse_duration(c.text, "--interval");
    ASSERT_TRUE(parsed) << c.text;
    EXPECT_EQ(parsed->count(), c.expected_ns) << c.text;
  }
}

TEST(ParseDuration, RejectsGarbageNamingTheFlag) {
  for (const char* text : {"", "ms", "10 parsecs", "-1s", "1e400s", "5x", "nan", "inf"}) {
    auto parsed = parse_duration(text, "--interval");
    ASSERT_FALSE(parsed) << text;
    EXPECT_EQ(parsed.error().message.rfind("--interval: ", 0), 0u) << parsed.error().message;
  }
}

TEST(SensorFlags, GpusListIsSplitOnCommas) {
  SensorFlags flags;
  flags.gpus = "0,2,GPU-abc";
  const auto selection = flags.selection();
  ASSERT_TRUE(selection.gpus);
  EXPECT_EQ(*selection.gpus, (std::vector<std::string>{"0", "2", "GPU-abc"}));
  EXPECT_FALSE(SensorFlags{}.selection().gpus);
}

}  // namespace
}  // namespace joulebench::cli
