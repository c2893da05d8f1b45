// The entry points both fake libraries export: enough to find GPUs and read their power.
// The minimal library exports only these, so that tests see symbols missing.
#include <type_traits>

#include "fake_export.hpp"
#include "fake_runtime.hpp"

namespace nvml = joulebench::nvml;
using joulebench::fake_nvml::copy_string;
using joulebench::fake_nvml::FakeDevice;
using joulebench::fake_nvml::Runtime;
using joulebench::fake_nvml::to_milli;

JB_FAKE_NVML_API int nvmlInit_v2() { return Runtime::instance().init(); }

JB_FAKE_NVML_API int nvmlShutdown() { return Runtime::instance().shutdown(); }

JB_FAKE_NVML_API int nvmlDeviceGetCount_v2(unsigned* count) {
  return Runtime::instance().device_count(count);
}

JB_FAKE_NVML_API int nvmlDeviceGetHandleByIndex_v2(unsigned index, nvml::Device* device) {
  return Runtime::instance().handle_by_index(index, device);
}

JB_FAKE_NVML_API int nvmlDeviceGetName(nvml::Device device, char* buffer, unsigned length) {
  return Runtime::instance().with_device(
      device, nvml::symbol::kDeviceGetName,
      [&](FakeDevice& fake, double) { return copy_string(fake.scenario().name, buffer, length); });
}

JB_FAKE_NVML_API int nvmlDeviceGetUUID(nvml::Device device, char* buffer, unsigned length) {
  return Runtime::instance().with_device(
      device, nvml::symbol::kDeviceGetUuid,
      [&](FakeDevice& fake, double) { return copy_string(fake.scenario().uuid, buffer, length); });
}

JB_FAKE_NVML_API int nvmlDeviceGetPowerUsage(nvml::Device device, unsigned* milliwatts) {
  return Runtime::instance().with_device(device, nvml::symbol::kDeviceGetPowerUsage,
                                         [&](FakeDevice& fake, double t_s) {
                                           if (milliwatts == nullptr) return nvml::kInvalidArgument;
                                           *milliwatts = to_milli(fake.power_usage_w(t_s));
                                           return nvml::kSuccess;
                                         });
}

// The exports must have exactly the types the sensor calls them through.
static_assert(std::is_same_v<decltype(nvmlInit_v2), nvml::InitFn>);
static_assert(std::is_same_v<decltype(nvmlShutdown), nvml::ShutdownFn>);
static_assert(std::is_same_v<decltype(nvmlDeviceGetCount_v2), nvml::DeviceGetCountFn>);
static_assert(
    std::is_same_v<decltype(nvmlDeviceGetHandleByIndex_v2), nvml::DeviceGetHandleByIndexFn>);
static_assert(std::is_same_v<decltype(nvmlDeviceGetName), nvml::DeviceGetStringFn>);
static_assert(std::is_same_v<decltype(nvmlDeviceGetUUID), nvml::DeviceGetStringFn>);
static_assert(std::is_same_v<decltype(nvmlDeviceGetPowerUsage), nvml::DeviceGetMilliwattsFn>);
