// The fake NVML's global state behind the C entry points: the init reference count, the
// scenario loaded at the first nvmlInit_v2, the simulated devices and the fake clock.
// Thread-safety: every public method locks one mutex, so the entry points may be called
// from any thread, as NVML's may.
#pragma once

#include <chrono>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fake_device.hpp"
#include "sensors/nvml/nvml_api.hpp"

namespace joulebench::fake_nvml {

// Fake time in seconds: 0 at nvmlInit_v2 on the steady clock, or the number in the time
// file ($JOULEBENCH_FAKE_NVML_TIME_FILE) when one is named; an unreadable file keeps the
// last time read (0 at first).
class FakeClock {
 public:
  void start(std::optional<std::string> time_file);
  double now_s();
  // CLOCK_MONOTONIC (steady clock) seconds at fake time 0.
  double epoch_monotonic_s() const {
    return std::chrono::duration<double>(start_.time_since_epoch()).count();
  }

 private:
  std::chrono::steady_clock::time_point start_{};
  std::optional<std::string> time_file_;
  double last_file_time_s_ = 0.0;
};

class Runtime {
 public:
  static Runtime& instance();

  nvml::Return init();
  nvml::Return shutdown();
  nvml::Return device_count(unsigned* count);
  nvml::Return handle_by_index(unsigned index, nvml::Device* device);
  nvml::Return driver_version(char* buffer, unsigned length);
  const char* error_string(nvml::Return code);

  // Runs `body(FakeDevice&, DeviceSettings&)` like with_device; on SUCCESS the changed
  // settings take effect now and are saved to $JOULEBENCH_FAKE_NVML_STATE_FILE.
  template <class Body>
  nvml::Return change_settings(nvml::Device handle, std::string_view function, Body&& body) {
    return with_device(handle, function, [&](FakeDevice& device, double t_s) {
      DeviceSettings settings = device.settings();
      const nvml::Return status = body(device, settings);
      if (status != nvml::kSuccess) return status;
      device.apply(settings, t_s);
      save_state();
      return nvml::kSuccess;
    });
  }

  // Runs `body(FakeDevice&, t_s)` for a valid handle after the checks every device call
  // shares: initialised, handle valid, load observed, lost or failing at this time.
  template <class Body>
  nvml::Return with_device(nvml::Device handle, std::string_view function, Body&& body) {
    try {
      std::lock_guard lock(mutex_);
      if (init_count_ == 0) return nvml::kUninitialized;
      FakeDevice* device = find(handle);
      if (device == nullptr) return nvml::kInvalidArgument;
      const double t_s = clock_.now_s();
      device->observe(t_s);
      const nvml::Return status = device->status(function, t_s);
      if (status != nvml::kSuccess) return status;
      return body(*device, t_s);
    } catch (...) {
      return nvml::kUnknown;  // nothing may unwind into a C caller
    }
  }

 private:
  FakeDevice* find(nvml::Device handle);
  // The state file's settings applied to the devices with the same UUID (at nvmlInit_v2).
  void load_state(double t_s);
  void save_state() const;  // merged with the entries of UUIDs this scenario lacks

  std::optional<std::string> state_file_;

  std::mutex mutex_;
  int init_count_ = 0;
  std::string driver_version_;
  std::vector<FakeDevice> devices_;
  FakeClock clock_;
  std::string scenario_error_;  // why the last nvmlInit_v2 returned UNKNOWN
};

// Copies `text` with its terminator: INSUFFICIENT_SIZE when `length` is too small.
nvml::Return copy_string(const std::string& text, char* buffer, unsigned length);

// W -> mW (or J -> mJ), rounded to the nearest unit, never below 0.
unsigned to_milli(double value);

}  // namespace joulebench::fake_nvml
