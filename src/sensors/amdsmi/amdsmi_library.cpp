#include "sensors/amdsmi/amdsmi_library.hpp"

#include <utility>

namespace joulebench::amdsmi {
namespace {

constexpr const char* kSoname = "libamd_smi.so";
constexpr const char* kRocmPath = "/opt/rocm/lib/libamd_smi.so";

struct StatusName {
  Status status;
  const char* name;
};
constexpr StatusName kStatusNames[] = {
    {kSuccess, "SUCCESS"},
    {kInvalid, "INVAL"},
    {kNotSupported, "NOT_SUPPORTED"},
    {kNoPermission, "NO_PERM"},
    {kInitError, "INIT_ERROR"},
    {kNotFound, "NOT_FOUND"},
    {kNotInitialized, "NOT_INIT"},
    {kDriverNotLoaded, "DRIVER_NOT_LOADED"},
    {kNoData, "NO_DATA"},
    {kUnknownError, "UNKNOWN_ERROR"},
};

template <class Fn>
void resolve(const platform::DynamicLibrary& library, Fn*& slot, const char* name) {
  slot = library.function<Fn>(name);
}

FunctionTable resolve_all(const platform::DynamicLibrary& library) {
  FunctionTable api;
  resolve(library, api.init, symbol::kInit);
  resolve(library, api.shut_down, symbol::kShutDown);
  resolve(library, api.get_socket_handles, symbol::kGetSocketHandles);
  resolve(library, api.get_processor_handles, symbol::kGetProcessorHandles);
  resolve(library, api.status_code_to_string, symbol::kStatusCodeToString);
  resolve(library, api.get_lib_version, symbol::kGetLibVersion);
  resolve(library, api.get_asic_info, symbol::kGetAsicInfo);
  resolve(library, api.get_device_uuid, symbol::kGetDeviceUuid);
  resolve(library, api.get_device_bdf, symbol::kGetDeviceBdf);
  resolve(library, api.get_driver_info, symbol::kGetDriverInfo);
  resolve(library, api.get_compute_partition, symbol::kGetComputePartition);
  resolve(library, api.get_energy_count, symbol::kGetEnergyCount);
  resolve(library, api.get_power_info, symbol::kGetPowerInfo);
  resolve(library, api.get_temp_metric, symbol::kGetTempMetric);
  resolve(library, api.get_gpu_activity, symbol::kGetGpuActivity);
  resolve(library, api.get_memory_usage, symbol::kGetMemoryUsage);
  resolve(library, api.get_clock_info, symbol::kGetClockInfo);
  resolve(library, api.get_violation_status, symbol::kGetViolationStatus);
  return api;
}

const char* missing_required_symbol(const FunctionTable& api) {
  if (api.init == nullptr) return symbol::kInit;
  if (api.shut_down == nullptr) return symbol::kShutDown;
  if (api.get_socket_handles == nullptr) return symbol::kGetSocketHandles;
  if (api.get_processor_handles == nullptr) return symbol::kGetProcessorHandles;
  return nullptr;
}

Expected<platform::DynamicLibrary> open_first_candidate(
    const std::vector<std::string>& candidates) {
  std::string tried;
  std::string unusual;
  for (const auto& candidate : candidates) {
    auto library = platform::DynamicLibrary::open_first({candidate});
    if (library) return std::move(library.value());
    tried += (tried.empty() ? "" : ", ") + candidate;
    const std::string& reason = library.error().message;
    if (reason.find("No such file or directory") == std::string::npos) unusual += "; " + reason;
  }
  return Error{"amdsmi library not found (tried " + tried +
               "; set JOULEBENCH_AMDSMI_LIBRARY to the path of libamd_smi.so)" + unusual};
}

}  // namespace

std::vector<std::string> library_candidates(const std::optional<std::string>& option_path,
                                            const std::optional<std::string>& env_path) {
  if (option_path) return {*option_path};
  if (env_path) return {*env_path};
  return {kSoname, kRocmPath};
}

std::string status_name(Status status) {
  for (const auto& entry : kStatusNames) {
    if (entry.status == status) return entry.name;
  }
  return "AMDSMI_STATUS_" + std::to_string(status);
}

Expected<std::unique_ptr<AmdSmiLibrary>> AmdSmiLibrary::open(
    const std::vector<std::string>& candidates) {
  auto library = open_first_candidate(candidates);
  if (!library) return library.error();
  const FunctionTable api = resolve_all(*library);
  if (const char* missing = missing_required_symbol(api)) {
    return Error{library->path() + " is not a usable amdsmi library: " + missing + " not exported"};
  }
  std::unique_ptr<AmdSmiLibrary> amdsmi(new AmdSmiLibrary(std::move(library.value()), api));
  const Status status = api.init(kInitAmdGpus);
  if (status != kSuccess) {
    std::string message = std::string(symbol::kInit) + " failed: " + amdsmi->describe(status);
    if (status == kDriverNotLoaded) message += "; is the amdgpu driver loaded?";
    amdsmi->api_.shut_down = nullptr;  // nothing started, nothing to shut down
    return Error{message};
  }
  amdsmi->read_version();
  return amdsmi;
}

void AmdSmiLibrary::read_version() {
  Version version = {};
  if (api_.get_lib_version == nullptr || api_.get_lib_version(&version) != kSuccess) return;
  version_text_ = std::to_string(version.year) + "." + std::to_string(version.major) + "." +
                  std::to_string(version.minor);
  power_layout_ = amdsmi::power_layout(version.year, version.major);
}

AmdSmiLibrary::~AmdSmiLibrary() {
  if (api_.shut_down != nullptr) api_.shut_down();
}

std::string AmdSmiLibrary::describe(Status status) const {
  const char* text = nullptr;
  if (api_.status_code_to_string != nullptr) api_.status_code_to_string(status, &text);
  if (text == nullptr || *text == '\0') return status_name(status);
  return std::string(text) + " (" + status_name(status) + ")";
}

std::string AmdSmiLibrary::not_exported(const char* symbol) const {
  return std::string(symbol) + " not exported by " + path();
}

}  // namespace joulebench::amdsmi
