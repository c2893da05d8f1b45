// AMD's amdsmi library opened at run time: one RAII lifetime object (dlopen + amdsmi_init on
// open, amdsmi_shut_down + dlclose on destruction) holding every entry point resolved once.
// Thread-safety: immutable after open(); amdsmi serialises its own calls, so the table's
// functions may be called from the sampler thread while the AmdSmiLibrary lives.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "joulebench/error.hpp"
#include "platform/dynamic_library.hpp"
#include "sensors/amdsmi/amdsmi_api.hpp"

namespace joulebench::amdsmi {

// Every entry point joulebench may call; nullptr where the library does not export it.
// The first four are required (open() fails without them); the rest are capabilities.
struct FunctionTable {
  InitFn* init = nullptr;
  ShutDownFn* shut_down = nullptr;
  GetSocketHandlesFn* get_socket_handles = nullptr;
  GetProcessorHandlesFn* get_processor_handles = nullptr;

  StatusCodeToStringFn* status_code_to_string = nullptr;
  GetLibVersionFn* get_lib_version = nullptr;
  GetAsicInfoFn* get_asic_info = nullptr;
  GetDeviceUuidFn* get_device_uuid = nullptr;
  GetDeviceBdfFn* get_device_bdf = nullptr;
  GetDriverInfoFn* get_driver_info = nullptr;
  GetComputePartitionFn* get_compute_partition = nullptr;
  GetEnergyCountFn* get_energy_count = nullptr;
  GetPowerInfoFn* get_power_info = nullptr;
  GetTempMetricFn* get_temp_metric = nullptr;
  GetGpuActivityFn* get_gpu_activity = nullptr;
  GetMemoryUsageFn* get_memory_usage = nullptr;
  GetClockInfoFn* get_clock_info = nullptr;
  GetViolationStatusFn* get_violation_status = nullptr;
};

// `option_path` alone when given, else `env_path` ($JOULEBENCH_AMDSMI_LIBRARY) alone, else the
// soname and ROCm's install directory.
std::vector<std::string> library_candidates(const std::optional<std::string>& option_path,
                                            const std::optional<std::string>& env_path);

// "NOT_SUPPORTED" for 2, ...; "AMDSMI_STATUS_<code>" for codes we do not name.
std::string status_name(Status status);

class AmdSmiLibrary {
 public:
  // Opens the first candidate that loads, resolves every symbol and calls
  // amdsmi_init(AMDSMI_INIT_AMD_GPUS). The error is the reason `joulebench devices` shows.
  static Expected<std::unique_ptr<AmdSmiLibrary>> open(const std::vector<std::string>& candidates);

  AmdSmiLibrary(const AmdSmiLibrary&) = delete;
  AmdSmiLibrary& operator=(const AmdSmiLibrary&) = delete;
  ~AmdSmiLibrary();

  const FunctionTable& api() const { return api_; }
  const std::string& path() const { return library_.path(); }
  // The library's version ("24.7.1"), empty when it does not say; decides the power layout.
  const std::string& version_text() const { return version_text_; }
  PowerLayout power_layout() const { return power_layout_; }

  // "Not supported (NOT_SUPPORTED)": the library's own text plus our name for the code.
  std::string describe(Status status) const;
  // "<symbol> not exported by <library path>".
  std::string not_exported(const char* symbol) const;

 private:
  AmdSmiLibrary(platform::DynamicLibrary library, const FunctionTable& api)
      : library_(std::move(library)), api_(api) {}
  void read_version();

  platform::DynamicLibrary library_;  // destroyed after ~AmdSmiLibrary's amdsmi_shut_down
  FunctionTable api_;
  std::string version_text_;
  PowerLayout power_layout_ = PowerLayout::unknown;
};

}  // namespace joulebench::amdsmi
