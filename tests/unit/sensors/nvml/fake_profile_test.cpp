// The fake NVML's profile math, against integrals worked out by hand.
#include <gtest/gtest.h>

#include "load_power.hpp"
#include "profile.hpp"

namespace joulebench::fake_nvml {
namespace {

// 100 W -> 300 W over [0, 1], 300 W to 2 s, step to 500 W.
Profile ramp_then_step() { return Profile({{0, 100}, {1, 300}, {2, 300}, {2, 500}}); }

TEST(Profile, ValuesInterpolateAndHoldOutsideThePoints) {
  const Profile profile = ramp_then_step();
  EXPECT_DOUBLE_EQ(profile.at(-5.0), 100.0);
  EXPECT_DOUBLE_EQ(profile.at(0.0), 100.0);
  EXPECT_DOUBLE_EQ(profile.at(0.25), 150.0);
  EXPECT_DOUBLE_EQ(profile.at(1.0), 300.0);
  EXPECT_DOUBLE_EQ(profile.at(1.999), 300.0);
  EXPECT_DOUBLE_EQ(profile.at(2.0), 500.0);  // the later point of a step holds from its time
  EXPECT_DOUBLE_EQ(profile.at(100.0), 500.0);
}

TEST(Profile, IntegralIsExact) {
  const Profile profile = ramp_then_step();
  EXPECT_DOUBLE_EQ(profile.integral(0.0, 1.0), 200.0);
  EXPECT_DOUBLE_EQ(profile.integral(0.0, 0.5), 75.0);  // 100 * 0.5 + 100 * 0.25
  EXPECT_DOUBLE_EQ(profile.integral(0.5, 1.5), 275.0);
  EXPECT_DOUBLE_EQ(profile.integral(1.0, 2.0), 300.0);
  EXPECT_DOUBLE_EQ(profile.integral(0.0, 3.0), 1000.0);  // 200 + 300 + 500
  EXPECT_DOUBLE_EQ(profile.integral(-1.0, 0.0), 100.0);  // constant before the first point
  EXPECT_DOUBLE_EQ(profile.integral(1.5, 2.5), 400.0);   // across the step
  EXPECT_DOUBLE_EQ(profile.integral(0.7, 0.7), 0.0);
}

TEST(Profile, ConstantProfile) {
  const Profile constant(42.0);
  EXPECT_DOUBLE_EQ(constant.at(-1.0), 42.0);
  EXPECT_DOUBLE_EQ(constant.at(10.0), 42.0);
  EXPECT_DOUBLE_EQ(constant.integral(0.5, 2.5), 84.0);
}

TEST(Profile, ProfileStartingLater) {
  const Profile late({{2, 10}, {4, 30}});
  EXPECT_DOUBLE_EQ(late.at(0.0), 10.0);
  EXPECT_DOUBLE_EQ(late.integral(0.0, 2.0), 20.0);
  EXPECT_DOUBLE_EQ(late.integral(0.0, 4.0), 60.0);  // 20 + (10 + 30) / 2 * 2
}

TEST(LastTick, ToleratesDecimalRounding) {
  EXPECT_DOUBLE_EQ(last_tick_s(0.3, 0.1), 0.3);  // 0.3 / 0.1 = 2.9999999999999996
  EXPECT_DOUBLE_EQ(last_tick_s(0.29, 0.1), 0.2);
  EXPECT_DOUBLE_EQ(last_tick_s(0.0, 0.1), 0.0);
  EXPECT_DOUBLE_EQ(last_tick_s(1.26, 0.25), 1.25);
}

}  // namespace
}  // namespace joulebench::fake_nvml
