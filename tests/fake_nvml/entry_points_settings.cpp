// The settable state of power-limit and clock sweeps: limits within the scenario's
// constraints, locked clocks among the supported ones, resets. A scenario's `failures` makes
// any of them refuse (NO_PERMISSION without root, NOT_SUPPORTED on GPUs without the feature).
#include <algorithm>
#include <type_traits>

#include "fake_export.hpp"
#include "fake_runtime.hpp"

namespace nvml = joulebench::nvml;
using joulebench::fake_nvml::ClockRange;
using joulebench::fake_nvml::DeviceSettings;
using joulebench::fake_nvml::FakeDevice;
using joulebench::fake_nvml::Runtime;
using joulebench::fake_nvml::to_milli;

namespace {

template <class Compute>
int read_value(nvml::Device device, const char* function, unsigned* out, Compute compute) {
  return Runtime::instance().with_device(device, function, [&](FakeDevice& fake, double) {
    if (out == nullptr) return nvml::kInvalidArgument;
    *out = compute(fake);
    return nvml::kSuccess;
  });
}

// NVML's list convention: `count` in is the room, out the number of clocks.
int list_clocks(const std::vector<unsigned>& clocks, unsigned* count, unsigned* mhz) {
  if (count == nullptr) return nvml::kInvalidArgument;
  const unsigned room = *count;
  *count = static_cast<unsigned>(clocks.size());
  if (room < clocks.size() || mhz == nullptr) return nvml::kInsufficientSize;
  std::copy(clocks.begin(), clocks.end(), mhz);
  return nvml::kSuccess;
}

bool supported(const std::vector<unsigned>& clocks, unsigned mhz) {
  return std::find(clocks.begin(), clocks.end(), mhz) != clocks.end();
}

// A locked range must be ordered and within the supported clocks' span.
int lock(nvml::Device device, const char* function, unsigned min_mhz, unsigned max_mhz,
         bool graphics) {
  return Runtime::instance().change_settings(
      device, function, [&](FakeDevice& fake, DeviceSettings& settings) {
        const auto& clocks =
            graphics ? fake.scenario().graphics_clocks_mhz : fake.scenario().memory_clocks_mhz;
        if (min_mhz > max_mhz || min_mhz < clocks.back() || max_mhz > clocks.front())
          return nvml::kInvalidArgument;
        (graphics ? settings.gpu_locked : settings.memory_locked) = ClockRange{min_mhz, max_mhz};
        return nvml::kSuccess;
      });
}

int reset(nvml::Device device, const char* function, bool graphics) {
  return Runtime::instance().change_settings(device, function,
                                             [&](FakeDevice&, DeviceSettings& settings) {
                                               if (graphics) {
                                                 settings.gpu_locked.reset();
                                               } else {
                                                 settings.memory_locked.reset();
                                               }
                                               return nvml::kSuccess;
                                             });
}

}  // namespace

JB_FAKE_NVML_API int nvmlDeviceGetPowerManagementLimit(nvml::Device device, unsigned* mw) {
  return read_value(device, nvml::symbol::kDeviceGetPowerManagementLimit, mw,
                    [](FakeDevice& fake) { return to_milli(fake.enforced_limit_w()); });
}

JB_FAKE_NVML_API int nvmlDeviceGetPowerManagementDefaultLimit(nvml::Device device, unsigned* mw) {
  return read_value(
      device, nvml::symbol::kDeviceGetPowerManagementDefaultLimit, mw,
      [](FakeDevice& fake) { return to_milli(fake.scenario().power_limit_default_w); });
}

JB_FAKE_NVML_API int nvmlDeviceGetPowerManagementLimitConstraints(nvml::Device device,
                                                                  unsigned* min_mw,
                                                                  unsigned* max_mw) {
  return Runtime::instance().with_device(device,
                                         nvml::symbol::kDeviceGetPowerManagementLimitConstraints,
                                         [&](FakeDevice& fake, double) {
                                           if (min_mw == nullptr || max_mw == nullptr)
                                             return nvml::kInvalidArgument;
                                           *min_mw = to_milli(fake.scenario().power_limit_min_w);
                                           *max_mw = to_milli(fake.scenario().power_limit_max_w);
                                           return nvml::kSuccess;
                                         });
}

JB_FAKE_NVML_API int nvmlDeviceSetPowerManagementLimit(nvml::Device device, unsigned mw) {
  return Runtime::instance().change_settings(
      device, nvml::symbol::kDeviceSetPowerManagementLimit,
      [&](FakeDevice& fake, DeviceSettings& settings) {
        const auto& scenario = fake.scenario();
        if (mw < to_milli(scenario.power_limit_min_w) || mw > to_milli(scenario.power_limit_max_w))
          return nvml::kInvalidArgument;
        // The default limit is what a GPU with nothing set reports.
        if (mw == to_milli(scenario.power_limit_default_w)) {
          settings.power_limit_mw.reset();
        } else {
          settings.power_limit_mw = mw;
        }
        return nvml::kSuccess;
      });
}

JB_FAKE_NVML_API int nvmlDeviceSetGpuLockedClocks(nvml::Device device, unsigned min_mhz,
                                                  unsigned max_mhz) {
  return lock(device, nvml::symbol::kDeviceSetGpuLockedClocks, min_mhz, max_mhz, true);
}

JB_FAKE_NVML_API int nvmlDeviceResetGpuLockedClocks(nvml::Device device) {
  return reset(device, nvml::symbol::kDeviceResetGpuLockedClocks, true);
}

JB_FAKE_NVML_API int nvmlDeviceSetMemoryLockedClocks(nvml::Device device, unsigned min_mhz,
                                                     unsigned max_mhz) {
  return lock(device, nvml::symbol::kDeviceSetMemoryLockedClocks, min_mhz, max_mhz, false);
}

JB_FAKE_NVML_API int nvmlDeviceResetMemoryLockedClocks(nvml::Device device) {
  return reset(device, nvml::symbol::kDeviceResetMemoryLockedClocks, false);
}

JB_FAKE_NVML_API int nvmlDeviceGetSupportedMemoryClocks(nvml::Device device, unsigned* count,
                                                        unsigned* mhz) {
  return Runtime::instance().with_device(
      device, nvml::symbol::kDeviceGetSupportedMemoryClocks, [&](FakeDevice& fake, double) {
        return list_clocks(fake.scenario().memory_clocks_mhz, count, mhz);
      });
}

JB_FAKE_NVML_API int nvmlDeviceGetSupportedGraphicsClocks(nvml::Device device, unsigned memory_mhz,
                                                          unsigned* count, unsigned* mhz) {
  return Runtime::instance().with_device(
      device, nvml::symbol::kDeviceGetSupportedGraphicsClocks, [&](FakeDevice& fake, double) {
        if (!supported(fake.scenario().memory_clocks_mhz, memory_mhz))
          return nvml::kInvalidArgument;
        return list_clocks(fake.scenario().graphics_clocks_mhz, count, mhz);
      });
}

static_assert(
    std::is_same_v<decltype(nvmlDeviceGetPowerManagementLimit), nvml::DeviceGetMilliwattsFn>);
static_assert(
    std::is_same_v<decltype(nvmlDeviceSetPowerManagementLimit), nvml::DeviceSetMilliwattsFn>);
static_assert(std::is_same_v<decltype(nvmlDeviceGetPowerManagementLimitConstraints),
                             nvml::DeviceGetLimitConstraintsFn>);
static_assert(
    std::is_same_v<decltype(nvmlDeviceSetGpuLockedClocks), nvml::DeviceSetLockedClocksFn>);
static_assert(std::is_same_v<decltype(nvmlDeviceResetGpuLockedClocks), nvml::DeviceResetFn>);
static_assert(std::is_same_v<decltype(nvmlDeviceGetSupportedMemoryClocks),
                             nvml::DeviceGetSupportedMemoryClocksFn>);
static_assert(std::is_same_v<decltype(nvmlDeviceGetSupportedGraphicsClocks),
                             nvml::DeviceGetSupportedGraphicsClocksFn>);
