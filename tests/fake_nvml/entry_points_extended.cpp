// The rest of the NVML subset: energy, field values, limits, temperature, utilisation,
// clocks, memory, throttle reasons, architecture, error strings. Only the full fake
// library exports these.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <type_traits>

#include "fake_export.hpp"
#include "fake_runtime.hpp"

namespace nvml = joulebench::nvml;
using joulebench::fake_nvml::FakeDevice;
using joulebench::fake_nvml::Runtime;
using joulebench::fake_nvml::to_milli;

namespace {

unsigned rounded(double value) {
  return value <= 0.0 ? 0U : static_cast<unsigned>(std::llround(value));
}

long long now_since_epoch_us() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

void set_uint(nvml::FieldValue& value, unsigned number) {
  value.value_type = nvml::kValueTypeUnsignedInt;
  value.value.ui = number;
}

// Fills one requested field; fields the fake does not model are NOT_SUPPORTED, as are
// power fields at a scope other than the GPU's.
void fill_field(const FakeDevice& fake, double t_s, nvml::FieldValue& value) {
  const auto& scenario = fake.scenario();
  const bool gpu_scope = value.scope_id == nvml::kScopeGpu;
  value.timestamp_us = now_since_epoch_us();
  value.latency_us = 0;
  value.nvml_return = nvml::kSuccess;
  const auto average_w = fake.average_power_w(t_s);
  switch (value.field_id) {
    case nvml::kFieldTotalEnergyConsumption:
      if (!scenario.energy_counter) break;
      value.value_type = nvml::kValueTypeUnsignedLongLong;
      value.value.ull = fake.energy_mj(t_s);
      return;
    case nvml::kFieldPowerInstant:
      if (!scenario.power_instant_field || !gpu_scope) break;
      set_uint(value, to_milli(fake.power_w(t_s)));
      return;
    case nvml::kFieldPowerAverage:
      if (!average_w || !gpu_scope) break;
      set_uint(value, to_milli(*average_w));
      return;
    case nvml::kFieldPowerCurrentLimit:
      set_uint(value, to_milli(fake.enforced_limit_w()));
      return;
    default:
      break;
  }
  value.nvml_return = nvml::kNotSupported;
}

template <class Out, class Compute>
int report(nvml::Device device, const char* function, Out* out, Compute compute) {
  return Runtime::instance().with_device(device, function, [&](FakeDevice& fake, double t_s) {
    if (out == nullptr) return nvml::kInvalidArgument;
    return compute(fake, t_s, *out);
  });
}

int clocks_reasons(nvml::Device device, const char* function, unsigned long long* mask) {
  return report(device, function, mask, [](FakeDevice& fake, double t_s, unsigned long long& out) {
    out = fake.throttle_mask(t_s);
    return nvml::kSuccess;
  });
}

}  // namespace

JB_FAKE_NVML_API const char* nvmlErrorString(int code) {
  return Runtime::instance().error_string(code);
}

JB_FAKE_NVML_API int nvmlSystemGetDriverVersion(char* buffer, unsigned length) {
  return Runtime::instance().driver_version(buffer, length);
}

JB_FAKE_NVML_API int nvmlDeviceGetTotalEnergyConsumption(nvml::Device device,
                                                         unsigned long long* millijoules) {
  return report(device, nvml::symbol::kDeviceGetTotalEnergyConsumption, millijoules,
                [](FakeDevice& fake, double t_s, unsigned long long& out) {
                  if (!fake.scenario().energy_counter) return nvml::kNotSupported;
                  out = fake.energy_mj(t_s);
                  return nvml::kSuccess;
                });
}

JB_FAKE_NVML_API int nvmlDeviceGetFieldValues(nvml::Device device, int count,
                                              nvml::FieldValue* values) {
  return Runtime::instance().with_device(device, nvml::symbol::kDeviceGetFieldValues,
                                         [&](FakeDevice& fake, double t_s) {
                                           if (count <= 0 || values == nullptr)
                                             return nvml::kInvalidArgument;
                                           for (int i = 0; i < count; ++i)
                                             fill_field(fake, t_s, values[i]);
                                           return nvml::kSuccess;
                                         });
}

JB_FAKE_NVML_API int nvmlDeviceGetComputeRunningProcesses_v3(nvml::Device device, unsigned* count,
                                                             nvml::ProcessInfo* infos) {
  return Runtime::instance().with_device(
      device, nvml::symbol::kDeviceGetComputeRunningProcesses, [&](FakeDevice& fake, double) {
        if (count == nullptr) return nvml::kInvalidArgument;
        const auto& pids = fake.scenario().compute_pids;
        const unsigned room = *count;
        *count = static_cast<unsigned>(pids.size());
        if (room < pids.size()) return nvml::kInsufficientSize;
        if (infos == nullptr && !pids.empty()) return nvml::kInvalidArgument;
        for (std::size_t i = 0; i < pids.size(); ++i) {
          infos[i] = nvml::ProcessInfo{pids[i], 1ULL << 30, 0xFFFFFFFFU, 0xFFFFFFFFU};
        }
        return nvml::kSuccess;
      });
}

JB_FAKE_NVML_API int nvmlDeviceGetEnforcedPowerLimit(nvml::Device device, unsigned* milliwatts) {
  return report(device, nvml::symbol::kDeviceGetEnforcedPowerLimit, milliwatts,
                [](FakeDevice& fake, double, unsigned& out) {
                  out = to_milli(fake.enforced_limit_w());
                  return nvml::kSuccess;
                });
}

JB_FAKE_NVML_API int nvmlDeviceGetTemperature(nvml::Device device, int sensor, unsigned* celsius) {
  return report(device, nvml::symbol::kDeviceGetTemperature, celsius,
                [sensor](FakeDevice& fake, double t_s, unsigned& out) {
                  if (sensor != nvml::kTemperatureGpu) return nvml::kInvalidArgument;
                  out = rounded(fake.scenario().temperature_c.at(t_s));
                  return nvml::kSuccess;
                });
}

JB_FAKE_NVML_API int nvmlDeviceGetUtilizationRates(nvml::Device device,
                                                   nvml::Utilization* utilization) {
  return report(device, nvml::symbol::kDeviceGetUtilizationRates, utilization,
                [](FakeDevice& fake, double t_s, nvml::Utilization& out) {
                  out.gpu_pct = rounded(fake.scenario().gpu_utilization_pct.at(t_s));
                  out.memory_pct = rounded(fake.scenario().memory_utilization_pct.at(t_s));
                  return nvml::kSuccess;
                });
}

JB_FAKE_NVML_API int nvmlDeviceGetMemoryInfo(nvml::Device device, nvml::Memory* memory) {
  return report(device, nvml::symbol::kDeviceGetMemoryInfo, memory,
                [](FakeDevice& fake, double t_s, nvml::Memory& out) {
                  const auto& scenario = fake.scenario();
                  const double used =
                      std::min(scenario.memory_used_bytes.at(t_s), scenario.memory_total_bytes);
                  out.total_bytes = static_cast<unsigned long long>(scenario.memory_total_bytes);
                  out.used_bytes = static_cast<unsigned long long>(used);
                  out.free_bytes = out.total_bytes - out.used_bytes;
                  return nvml::kSuccess;
                });
}

// Graphics and SM clocks both follow sm_clock_mhz; the memory clock is not modelled.
JB_FAKE_NVML_API int nvmlDeviceGetClockInfo(nvml::Device device, int clock_type, unsigned* mhz) {
  return report(device, nvml::symbol::kDeviceGetClockInfo, mhz,
                [clock_type](FakeDevice& fake, double t_s, unsigned& out) {
                  if (clock_type == nvml::kClockMemory) return nvml::kNotSupported;
                  if (clock_type != nvml::kClockGraphics && clock_type != nvml::kClockSm) {
                    return nvml::kInvalidArgument;
                  }
                  out = rounded(fake.graphics_clock_mhz(t_s));
                  return nvml::kSuccess;
                });
}

JB_FAKE_NVML_API int nvmlDeviceGetCurrentClocksEventReasons(nvml::Device device,
                                                            unsigned long long* mask) {
  return clocks_reasons(device, nvml::symbol::kDeviceGetCurrentClocksEventReasons, mask);
}

JB_FAKE_NVML_API int nvmlDeviceGetCurrentClocksThrottleReasons(nvml::Device device,
                                                               unsigned long long* mask) {
  return clocks_reasons(device, nvml::symbol::kDeviceGetCurrentClocksThrottleReasons, mask);
}

JB_FAKE_NVML_API int nvmlDeviceGetArchitecture(nvml::Device device, unsigned* architecture) {
  return report(device, nvml::symbol::kDeviceGetArchitecture, architecture,
                [](FakeDevice& fake, double, unsigned& out) {
                  out = fake.scenario().architecture;
                  return nvml::kSuccess;
                });
}

// The exports must have exactly the types the sensor calls them through.
static_assert(std::is_same_v<decltype(nvmlErrorString), nvml::ErrorStringFn>);
static_assert(std::is_same_v<decltype(nvmlSystemGetDriverVersion), nvml::SystemGetDriverVersionFn>);
static_assert(
    std::is_same_v<decltype(nvmlDeviceGetTotalEnergyConsumption), nvml::DeviceGetTotalEnergyFn>);
static_assert(std::is_same_v<decltype(nvmlDeviceGetFieldValues), nvml::DeviceGetFieldValuesFn>);
static_assert(
    std::is_same_v<decltype(nvmlDeviceGetEnforcedPowerLimit), nvml::DeviceGetMilliwattsFn>);
static_assert(std::is_same_v<decltype(nvmlDeviceGetTemperature), nvml::DeviceGetTemperatureFn>);
static_assert(
    std::is_same_v<decltype(nvmlDeviceGetUtilizationRates), nvml::DeviceGetUtilizationFn>);
static_assert(std::is_same_v<decltype(nvmlDeviceGetMemoryInfo), nvml::DeviceGetMemoryInfoFn>);
static_assert(std::is_same_v<decltype(nvmlDeviceGetClockInfo), nvml::DeviceGetClockInfoFn>);
static_assert(std::is_same_v<decltype(nvmlDeviceGetCurrentClocksEventReasons),
                             nvml::DeviceGetClocksReasonsFn>);
static_assert(std::is_same_v<decltype(nvmlDeviceGetCurrentClocksThrottleReasons),
                             nvml::DeviceGetClocksReasonsFn>);
static_assert(std::is_same_v<decltype(nvmlDeviceGetArchitecture), nvml::DeviceGetArchitectureFn>);
