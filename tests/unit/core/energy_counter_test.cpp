#include "core/energy_counter.hpp"

#include <gtest/gtest.h>

namespace joulebench {
namespace {

TEST(CounterDelta, Table) {
  struct Case {
    const char* what;
    double previous_j;
    double current_j;
    std::optional<double> max_j;
    double expected_j;
    CounterStep expected_step;
  };
  const Case cases[] = {
      {"forward", 100.0, 112.5, std::nullopt, 12.5, CounterStep::normal},
      {"unchanged (counter not updated yet)", 100.0, 100.0, std::nullopt, 0.0, CounterStep::normal},
      {"forward with a range", 10.0, 20.0, 262143.328850, 10.0, CounterStep::normal},
      {"wrap past the RAPL range", 262140.0, 2.0, 262143.328850, 5.328850, CounterStep::wrapped},
      {"wrap exactly at max", 262143.328850, 1.0, 262143.328850, 1.0, CounterStep::wrapped},
      {"reset without a range (driver reload)", 5000.0, 3.0, std::nullopt, 0.0, CounterStep::reset},
      {"previous beyond the range is a reset", 300000.0, 3.0, 262143.328850, 0.0,
       CounterStep::reset},
      {"zero range is no range", 50.0, 10.0, 0.0, 0.0, CounterStep::reset},
      {"a negative reading is a reset, not a wrap", 100.0, -50.0, 262143.328850, 0.0,
       CounterStep::reset},
  };
  for (const auto& c : cases) {
    const CounterDelta delta = counter_delta(c.previous_j, c.current_j, c.max_j);
    EXPECT_NEAR(delta.delta_j, c.expected_j, 1e-9) << c.what;
    EXPECT_EQ(delta.step, c.expected_step) << c.what;
    EXPECT_GE(delta.delta_j, 0.0) << c.what;
  }
}

}  // namespace
}  // namespace joulebench
