#include <gtest/gtest.h>

#include <cmath>

#include "calibration/alignment.hpp"
#include "calibration/calibration_fit.hpp"
#include "core/splitmix64.hpp"

namespace joulebench::calibration {
namespace {

// A load stepping between levels every few seconds, as the meter sees it (1 kHz).
double true_power_w(double t_s) {
  const int step = static_cast<int>(t_s / 2.3);
  static const double levels_w[] = {120, 300, 180, 420, 90, 350, 240};
  return levels_w[step % 7];
}

PowerSeries meter_series(double from_s, double to_s) {
  PowerSeries out;
  for (double t = from_s; t < to_s; t += 0.001) {
    out.time_s.push_back(t);
    out.power_w.push_back(true_power_w(t));
  }
  return out;
}

// The sensor: reads low by a gain and an offset, `delay_s` late, every 20 ms, with noise.
PowerSeries sensor_series(double from_s, double to_s, double gain, double offset_w, double delay_s,
                          double noise_w) {
  PowerSeries out;
  std::uint64_t random = 7;
  for (double t = from_s; t < to_s; t += 0.020) {
    const double noise = (splitmix64_unit(random) - 0.5) * 2.0 * noise_w;
    out.time_s.push_back(t);
    out.power_w.push_back((true_power_w(t - delay_s) - offset_w) / gain + noise);
  }
  return out;
}

TEST(Alignment, FindsTheSensorsShift) {
  const auto meter = meter_series(1000.0, 1030.0);
  const auto sensor = sensor_series(1000.0, 1030.0, 1.0, 0.0, 0.37, 2.0);
  auto alignment = align_recordings(meter, sensor, AlignmentOptions{});
  ASSERT_TRUE(alignment) << alignment.error().message;
  EXPECT_NEAR(alignment->shift_s, 0.37, 0.021);
  EXPECT_GT(alignment->correlation, 0.9);
}

TEST(Alignment, RecordingsThatBarelyOverlapAreRefused) {
  const auto meter = meter_series(1000.0, 1030.0);
  const auto sensor = sensor_series(1025.0, 1060.0, 1.0, 0.0, 0.0, 0.0);
  auto alignment = align_recordings(meter, sensor, AlignmentOptions{});
  ASSERT_FALSE(alignment);
  EXPECT_NE(alignment.error().message.find("overlap for 5.0 s"), std::string::npos)
      << alignment.error().message;
}

TEST(Fit, RecoversGainAndOffsetWithHonestErrors) {
  const auto meter = meter_series(1000.0, 1040.0);
  const auto sensor = sensor_series(1000.0, 1040.0, 1.06, 4.0, 0.1, 3.0);
  auto fit = fit_calibration(meter, sensor, 0.1, FitOptions{});
  ASSERT_TRUE(fit) << fit.error().message;
  EXPECT_NEAR(fit->gain, 1.06, 4 * fit->gain_stderr + 1e-3);
  EXPECT_NEAR(fit->offset_w, 4.0, 4 * fit->offset_stderr_w + 0.5);
  EXPECT_GT(fit->r_squared, 0.99);
  // 39.88 s both cover (the sensor read 0.1 s late ends 0.1 s early): 79 whole blocks.
  EXPECT_EQ(fit->blocks, 79u);
  EXPECT_LT(fit->fit_min_power_w, 100.0);
  EXPECT_GT(fit->fit_max_power_w, 390.0);
}

TEST(Fit, ANarrowPowerRangeFitsTheGainAlone) {
  PowerSeries meter, sensor;
  for (double t = 0.0; t < 20.0; t += 0.01) {
    const double p = 300.0 + 2.0 * std::sin(t);
    meter.time_s.push_back(t);
    meter.power_w.push_back(p);
    sensor.time_s.push_back(t);
    sensor.power_w.push_back(p / 1.05);
  }
  auto fit = fit_calibration(meter, sensor, 0.0, FitOptions{});
  ASSERT_TRUE(fit) << fit.error().message;
  EXPECT_NEAR(fit->gain, 1.05, 1e-4);
  EXPECT_EQ(fit->offset_w, 0.0);
  EXPECT_EQ(fit->offset_stderr_w, 0.0);
}

TEST(Fit, ASensorThatDoesNotFollowTheLoadIsRefused) {
  // The sensor's block means are unrelated to the meter's (what aliasing does to a 100 ms
  // load on a part-time sensor).
  const auto meter = meter_series(1000.0, 1030.0);
  PowerSeries sensor;
  std::uint64_t random = 11;
  for (double t = 1000.0; t < 1030.0; t += 0.5) {
    sensor.time_s.push_back(t);
    sensor.power_w.push_back(100.0 + 300.0 * splitmix64_unit(random));
  }
  auto fit = fit_calibration(meter, sensor, 0.0, FitOptions{});
  ASSERT_FALSE(fit);
  EXPECT_NE(fit.error().message.find("does not follow this load"), std::string::npos)
      << fit.error().message;
}

}  // namespace
}  // namespace joulebench::calibration
