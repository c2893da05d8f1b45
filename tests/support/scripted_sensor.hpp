// A Sensor whose readings come from a function of time, for tests of the sampler and of
// anything above it. Counts its reads. Used from the sampler thread only, like every Sensor.
#pragma once

#include <atomic>
#include <functional>
#include <string>
#include <vector>

#include "joulebench/sensor.hpp"

namespace joulebench::testing {

class ScriptedSensor final : public Sensor {
 public:
  using Script = std::function<Reading(std::size_t device, TimeNs now_ns)>;

  ScriptedSensor(std::vector<DeviceInfo> devices, Script script)
      : devices_(std::move(devices)), script_(std::move(script)) {}

  std::string name() const override { return "scripted"; }
  const std::vector<DeviceInfo>& devices() const override { return devices_; }
  Reading read(std::size_t index, TimeNs now_ns) override {
    ++reads_;
    Reading reading = script_(index, now_ns);
    reading.sample.time_ns = now_ns;
    return reading;
  }

  std::size_t reads() const { return reads_.load(); }

 private:
  std::vector<DeviceInfo> devices_;
  Script script_;
  std::atomic<std::size_t> reads_{0};
};

// A device with power (instantaneous) and optionally an energy counter.
inline DeviceInfo scripted_device(std::string id, bool counter, std::optional<double> counter_period_s = 0.1) {
  DeviceInfo device;
  device.id = std::move(id);
  device.sensor = "scripted";
  device.name = "Scripted GPU";
  device.vendor = "test";
  device.power_kind = PowerKind::instantaneous;
  device.capabilities[Metric::power] = {true, ""};
  device.capabilities[Metric::energy_counter] = {counter, counter ? "" : "no counter in this test"};
  if (counter) device.counter_update_period_s = counter_period_s;
  return device;
}

inline Reading power_reading(double power_w, std::optional<double> counter_j = std::nullopt) {
  Reading reading;
  reading.sample.power_w = power_w;
  reading.sample.energy_counter_j = counter_j;
  return reading;
}

}  // namespace joulebench::testing
