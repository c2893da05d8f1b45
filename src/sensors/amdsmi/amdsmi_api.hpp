// Our own declarations of the subset of AMD's amdsmi C ABI that joulebench uses, written from
// the facts of ROCm/amdsmi's include/amd_smi/amdsmi.h (library versions 23.x to 24.7; see
// docs/measurement-method.md). The real library is opened at run time, so these types only have
// to match its binary layout; the static_asserts pin the sizes, and amdsmi_abi_test compares
// them with the real header where one is installed.
// Header-only on purpose: the fake library in tests/fake_amdsmi implements the same ABI.
// Thread-safety: constants and plain types only.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>

namespace joulebench::amdsmi {

// amdsmi_status_t is a C enum holding 0xFFFFFFFF (UNKNOWN_ERROR): 32 bits, unsigned.
using Status = std::uint32_t;

inline constexpr Status kSuccess = 0;
inline constexpr Status kInvalid = 1;
inline constexpr Status kNotSupported = 2;
inline constexpr Status kNoPermission = 10;
inline constexpr Status kInitError = 18;
inline constexpr Status kNotFound = 31;
inline constexpr Status kNotInitialized = 32;
inline constexpr Status kDriverNotLoaded = 34;
inline constexpr Status kNoData = 40;
inline constexpr Status kUnknownError = 0xFFFFFFFFu;

// amdsmi_init's flag for GPUs (AMDSMI_INIT_AMD_GPUS).
inline constexpr std::uint64_t kInitAmdGpus = 1u << 1;

using SocketHandle = void*;     // amdsmi_socket_handle
using ProcessorHandle = void*;  // amdsmi_processor_handle

inline constexpr std::size_t kMaxStringLength = 64;  // AMDSMI_MAX_STRING_LENGTH
inline constexpr std::size_t kNormalStringLength = 32;
inline constexpr std::size_t k256Length = 256;
inline constexpr std::size_t kGpuUuidSize = 38;  // AMDSMI_GPU_UUID_SIZE
// The buffer for amdsmi_get_gpu_compute_partition ("SPX", "DPX", "TPX", "QPX", "CPX").
inline constexpr std::size_t kPartitionBufferSize = 16;

// Enumerators passed by value (C enums: int).
inline constexpr int kTemperatureHotspot = 1;  // AMDSMI_TEMPERATURE_TYPE_HOTSPOT (junction)
inline constexpr int kTemperatureCurrent = 0;  // AMDSMI_TEMP_CURRENT
inline constexpr int kMemoryVram = 0;          // AMDSMI_MEM_TYPE_VRAM
inline constexpr int kClockGfx = 0;            // AMDSMI_CLK_TYPE_GFX (= SYS)

// amdsmi_version_t. Up to 24.x {year, major, minor, release, build}; from 25.x the year is
// gone and the same words hold {major, minor, release, padding, build}: the first word is then
// the ABI major (25, 26, ...), so "first.second.third" names the version either way.
struct Version {
  std::uint32_t year;
  std::uint32_t major;
  std::uint32_t minor;
  std::uint32_t release;
  const char* build;
};

// amdsmi_power_info_t up to library 23.3: no current power; watts.
struct PowerInfoAverageOnly {
  std::uint32_t average_socket_power_w;
  std::uint32_t gfx_voltage_mv;
  std::uint32_t soc_voltage_mv;
  std::uint32_t mem_voltage_mv;
  std::uint32_t power_limit_w;
  std::uint32_t reserved[11];
};

// amdsmi_power_info_t from library 23.4 to 24.7: current power added in front; watts.
struct PowerInfoCurrentFirst {
  std::uint32_t current_socket_power_w;
  std::uint32_t average_socket_power_w;
  std::uint32_t gfx_voltage_mv;
  std::uint32_t soc_voltage_mv;
  std::uint32_t mem_voltage_mv;
  std::uint32_t power_limit_w;
  std::uint32_t reserved[11];
};

// amdsmi_power_info_t from library 25.x on (ROCm 6.4, 7.x): a 64-bit socket_power in front;
// watts. The 32-bit fields behind it widened in 26.x, but the three read here keep their offsets
// in every version since (25.x, 26.x and the development documentation).
struct PowerInfoSocketPowerFirst {
  std::uint64_t socket_power_w;
  std::uint32_t current_socket_power_w;
  std::uint32_t average_socket_power_w;
};

// amdsmi_engine_usage_t: percentages.
struct EngineUsage {
  std::uint32_t gfx_activity;
  std::uint32_t umc_activity;
  std::uint32_t mm_activity;
  std::uint32_t reserved[13];
};

// amdsmi_clk_info_t: MHz.
struct ClockInfo {
  std::uint32_t clk;
  std::uint32_t min_clk;
  std::uint32_t max_clk;
  std::uint8_t clk_locked;
  std::uint8_t clk_deep_sleep;
  std::uint32_t reserved[4];
};

// amdsmi_asic_info_t.
struct AsicInfo {
  char market_name[k256Length];
  std::uint32_t vendor_id;
  char vendor_name[kMaxStringLength];
  std::uint32_t subvendor_id;
  std::uint64_t device_id;
  std::uint32_t rev_id;
  char asic_serial[kNormalStringLength];
  std::uint32_t oam_id;
  std::uint32_t num_of_compute_units;
  std::uint64_t target_graphics_version;
  std::uint32_t reserved[15];
};

// amdsmi_bdf_t: a union of bit fields over one uint64_t; we decode the bits ourselves
// (function 3 bits, device 5, bus 8, domain 48, from the low bit up).
struct Bdf {
  std::uint64_t as_uint;
};

// amdsmi_driver_info_t.
struct DriverInfo {
  char driver_version[kMaxStringLength];
  char driver_date[kMaxStringLength];
  char driver_name[kMaxStringLength];
};

// amdsmi_violation_status_t (library 24.x): accumulated counters, then "active" flags;
// all-ones means not supported.
struct ViolationStatus {
  std::uint64_t reference_timestamp;
  std::uint64_t violation_timestamp;
  std::uint64_t acc_counter;
  std::uint64_t acc_prochot_thrm;
  std::uint64_t acc_ppt_pwr;
  std::uint64_t acc_socket_thrm;
  std::uint64_t acc_vr_thrm;
  std::uint64_t acc_hbm_thrm;
  std::uint64_t per_prochot_thrm;
  std::uint64_t per_ppt_pwr;
  std::uint64_t per_socket_thrm;
  std::uint64_t per_vr_thrm;
  std::uint64_t per_hbm_thrm;
  std::uint8_t active_prochot_thrm;
  std::uint8_t active_ppt_pwr;
  std::uint8_t active_socket_thrm;
  std::uint8_t active_vr_thrm;
  std::uint8_t active_hbm_thrm;
  std::uint64_t reserved[30];
};

static_assert(sizeof(Version) == 24);
static_assert(sizeof(PowerInfoAverageOnly) == 64);
static_assert(sizeof(PowerInfoCurrentFirst) == 68);
static_assert(sizeof(EngineUsage) == 64);
static_assert(sizeof(ClockInfo) == 32);
static_assert(offsetof(AsicInfo, device_id) == 328);
static_assert(sizeof(AsicInfo) == 456);
static_assert(sizeof(Bdf) == 8);
static_assert(sizeof(DriverInfo) == 192);
static_assert(offsetof(ViolationStatus, active_prochot_thrm) == 104);
static_assert(sizeof(ViolationStatus) == 352);

// The library writes as many bytes as its own version's struct has, and structs grow
// between versions (amdsmi_asic_info_t: 256 bytes in 23.x, 448 in 24.5, 456 in 24.6), so every
// struct the library fills is passed with spare room behind it. Only fields whose offset is
// the same in every version read are used (market_name and the clock at offset 0, ...).
template <class T>
struct Padded {
  T value{};
  unsigned char spare[512]{};
};

// Entry points (C linkage in the library; plain function types here).
using InitFn = Status(std::uint64_t init_flags);
using ShutDownFn = Status();
using GetSocketHandlesFn = Status(std::uint32_t* count, SocketHandle* handles);
using GetProcessorHandlesFn = Status(SocketHandle socket, std::uint32_t* count,
                                     ProcessorHandle* handles);
using StatusCodeToStringFn = Status(Status status, const char** text);
using GetLibVersionFn = Status(Version* version);
using GetAsicInfoFn = Status(ProcessorHandle, AsicInfo*);
using GetDeviceUuidFn = Status(ProcessorHandle, unsigned* length, char* uuid);
using GetDeviceBdfFn = Status(ProcessorHandle, Bdf*);
using GetDriverInfoFn = Status(ProcessorHandle, DriverInfo*);
using GetComputePartitionFn = Status(ProcessorHandle, char* partition, std::uint32_t length);
using GetEnergyCountFn = Status(ProcessorHandle, std::uint64_t* accumulator, float* resolution_uj,
                                std::uint64_t* timestamp_ns);
using GetPowerInfoFn = Status(ProcessorHandle, void* info);  // layout: see power_layout()
using GetTempMetricFn = Status(ProcessorHandle, int sensor, int metric, std::int64_t* celsius);
using GetGpuActivityFn = Status(ProcessorHandle, EngineUsage*);
using GetMemoryUsageFn = Status(ProcessorHandle, int memory_type, std::uint64_t* used_bytes);
using GetClockInfoFn = Status(ProcessorHandle, int clock_type, ClockInfo*);
using GetViolationStatusFn = Status(ProcessorHandle, ViolationStatus*);

namespace symbol {
inline constexpr const char* kInit = "amdsmi_init";
inline constexpr const char* kShutDown = "amdsmi_shut_down";
inline constexpr const char* kGetSocketHandles = "amdsmi_get_socket_handles";
inline constexpr const char* kGetProcessorHandles = "amdsmi_get_processor_handles";
inline constexpr const char* kStatusCodeToString = "amdsmi_status_code_to_string";
inline constexpr const char* kGetLibVersion = "amdsmi_get_lib_version";
inline constexpr const char* kGetAsicInfo = "amdsmi_get_gpu_asic_info";
inline constexpr const char* kGetDeviceUuid = "amdsmi_get_gpu_device_uuid";
inline constexpr const char* kGetDeviceBdf = "amdsmi_get_gpu_device_bdf";
inline constexpr const char* kGetDriverInfo = "amdsmi_get_gpu_driver_info";
inline constexpr const char* kGetComputePartition = "amdsmi_get_gpu_compute_partition";
inline constexpr const char* kGetEnergyCount = "amdsmi_get_energy_count";
inline constexpr const char* kGetPowerInfo = "amdsmi_get_power_info";
inline constexpr const char* kGetTempMetric = "amdsmi_get_temp_metric";
inline constexpr const char* kGetGpuActivity = "amdsmi_get_gpu_activity";
inline constexpr const char* kGetMemoryUsage = "amdsmi_get_gpu_memory_usage";
inline constexpr const char* kGetClockInfo = "amdsmi_get_clock_info";
inline constexpr const char* kGetViolationStatus = "amdsmi_get_violation_status";
}  // namespace symbol

// Which amdsmi_power_info_t layout a library version uses.
enum class PowerLayout {
  average_only,        // 23.0-23.3
  current_first,       // 23.4-24.x
  socket_power_first,  // 25.x and later (the version's first word is then the ABI major)
  unknown,             // anything older: amdsmi_get_power_info is not called
};

// `first` and `second` are the first two words of amdsmi_version_t (year and major up to 24.x,
// major and minor from 25.x).
constexpr PowerLayout power_layout(std::uint32_t first, std::uint32_t second) {
  if (first == 23) return second < 4 ? PowerLayout::average_only : PowerLayout::current_first;
  if (first == 24) return PowerLayout::current_first;
  if (first >= 25) return PowerLayout::socket_power_first;
  return PowerLayout::unknown;
}

// "0000:03:00.0": the lower-case PCI bus id that sysfs uses.
inline std::string bdf_text(Bdf bdf) {
  char text[32] = {};
  std::snprintf(
      text, sizeof text, "%04llx:%02x:%02x.%x", static_cast<unsigned long long>(bdf.as_uint >> 16),
      static_cast<unsigned>((bdf.as_uint >> 8) & 0xFF),
      static_cast<unsigned>((bdf.as_uint >> 3) & 0x1F), static_cast<unsigned>(bdf.as_uint & 0x7));
  return text;
}

}  // namespace joulebench::amdsmi
