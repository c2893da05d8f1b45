// The NVML library opened at run time: one RAII lifetime object (dlopen + nvmlInit_v2 on
// open, nvmlShutdown + dlclose on destruction) holding every entry point resolved once.
// Thread-safety: immutable after open(); NVML itself is thread-safe, so the table's
// functions may be called from any thread while the NvmlLibrary lives.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "joulebench/error.hpp"
#include "platform/dynamic_library.hpp"
#include "sensors/nvml/nvml_api.hpp"

namespace joulebench::nvml {

// Every entry point joulebench may call; nullptr where the library does not export it.
// The first four are required (open() fails without them); the rest are capabilities.
struct FunctionTable {
  InitFn* init = nullptr;
  ShutdownFn* shutdown = nullptr;
  DeviceGetCountFn* device_get_count = nullptr;
  DeviceGetHandleByIndexFn* device_get_handle_by_index = nullptr;

  ErrorStringFn* error_string = nullptr;
  SystemGetDriverVersionFn* system_get_driver_version = nullptr;
  DeviceGetStringFn* device_get_name = nullptr;
  DeviceGetStringFn* device_get_uuid = nullptr;
  DeviceGetMilliwattsFn* device_get_power_usage = nullptr;
  DeviceGetTotalEnergyFn* device_get_total_energy_consumption = nullptr;
  DeviceGetFieldValuesFn* device_get_field_values = nullptr;
  DeviceGetMilliwattsFn* device_get_enforced_power_limit = nullptr;
  DeviceGetTemperatureFn* device_get_temperature = nullptr;
  DeviceGetUtilizationFn* device_get_utilization_rates = nullptr;
  DeviceGetMemoryInfoFn* device_get_memory_info = nullptr;
  DeviceGetClockInfoFn* device_get_clock_info = nullptr;
  DeviceGetClocksReasonsFn* device_get_current_clocks_event_reasons = nullptr;
  DeviceGetClocksReasonsFn* device_get_current_clocks_throttle_reasons = nullptr;
  DeviceGetArchitectureFn* device_get_architecture = nullptr;
  DeviceGetComputeProcessesFn* device_get_compute_running_processes = nullptr;
  // Settings, for power-limit and clock sweeps (nullptr: the setting is not supported).
  DeviceGetMilliwattsFn* device_get_power_management_limit = nullptr;
  DeviceSetMilliwattsFn* device_set_power_management_limit = nullptr;
  DeviceGetLimitConstraintsFn* device_get_power_management_limit_constraints = nullptr;
  DeviceGetMilliwattsFn* device_get_power_management_default_limit = nullptr;
  DeviceSetLockedClocksFn* device_set_gpu_locked_clocks = nullptr;
  DeviceResetFn* device_reset_gpu_locked_clocks = nullptr;
  DeviceSetLockedClocksFn* device_set_memory_locked_clocks = nullptr;
  DeviceResetFn* device_reset_memory_locked_clocks = nullptr;
  DeviceGetSupportedMemoryClocksFn* device_get_supported_memory_clocks = nullptr;
  DeviceGetSupportedGraphicsClocksFn* device_get_supported_graphics_clocks = nullptr;
};

// The libraries to try, in order: `option_path` alone when given, else `env_path`
// ($JOULEBENCH_NVML_LIBRARY) alone, else the sonames and the usual driver directories.
std::vector<std::string> library_candidates(const std::optional<std::string>& option_path,
                                            const std::optional<std::string>& env_path);

// "GPU_IS_LOST" for 15, ...; "NVML_ERROR_<code>" for codes NVML does not document.
std::string return_code_name(Return code);

class NvmlLibrary {
 public:
  // Opens the first candidate that loads, resolves every symbol and calls nvmlInit_v2.
  // The error is the reason `joulebench devices` shows: library not found (every path
  // tried, and how to name one), a required symbol missing, or nvmlInit_v2's failure.
  static Expected<std::unique_ptr<NvmlLibrary>> open(const std::vector<std::string>& candidates);

  NvmlLibrary(const NvmlLibrary&) = delete;
  NvmlLibrary& operator=(const NvmlLibrary&) = delete;
  ~NvmlLibrary();

  const FunctionTable& api() const { return api_; }
  const std::string& path() const { return library_.path(); }

  // "Not Supported (NOT_SUPPORTED)": the library's own text when it exports
  // nvmlErrorString, plus our name for the code.
  std::string describe(Return code) const;

  // "<symbol> not exported by <library path>".
  std::string not_exported(const char* symbol) const;

 private:
  NvmlLibrary(platform::DynamicLibrary library, const FunctionTable& api)
      : library_(std::move(library)), api_(api) {}

  platform::DynamicLibrary library_;  // destroyed after ~NvmlLibrary's nvmlShutdown
  FunctionTable api_;
};

}  // namespace joulebench::nvml
