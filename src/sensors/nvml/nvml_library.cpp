#include "sensors/nvml/nvml_library.hpp"

#include <string_view>
#include <utility>

namespace joulebench::nvml {
namespace {

constexpr const char* kSoname = "libnvidia-ml.so.1";
// The unversioned name is a development symlink that driver-only hosts lack.
constexpr const char* kDevelopmentName = "libnvidia-ml.so";
constexpr const char* kDriverDirectories[] = {"/usr/lib64/", "/usr/lib64/nvidia/", "/usr/lib/",
                                              "/usr/lib/nvidia/"};
constexpr const char* kDebianMultiarchPath = "/usr/lib/x86_64-linux-gnu/libnvidia-ml.so.1";

template <class Fn>
void resolve(const platform::DynamicLibrary& library, Fn*& slot, const char* name) {
  slot = library.function<Fn>(name);
}

// The setters and getters of power-limit and clock sweeps.
void resolve_settings(const platform::DynamicLibrary& library, FunctionTable& api) {
  resolve(library, api.device_get_power_management_limit, symbol::kDeviceGetPowerManagementLimit);
  resolve(library, api.device_set_power_management_limit, symbol::kDeviceSetPowerManagementLimit);
  resolve(library, api.device_get_power_management_limit_constraints,
          symbol::kDeviceGetPowerManagementLimitConstraints);
  resolve(library, api.device_get_power_management_default_limit,
          symbol::kDeviceGetPowerManagementDefaultLimit);
  resolve(library, api.device_set_gpu_locked_clocks, symbol::kDeviceSetGpuLockedClocks);
  resolve(library, api.device_reset_gpu_locked_clocks, symbol::kDeviceResetGpuLockedClocks);
  resolve(library, api.device_set_memory_locked_clocks, symbol::kDeviceSetMemoryLockedClocks);
  resolve(library, api.device_reset_memory_locked_clocks, symbol::kDeviceResetMemoryLockedClocks);
  resolve(library, api.device_get_supported_memory_clocks, symbol::kDeviceGetSupportedMemoryClocks);
  resolve(library, api.device_get_supported_graphics_clocks,
          symbol::kDeviceGetSupportedGraphicsClocks);
}

FunctionTable resolve_all(const platform::DynamicLibrary& library) {
  FunctionTable api;
  resolve(library, api.init, symbol::kInit);
  resolve(library, api.shutdown, symbol::kShutdown);
  resolve(library, api.device_get_count, symbol::kDeviceGetCount);
  resolve(library, api.device_get_handle_by_index, symbol::kDeviceGetHandleByIndex);
  resolve(library, api.error_string, symbol::kErrorString);
  resolve(library, api.system_get_driver_version, symbol::kSystemGetDriverVersion);
  resolve(library, api.device_get_name, symbol::kDeviceGetName);
  resolve(library, api.device_get_uuid, symbol::kDeviceGetUuid);
  resolve(library, api.device_get_power_usage, symbol::kDeviceGetPowerUsage);
  resolve(library, api.device_get_total_energy_consumption,
          symbol::kDeviceGetTotalEnergyConsumption);
  resolve(library, api.device_get_field_values, symbol::kDeviceGetFieldValues);
  resolve(library, api.device_get_enforced_power_limit, symbol::kDeviceGetEnforcedPowerLimit);
  resolve(library, api.device_get_temperature, symbol::kDeviceGetTemperature);
  resolve(library, api.device_get_utilization_rates, symbol::kDeviceGetUtilizationRates);
  resolve(library, api.device_get_memory_info, symbol::kDeviceGetMemoryInfo);
  resolve(library, api.device_get_clock_info, symbol::kDeviceGetClockInfo);
  resolve(library, api.device_get_current_clocks_event_reasons,
          symbol::kDeviceGetCurrentClocksEventReasons);
  resolve(library, api.device_get_current_clocks_throttle_reasons,
          symbol::kDeviceGetCurrentClocksThrottleReasons);
  resolve(library, api.device_get_architecture, symbol::kDeviceGetArchitecture);
  resolve(library, api.device_get_compute_running_processes,
          symbol::kDeviceGetComputeRunningProcesses);
  resolve_settings(library, api);
  return api;
}

// The first required entry point the table lacks, or nullptr.
const char* missing_required_symbol(const FunctionTable& api) {
  if (api.init == nullptr) return symbol::kInit;
  if (api.shutdown == nullptr) return symbol::kShutdown;
  if (api.device_get_count == nullptr) return symbol::kDeviceGetCount;
  if (api.device_get_handle_by_index == nullptr) return symbol::kDeviceGetHandleByIndex;
  return nullptr;
}

std::string join(const std::vector<std::string>& parts, std::string_view separator) {
  std::string joined;
  for (const auto& part : parts) {
    if (!joined.empty()) joined += separator;
    joined += part;
  }
  return joined;
}

// Tries each candidate on its own so that the error can list the paths compactly and keep
// only the reasons that say more than "not there" (a wrong ELF class, a missing dependency).
Expected<platform::DynamicLibrary> open_first_candidate(
    const std::vector<std::string>& candidates) {
  std::vector<std::string> unusual_reasons;
  for (const auto& candidate : candidates) {
    auto library = platform::DynamicLibrary::open_first({candidate});
    if (library) return std::move(library.value());
    const std::string& reason = library.error().message;
    if (reason.find("No such file or directory") == std::string::npos) {
      unusual_reasons.push_back(reason);
    }
  }
  std::string message = "NVML library not found (tried " + join(candidates, ", ") +
                        "; set JOULEBENCH_NVML_LIBRARY to the path of libnvidia-ml.so.1)";
  if (!unusual_reasons.empty()) message += ": " + join(unusual_reasons, "; ");
  return Error{message};
}

}  // namespace

std::vector<std::string> library_candidates(const std::optional<std::string>& option_path,
                                            const std::optional<std::string>& env_path) {
  if (option_path) return {*option_path};
  if (env_path) return {*env_path};
  std::vector<std::string> candidates = {kSoname, kDevelopmentName};
  for (const char* directory : kDriverDirectories) {
    candidates.push_back(std::string(directory) + kSoname);
  }
  candidates.push_back(kDebianMultiarchPath);
  return candidates;
}

std::string return_code_name(Return code) {
  if (const char* name = documented_name(code)) return name;
  return "NVML_ERROR_" + std::to_string(code);
}

Expected<std::unique_ptr<NvmlLibrary>> NvmlLibrary::open(
    const std::vector<std::string>& candidates) {
  auto library = open_first_candidate(candidates);
  if (!library) return library.error();
  const FunctionTable api = resolve_all(*library);
  if (const char* missing = missing_required_symbol(api)) {
    return Error{library->path() + " is not a usable NVML library: " + missing + " not exported"};
  }
  // Constructed before init so that describe() can name init's failure; the destructor
  // must not shut down what never started, so a failed init clears the shutdown entry.
  std::unique_ptr<NvmlLibrary> nvml(new NvmlLibrary(std::move(library.value()), api));
  const Return code = api.init();
  if (code == kSuccess) return nvml;
  std::string message = std::string(symbol::kInit) + " failed: " + nvml->describe(code);
  if (code == kDriverNotLoaded) message += "; is the NVIDIA driver loaded?";
  nvml->api_.shutdown = nullptr;
  return Error{message};
}

NvmlLibrary::~NvmlLibrary() {
  if (api_.shutdown != nullptr) api_.shutdown();
}

std::string NvmlLibrary::describe(Return code) const {
  const char* text = api_.error_string != nullptr ? api_.error_string(code) : nullptr;
  if (text == nullptr || *text == '\0') return return_code_name(code);
  return std::string(text) + " (" + return_code_name(code) + ")";
}

std::string NvmlLibrary::not_exported(const char* symbol) const {
  return std::string(symbol) + " not exported by " + path();
}

}  // namespace joulebench::nvml
