// Checks shared by the fuzz targets: sinks that verify the TraceSink contract while a parser
// runs and abort (a finding for libFuzzer) when it is broken.
#pragma once

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <vector>

#include "core/plausibility.hpp"
#include "sensors/replay/trace.hpp"

namespace joulebench::fuzz {

inline void require(bool condition, const char* what) {
  if (condition) return;
  std::fprintf(stderr, "fuzz check failed: %s\n", what);
  std::abort();
}

inline bool finite_or_missing(const std::optional<double>& value) {
  return !value || std::isfinite(*value);
}

class ContractCheckingSink : public TraceSink {
 public:
  void on_devices(const std::vector<DeviceInfo>& devices) override {
    require(device_calls_ == 0, "on_devices called twice");
    require(samples_ == 0 && losses_ == 0, "on_devices after a sample");
    ++device_calls_;
    last_time_.assign(devices.size(), std::nullopt);
  }

  void on_sample(std::size_t device, const Sample& sample) override {
    check_event(device, sample.time_ns);
    require(finite_or_missing(sample.power_w) && finite_or_missing(sample.energy_counter_j) &&
                finite_or_missing(sample.temperature_c) &&
                finite_or_missing(sample.gpu_utilization_pct) &&
                finite_or_missing(sample.sm_clock_mhz),
            "a non-finite value reached the sink");
    require(
        !sample.power_w || (*sample.power_w >= 0.0 && *sample.power_w <= kMaxPlausibleDevicePowerW),
        "an implausible power reading reached the sink");
    require(!sample.energy_counter_j || *sample.energy_counter_j >= 0.0,
            "a negative energy counter reached the sink");
    ++samples_;
    min_time_ = samples_ == 1 ? sample.time_ns : std::min(min_time_, sample.time_ns);
    max_time_ = samples_ == 1 ? sample.time_ns : std::max(max_time_, sample.time_ns);
  }

  void on_lost(std::size_t device, TimeNs time_ns) override {
    check_event(device, time_ns);
    ++losses_;
  }

  void check_finished(const Expected<TraceSummary>& summary) const {
    if (!summary) {
      require(!summary.error().message.empty(), "an error without a message");
      require(summary.error().file == "fuzz.csv", "an error without the file name");
      return;
    }
    require(device_calls_ == 1, "a successful parse did not call on_devices once");
    require(summary->rows == samples_, "summary.rows differs from the samples delivered");
    if (samples_ > 0) {
      require(summary->first_time_ns <= min_time_ && summary->last_time_ns >= max_time_,
              "a sample lies outside the summary's time range");
    }
  }

 private:
  void check_event(std::size_t device, TimeNs time_ns) {
    require(device_calls_ == 1, "a sample before on_devices");
    require(device < last_time_.size(), "device index out of range");
    require(!last_time_[device] || *last_time_[device] <= time_ns, "a device went back in time");
    last_time_[device] = time_ns;
  }

  int device_calls_ = 0;
  std::size_t samples_ = 0;
  std::size_t losses_ = 0;
  std::vector<std::optional<TimeNs>> last_time_;
  TimeNs min_time_ = 0;
  TimeNs max_time_ = 0;
};

// Also keeps everything, in order, for the round-trip check.
class RecordingSink : public ContractCheckingSink {
 public:
  struct Event {
    std::size_t device = 0;
    bool lost = false;
    Sample sample;  // for a loss only time_ns is set
  };

  void on_devices(const std::vector<DeviceInfo>& d) override {
    ContractCheckingSink::on_devices(d);
    devices = d;
  }
  void on_sample(std::size_t device, const Sample& sample) override {
    ContractCheckingSink::on_sample(device, sample);
    events.push_back({device, false, sample});
  }
  void on_lost(std::size_t device, TimeNs time_ns) override {
    ContractCheckingSink::on_lost(device, time_ns);
    Sample at;
    at.time_ns = time_ns;
    events.push_back({device, true, at});
  }

  std::vector<DeviceInfo> devices;
  std::vector<Event> events;
};

inline bool same_capabilities(const DeviceInfo& a, const DeviceInfo& b) {
  if (a.capabilities.size() != b.capabilities.size()) return false;
  for (const auto& [metric, capability] : a.capabilities) {
    auto it = b.capabilities.find(metric);
    if (it == b.capabilities.end() || it->second.supported != capability.supported ||
        it->second.reason != capability.reason) {
      return false;
    }
  }
  return true;
}

inline bool same_device(const DeviceInfo& a, const DeviceInfo& b) {
  return a.id == b.id && a.sensor == b.sensor && a.name == b.name && a.uuid == b.uuid &&
         a.vendor == b.vendor && a.driver_version == b.driver_version &&
         a.power_limit_w == b.power_limit_w && a.power_kind == b.power_kind &&
         a.counter_update_period_s == b.counter_update_period_s &&
         a.counter_max_j == b.counter_max_j && same_capabilities(a, b);
}

inline bool same_event(const RecordingSink::Event& a, const RecordingSink::Event& b) {
  const Sample& x = a.sample;
  const Sample& y = b.sample;
  return a.device == b.device && a.lost == b.lost && x.time_ns == y.time_ns &&
         x.power_w == y.power_w && x.energy_counter_j == y.energy_counter_j &&
         x.temperature_c == y.temperature_c && x.gpu_utilization_pct == y.gpu_utilization_pct &&
         x.sm_clock_mhz == y.sm_clock_mhz && x.memory_used_bytes == y.memory_used_bytes &&
         x.throttle_mask == y.throttle_mask;
}

}  // namespace joulebench::fuzz
