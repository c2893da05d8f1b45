#include "workloads/gpu_settings/setting_plan.hpp"

#include <gtest/gtest.h>

namespace joulebench::gpu_settings {
namespace {

GpuConstraints h100() {
  GpuConstraints gpu;
  gpu.index = 0;
  gpu.name = "NVIDIA H100";
  gpu.power_limit_min_mw = 200000;
  gpu.power_limit_max_mw = 700000;
  gpu.power_limit_default_mw = 700000;
  gpu.graphics_clocks_mhz = {1980, 1500, 990};
  gpu.memory_clocks_mhz = {2619};
  return gpu;
}

TEST(ParseKnobValues, TakesNumbersUnitsAndDefaults) {
  auto limits = parse_knob_values("300, 400W,default", Knob::power_limit);
  ASSERT_TRUE(limits) << limits.error().message;
  ASSERT_EQ(limits->size(), 3U);
  EXPECT_EQ((*limits)[0].value, 300U);
  EXPECT_EQ((*limits)[1].value, 400U);
  EXPECT_FALSE((*limits)[2].value);
  auto clocks = parse_knob_values("1200,1500MHz,max", Knob::gpu_clock);
  ASSERT_TRUE(clocks);
  EXPECT_EQ((*clocks)[1].value, 1500U);
  EXPECT_FALSE((*clocks)[2].value);
  EXPECT_TRUE(parse_knob_values("", Knob::memory_clock)->empty());
}

TEST(ParseKnobValues, RefusesBadEntriesNamingTheFlag) {
  auto bad = parse_knob_values("300,lots", Knob::power_limit);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().message,
            "--power-limits: 'lots' is not a positive whole number of W or default");
  EXPECT_FALSE(parse_knob_values("max", Knob::power_limit));  // "max" is a clock word
  EXPECT_FALSE(parse_knob_values("0", Knob::gpu_clock));
  EXPECT_FALSE(parse_knob_values("1200,,1500", Knob::gpu_clock));
  auto twice = parse_knob_values("1200,1200", Knob::gpu_clock);
  ASSERT_FALSE(twice);
  EXPECT_EQ(twice.error().message, "--gpu-clocks: '1200' is given twice");
}

TEST(ParseMaxSlowdown, IsAPercentage) {
  EXPECT_DOUBLE_EQ(*parse_max_slowdown("10%"), 10.0);
  EXPECT_DOUBLE_EQ(*parse_max_slowdown("2.5"), 2.5);
  EXPECT_FALSE(parse_max_slowdown("150%"));
  EXPECT_FALSE(parse_max_slowdown("-1%"));
  EXPECT_FALSE(parse_max_slowdown("ten"));
}

TEST(Cross, PowerLimitsOutermostAndUnsweptKnobsLeftAlone) {
  const auto limits = *parse_knob_values("300,default", Knob::power_limit);
  const auto clocks = *parse_knob_values("1200,max", Knob::gpu_clock);
  const auto settings = cross(limits, clocks, {});
  ASSERT_EQ(settings.size(), 4U);
  EXPECT_EQ(settings[0].name(), "power-limit 300 W, gpu-clock 1200 MHz");
  EXPECT_EQ(settings[1].name(), "power-limit 300 W, gpu-clock max");
  EXPECT_EQ(settings[3].name(), "power-limit default, gpu-clock max");
  EXPECT_FALSE(settings[0].memory_clock);
  EXPECT_TRUE(settings[3].is_default());
  EXPECT_FALSE(settings[1].is_default());
  EXPECT_EQ(settings[1].labels(),
            (std::vector<std::string>{"power_limit_w=300", "gpu_clock_mhz=max"}));
}

TEST(CheckValues, RefusesOutOfRangeWithTheAllowedRange) {
  const GpuConstraints gpu = h100();
  EXPECT_FALSE(check_values(*parse_knob_values("200,700,default", Knob::power_limit), gpu));
  EXPECT_EQ(check_values(*parse_knob_values("400,800", Knob::power_limit), gpu),
            "--power-limits: 800 W is outside what GPU 0 (NVIDIA H100) allows, 200-700 W");
  EXPECT_EQ(check_values(*parse_knob_values("900", Knob::gpu_clock), gpu),
            "--gpu-clocks: 900 MHz is outside what GPU 0 (NVIDIA H100) allows, 990-1980 MHz");
  // A clock between two listed ones is within the range: the driver rounds it.
  EXPECT_FALSE(check_values(*parse_knob_values("1200,max", Knob::gpu_clock), gpu));
}

TEST(CheckValues, RefusesKnobsTheGpuCannotSet) {
  GpuConstraints gpu = h100();
  gpu.power_limit_unsupported = "Not Supported (NOT_SUPPORTED)";
  gpu.memory_clocks_mhz.clear();
  EXPECT_EQ(check_values(*parse_knob_values("default", Knob::power_limit), gpu),
            "--power-limits: GPU 0 (NVIDIA H100) cannot change its power limit: Not Supported "
            "(NOT_SUPPORTED)");
  EXPECT_EQ(check_values(*parse_knob_values("max", Knob::memory_clock), gpu),
            "--mem-clocks: GPU 0 (NVIDIA H100) cannot lock its memory clock: no supported "
            "clocks listed");
}

}  // namespace
}  // namespace joulebench::gpu_settings
