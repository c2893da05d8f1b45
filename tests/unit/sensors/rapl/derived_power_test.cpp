#include "sensors/rapl/derived_power.hpp"

#include <gtest/gtest.h>

namespace joulebench::rapl {
namespace {

constexpr TimeNs kSecond = 1'000'000'000;

TEST(DerivedPower, FirstReadingHasNoPower) {
  DerivedPower power;
  EXPECT_FALSE(power.update(5'000'000, 0));
}

TEST(DerivedPower, IsEnergyDeltaOverTimeDelta) {
  DerivedPower power;
  power.update(1'000'000, 0);
  EXPECT_EQ(power.update(3'000'000, kSecond), 2.0);                // 2 J in 1 s
  EXPECT_EQ(power.update(3'500'000, kSecond + kSecond / 4), 2.0);  // 0.5 J in 0.25 s
  EXPECT_EQ(power.update(3'500'000, 2 * kSecond), 0.0);            // idle is a real 0 W
}

TEST(DerivedPower, ShortIntervalsKeepTheOlderBase) {
  DerivedPower power;
  power.update(0, 0);
  EXPECT_FALSE(power.update(61, 1'000'000));  // one counter step 1 ms later: no spike
  EXPECT_FALSE(power.update(61, DerivedPower::kMinIntervalNs - 1));
  // Measured from t = 0, not from the skipped reads: 1 000 µJ over exactly 20 ms.
  EXPECT_DOUBLE_EQ(*power.update(1'000, DerivedPower::kMinIntervalNs), 0.05);
}

TEST(DerivedPower, CounterGoingBackwardsRestartsFromTheNewValue) {
  DerivedPower power;
  power.update(262'143'000'000, 0);
  EXPECT_FALSE(power.update(1'000'000, kSecond));  // wrapped: the accountant unwraps
  EXPECT_EQ(power.update(4'000'000, 2 * kSecond), 3.0);
}

TEST(DerivedPower, ClockGoingBackwardsGivesNoPower) {
  DerivedPower power;
  power.update(0, 5 * kSecond);
  EXPECT_FALSE(power.update(1'000'000, 4 * kSecond));
  EXPECT_EQ(power.update(2'000'000, 6 * kSecond), 2.0);
}

}  // namespace
}  // namespace joulebench::rapl
