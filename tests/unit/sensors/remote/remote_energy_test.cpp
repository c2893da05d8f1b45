#include "sensors/remote/remote_energy.hpp"

#include <gtest/gtest.h>

namespace joulebench::remote {
namespace {

Measurement two_devices() {
  Measurement m;
  m.duration_s = 10.0;
  DeviceMeasurement local;
  local.device.id = "nvml:0";
  local.energy_j = 1000.0;
  local.method = EnergyMethod::counter;
  DeviceMeasurement remote;
  remote.device.id = "remote:n1/0";
  remote.device.remote =
      RemoteOrigin{"http://n1:9400/metrics", "joulebench", "n1", 0.0, "", 1.0, ""};
  remote.energy_j = 123.0;  // the live reads' figure, replaced
  remote.method_disagreement = 0.5;
  m.devices = {local, remote};
  return m;
}

TEST(RemoteEnergy, SettledDevicesReplaceTheLiveFiguresAndSumIntoTheTotal) {
  Measurement m = two_devices();
  WindowEnergy window;
  window.energy_j = 2000.0;
  window.readings_inside = 9;
  settle_remote_device(m, 1, window, false);
  recompute_total(m);
  EXPECT_DOUBLE_EQ(*m.devices[1].energy_j, 2000.0);
  EXPECT_DOUBLE_EQ(*m.devices[1].counter_energy_j, 2000.0);
  EXPECT_FALSE(m.devices[1].method_disagreement);
  EXPECT_DOUBLE_EQ(*m.devices[1].avg_power_w, 200.0);
  EXPECT_NE(m.devices[1].energy_reason.find("http://n1:9400/metrics"), std::string::npos);
  EXPECT_DOUBLE_EQ(*m.energy_j, 3000.0);
  EXPECT_DOUBLE_EQ(*m.avg_power_w, 300.0);
}

TEST(RemoteEnergy, AHostThatStoppedAnsweringLeavesTheTotalUnknownNotSmaller) {
  Measurement m = two_devices();
  WindowEnergy window;
  window.reason = "http://n1:9400/metrics stopped answering";
  settle_remote_device(m, 1, window, false);
  recompute_total(m);
  EXPECT_FALSE(m.devices[1].energy_j);
  EXPECT_EQ(m.devices[1].method, EnergyMethod::none);
  EXPECT_EQ(m.devices[1].energy_reason, window.reason);
  EXPECT_FALSE(m.energy_j);
  ASSERT_FALSE(m.warnings.empty());
  EXPECT_NE(m.warnings.back().find("not smaller"), std::string::npos);
}

}  // namespace
}  // namespace joulebench::remote
