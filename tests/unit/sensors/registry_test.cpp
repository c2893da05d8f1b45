// open_sensors_problems: when opened sensors cannot measure a run, and the lines that say why
// (printed by the CLI after "error: ", raised as one exception by the Python bindings).
#include "sensors/registry.hpp"

#include <gtest/gtest.h>

#include "support/scripted_sensor.hpp"

namespace joulebench {
namespace {

std::unique_ptr<Sensor> one_device_sensor() {
  return std::make_unique<testing::ScriptedSensor>(
      std::vector<DeviceInfo>{testing::scripted_device("scripted:0", false)},
      [](std::size_t, TimeNs) { return Reading{}; });
}

TEST(OpenSensorsProblems, NoneWhenASensorOpenedAndNothingExplicitFailed) {
  OpenedSensors opened;
  opened.sensors.push_back(one_device_sensor());
  opened.unavailable.push_back({"rapl", "no zones"});  // tried through "auto": not a problem
  EXPECT_TRUE(open_sensors_problems(opened).empty());
}

TEST(OpenSensorsProblems, EveryReasonWhenNoSensorOpened) {
  OpenedSensors opened;
  opened.unavailable = {{"nvml", "library not found"}, {"rapl", "no zones"}};
  EXPECT_EQ(open_sensors_problems(opened),
            (std::vector<std::string>{"sensor nvml: library not found", "sensor rapl: no zones"}));
}

TEST(OpenSensorsProblems, AnExplicitSensorThatFailedIsAProblemEvenIfAnotherOpened) {
  OpenedSensors opened;
  opened.sensors.push_back(one_device_sensor());
  opened.unavailable = {{"nvml", "driver not loaded"}};
  opened.explicit_sensor_failed = true;
  EXPECT_EQ(open_sensors_problems(opened),
            (std::vector<std::string>{"sensor nvml: driver not loaded"}));
}

TEST(OpenSensorsProblems, NothingTriedAtAll) {
  EXPECT_EQ(open_sensors_problems(OpenedSensors{}), (std::vector<std::string>{"no sensor selected"}));
}

}  // namespace
}  // namespace joulebench
