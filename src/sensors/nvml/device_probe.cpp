#include "sensors/nvml/device_probe.hpp"

#include "sensors/nvml/power_kind.hpp"

namespace joulebench::nvml {
namespace {

// NVML updates the energy counter about every 100 ms (some systems faster).
constexpr double kCounterUpdatePeriodS = 0.1;
constexpr double kMilli = 1e-3;
constexpr const char* kInstantFieldName = "field 186 (POWER_INSTANT)";
constexpr const char* kEnergyFieldName = "field 83 (TOTAL_ENERGY_CONSUMPTION)";
constexpr Metric kAllMetrics[] = {
    Metric::power,    Metric::energy_counter, Metric::temperature,  Metric::gpu_utilization,
    Metric::sm_clock, Metric::memory_used,    Metric::throttle_mask};

// Makes one probing call and turns its status into a Capability; remembers GPU_IS_LOST.
class Prober {
 public:
  Prober(const NvmlLibrary& library, Device handle) : library_(library), handle_(handle) {}

  template <class Fn, class... Args>
  Capability call(Fn* function, const char* symbol, Args... args) {
    if (function == nullptr) return {false, library_.not_exported(symbol)};
    return outcome(function(handle_, args...), symbol);
  }

  Capability outcome(Return code, const char* what) {
    if (code == kSuccess) return {true, {}};
    std::string reason = std::string(what) + ": " + library_.describe(code);
    if (code == kGpuIsLost && lost_reason_.empty()) lost_reason_ = reason;
    return {false, std::move(reason)};
  }

  const FunctionTable& api() const { return library_.api(); }
  const std::string& lost_reason() const { return lost_reason_; }

 private:
  const NvmlLibrary& library_;
  Device handle_;
  std::string lost_reason_;
};

std::string device_string(Prober& prober, DeviceGetStringFn* function, const char* symbol) {
  static_assert(kDeviceNameBufferSize == kDeviceUuidBufferSize);
  char buffer[kDeviceNameBufferSize] = {};
  if (!prober.call(function, symbol, buffer, kDeviceNameBufferSize).supported) return {};
  buffer[kDeviceNameBufferSize - 1] = '\0';
  return buffer;
}

std::optional<unsigned> architecture(Prober& prober) {
  unsigned value = kArchUnknown;
  if (!prober.call(prober.api().device_get_architecture, symbol::kDeviceGetArchitecture, &value)
           .supported) {
    return std::nullopt;
  }
  return value;
}

void probe_identity(Prober& prober, ProbedDevice& device) {
  const FunctionTable& api = prober.api();
  device.info.name = device_string(prober, api.device_get_name, symbol::kDeviceGetName);
  device.info.uuid = device_string(prober, api.device_get_uuid, symbol::kDeviceGetUuid);
  unsigned limit_mw = 0;
  if (prober
          .call(api.device_get_enforced_power_limit, symbol::kDeviceGetEnforcedPowerLimit,
                &limit_mw)
          .supported) {
    device.info.power_limit_w = limit_mw * kMilli;
  }
}

const char* power_usage_meaning(PowerKind kind) {
  switch (kind) {
    case PowerKind::average_1s:
      return "a 1 s average";
    case PowerKind::instantaneous:
      return "instantaneous";
    default:
      return "averaging unknown (architecture not reported)";
  }
}

// Field 186 when it works (and field 83 in the same call when that works too), else
// nvmlDeviceGetPowerUsage, whose meaning depends on the architecture.
void probe_power(Prober& prober, ProbedDevice& device, PowerPreference preference) {
  const FunctionTable& api = prober.api();
  FieldValue values[2] = {};
  values[0].field_id = kFieldPowerInstant;
  values[0].scope_id = kScopeGpu;
  values[1].field_id = kFieldTotalEnergyConsumption;
  Capability instant{false, "field 186 not used (JOULEBENCH_NVML_POWER=usage)"};
  if (preference == PowerPreference::instant_first) {
    instant = prober.call(api.device_get_field_values, symbol::kDeviceGetFieldValues, 2,
                          static_cast<FieldValue*>(values));
  }
  Capability energy_field = instant;
  if (instant.supported) {
    instant = prober.outcome(values[0].nvml_return, kInstantFieldName);
    energy_field = prober.outcome(values[1].nvml_return, kEnergyFieldName);
  }
  auto& capability = device.info.capabilities[Metric::power];
  if (instant.supported) {
    device.plan.power = PowerSource::instant_field;
    device.plan.energy_in_field_call = energy_field.supported;
    device.info.power_kind = PowerKind::instantaneous;
    capability = {true, std::string("NVML ") + kInstantFieldName};
    return;
  }
  unsigned milliwatts = 0;
  Capability usage =
      prober.call(api.device_get_power_usage, symbol::kDeviceGetPowerUsage, &milliwatts);
  if (!usage.supported) {
    capability = {false, instant.reason + "; " + usage.reason};
    return;
  }
  device.plan.power = PowerSource::power_usage;
  device.info.power_kind = power_usage_kind(architecture(prober), device.info.name);
  capability = {true, std::string(symbol::kDeviceGetPowerUsage) + ", " +
                          power_usage_meaning(device.info.power_kind) + "; " + instant.reason};
}

void probe_energy(Prober& prober, ProbedDevice& device) {
  auto& capability = device.info.capabilities[Metric::energy_counter];
  if (device.plan.energy_in_field_call) {
    capability = {true, std::string("NVML ") + kEnergyFieldName};
  } else {
    unsigned long long millijoules = 0;
    capability = prober.call(prober.api().device_get_total_energy_consumption,
                             symbol::kDeviceGetTotalEnergyConsumption, &millijoules);
    device.plan.energy_function = capability.supported;
  }
  if (capability.supported) device.info.counter_update_period_s = kCounterUpdatePeriodS;
}

void probe_other_metrics(Prober& prober, ProbedDevice& device) {
  const FunctionTable& api = prober.api();
  auto& capabilities = device.info.capabilities;
  ReadPlan& plan = device.plan;
  unsigned value = 0;
  capabilities[Metric::temperature] = prober.call(
      api.device_get_temperature, symbol::kDeviceGetTemperature, kTemperatureGpu, &value);
  plan.temperature = capabilities[Metric::temperature].supported;
  Utilization utilization = {};
  capabilities[Metric::gpu_utilization] = prober.call(
      api.device_get_utilization_rates, symbol::kDeviceGetUtilizationRates, &utilization);
  plan.utilization = capabilities[Metric::gpu_utilization].supported;
  capabilities[Metric::sm_clock] =
      prober.call(api.device_get_clock_info, symbol::kDeviceGetClockInfo, kClockSm, &value);
  plan.sm_clock = capabilities[Metric::sm_clock].supported;
  Memory memory = {};
  capabilities[Metric::memory_used] =
      prober.call(api.device_get_memory_info, symbol::kDeviceGetMemoryInfo, &memory);
  plan.memory = capabilities[Metric::memory_used].supported;
}

// The clocks-event reasons (NVML >= 12.2) when they work, else the older throttle reasons.
void probe_throttle(Prober& prober, ProbedDevice& device) {
  const FunctionTable& api = prober.api();
  auto& capability = device.info.capabilities[Metric::throttle_mask];
  unsigned long long mask = 0;
  capability = prober.call(api.device_get_current_clocks_event_reasons,
                           symbol::kDeviceGetCurrentClocksEventReasons, &mask);
  if (capability.supported) {
    device.plan.throttle = api.device_get_current_clocks_event_reasons;
    device.plan.throttle_symbol = symbol::kDeviceGetCurrentClocksEventReasons;
    return;
  }
  if (!prober.lost_reason().empty()) return;
  Capability older = prober.call(api.device_get_current_clocks_throttle_reasons,
                                 symbol::kDeviceGetCurrentClocksThrottleReasons, &mask);
  if (!older.supported) {
    capability.reason += "; " + older.reason;
    return;
  }
  device.plan.throttle = api.device_get_current_clocks_throttle_reasons;
  device.plan.throttle_symbol = symbol::kDeviceGetCurrentClocksThrottleReasons;
  capability = {
      true, std::string(symbol::kDeviceGetCurrentClocksThrottleReasons) + "; " + capability.reason};
}

ProbedDevice unusable_device(ProbedDevice device, const std::string& reason) {
  for (Metric metric : kAllMetrics) device.info.capabilities[metric] = {false, reason};
  device.lost_reason = reason;
  return device;
}

}  // namespace

ProbedDevice probe_device(const NvmlLibrary& library, unsigned nvml_index, Device handle,
                          Return handle_code, const std::string& driver_version,
                          PowerPreference preference) {
  ProbedDevice device;
  device.info.id = "nvml:" + std::to_string(nvml_index);
  device.info.sensor = "nvml";
  device.info.vendor = "NVIDIA";
  device.info.driver_version = driver_version;
  if (handle_code != kSuccess) {
    return unusable_device(std::move(device), std::string(symbol::kDeviceGetHandleByIndex) + ": " +
                                                  library.describe(handle_code));
  }
  device.plan.handle = handle;
  Prober prober(library, handle);
  probe_identity(prober, device);
  probe_power(prober, device, preference);
  probe_energy(prober, device);
  probe_other_metrics(prober, device);
  probe_throttle(prober, device);
  device.lost_reason = prober.lost_reason();
  return device;
}

}  // namespace joulebench::nvml
