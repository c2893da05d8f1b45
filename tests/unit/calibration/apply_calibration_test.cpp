#include <gtest/gtest.h>

#include "calibration_fixture.hpp"
#include "core/calibration.hpp"

namespace joulebench {
namespace {

DeviceCalibration calibration_for(std::string uuid, std::string name, std::string id) {
  DeviceCalibration c = testing::sample_calibration();
  c.device_uuid = std::move(uuid);
  c.device_name = std::move(name);
  c.device_id = std::move(id);
  return c;
}

DeviceInfo device(std::string uuid, std::string name, std::string id) {
  DeviceInfo d;
  d.uuid = std::move(uuid);
  d.name = std::move(name);
  d.id = std::move(id);
  return d;
}

TEST(FindCalibration, UuidThenNameThenId) {
  const std::vector<DeviceCalibration> calibrations{calibration_for("GPU-a", "A100", "nvml:0"),
                                                    calibration_for("", "RTX 3090", "replay:0")};
  // A UUID on both sides decides, whatever the names say.
  EXPECT_EQ(find_calibration(calibrations, device("GPU-a", "other", "x")), &calibrations[0]);
  EXPECT_EQ(find_calibration(calibrations, device("GPU-b", "A100", "nvml:0")), nullptr);
  EXPECT_EQ(find_calibration(calibrations, device("GPU-c", "RTX 3090", "y")), &calibrations[1]);
  EXPECT_EQ(find_calibration(calibrations, device("", "", "replay:0")), &calibrations[1]);
}

TEST(CheckCalibrations, ACalibrationOfAnotherDeviceIsRefusedByName) {
  auto checked = check_calibrations_match({calibration_for("GPU-a", "A100", "nvml:0")},
                                          {device("GPU-b", "H100", "nvml:0")});
  ASSERT_FALSE(checked);
  EXPECT_NE(checked.error().message.find("for 'A100' (GPU-a), which is not measured here "
                                         "(measured: 'H100' (GPU-b))"),
            std::string::npos)
      << checked.error().message;
}

TEST(ApplyCalibration, GainOffsetAndAnIntervalThatGrowsWithTheWindow) {
  const auto c = calibration_for("GPU-a", "A100", "nvml:0");
  const auto short_window = apply_calibration(c, 2000.0, 10.0);
  EXPECT_DOUBLE_EQ(short_window.energy_j, 1.05 * 2000.0 + 2.0 * 10.0);
  EXPECT_LT(short_window.energy_ci95_low_j, short_window.energy_j);
  EXPECT_GT(short_window.energy_ci95_high_j, short_window.energy_j);
  EXPECT_TRUE(short_window.notes.empty());
  const auto long_window = apply_calibration(c, 20000.0, 100.0);
  EXPECT_GT(long_window.energy_ci95_high_j - long_window.energy_ci95_low_j,
            short_window.energy_ci95_high_j - short_window.energy_ci95_low_j);
  // 50 W average: below the fitted 100-400 W.
  const auto outside = apply_calibration(c, 500.0, 10.0);
  ASSERT_EQ(outside.notes.size(), 1u);
  EXPECT_NE(outside.notes[0].find("outside the calibrated range"), std::string::npos);
}

TEST(CalibrateMeasurement, KeepsTheRawFigureAndSumsAgain) {
  Measurement m;
  m.duration_s = 10.0;
  DeviceMeasurement a, b;
  a.device = device("GPU-a", "A100", "nvml:0");
  a.energy_j = a.raw_energy_j = 2000.0;
  b.device = device("GPU-b", "A100", "nvml:1");
  b.energy_j = b.raw_energy_j = 1000.0;
  m.devices = {a, b};
  m.energy_j = 3000.0;
  calibrate_measurement(m, {calibration_for("GPU-a", "A100", "nvml:0")});
  ASSERT_TRUE(m.devices[0].calibration);
  EXPECT_DOUBLE_EQ(*m.devices[0].energy_j, 2120.0);
  EXPECT_DOUBLE_EQ(*m.devices[0].raw_energy_j, 2000.0);
  EXPECT_FALSE(m.devices[1].calibration);
  EXPECT_DOUBLE_EQ(*m.energy_j, 3120.0);
  EXPECT_DOUBLE_EQ(*m.avg_power_w, 312.0);
}

}  // namespace
}  // namespace joulebench
