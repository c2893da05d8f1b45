// Our own declarations of the NVML C ABI subset that joulebench uses, written from NVIDIA's
// documented layout (no nvml.h exists on the build machines). The real library is opened at run
// time, so these types only have to match its binary layout; the static_asserts pin it down.
// Header-only on purpose: the fake NVML library in tests/fake_nvml implements the same ABI
// from these declarations.
// Thread-safety: constants and plain types only.
#pragma once

#include <cstddef>
#include <cstdint>

namespace joulebench::nvml {

// nvmlReturn_t is a C enum: an int on every ABI joulebench runs on.
using Return = int;

inline constexpr Return kSuccess = 0;
inline constexpr Return kUninitialized = 1;
inline constexpr Return kInvalidArgument = 2;
inline constexpr Return kNotSupported = 3;
inline constexpr Return kNoPermission = 4;
inline constexpr Return kNotFound = 6;
inline constexpr Return kInsufficientSize = 7;
inline constexpr Return kDriverNotLoaded = 9;
inline constexpr Return kLibraryNotFound = 12;
inline constexpr Return kFunctionNotFound = 13;
inline constexpr Return kGpuIsLost = 15;
inline constexpr Return kArgumentVersionMismatch = 25;
inline constexpr Return kUnknown = 999;

// The documented codes with NVML's own spelling of their names (NVML_ERROR_<name>).
struct ReturnCodeName {
  Return code;
  const char* name;
};
inline constexpr ReturnCodeName kReturnCodeNames[] = {
    {kSuccess, "SUCCESS"},
    {kUninitialized, "UNINITIALIZED"},
    {kInvalidArgument, "INVALID_ARGUMENT"},
    {kNotSupported, "NOT_SUPPORTED"},
    {kNoPermission, "NO_PERMISSION"},
    {kNotFound, "NOT_FOUND"},
    {kInsufficientSize, "INSUFFICIENT_SIZE"},
    {kDriverNotLoaded, "DRIVER_NOT_LOADED"},
    {kLibraryNotFound, "LIBRARY_NOT_FOUND"},
    {kFunctionNotFound, "FUNCTION_NOT_FOUND"},
    {kGpuIsLost, "GPU_IS_LOST"},
    {kArgumentVersionMismatch, "ARGUMENT_VERSION_MISMATCH"},
    {kUnknown, "UNKNOWN"},
};

// "GPU_IS_LOST" for kGpuIsLost; nullptr for a code NVML does not document.
constexpr const char* documented_name(Return code) {
  for (const auto& entry : kReturnCodeNames) {
    if (entry.code == code) return entry.name;
  }
  return nullptr;
}

// nvmlDevice_t: an opaque pointer owned by the library.
struct DeviceOpaque;
using Device = DeviceOpaque*;

// Buffer sizes that the library documents as always large enough.
inline constexpr unsigned kDriverVersionBufferSize = 80;
inline constexpr unsigned kDeviceNameBufferSize = 96;
inline constexpr unsigned kDeviceUuidBufferSize = 96;

// nvmlFieldValue_t's valueType.
inline constexpr int kValueTypeDouble = 0;
inline constexpr int kValueTypeUnsignedInt = 1;
inline constexpr int kValueTypeUnsignedLong = 2;
inline constexpr int kValueTypeUnsignedLongLong = 3;
inline constexpr int kValueTypeSignedLongLong = 4;
inline constexpr int kValueTypeSignedInt = 5;
inline constexpr int kValueTypeUnsignedShort = 6;

// Field ids for nvmlDeviceGetFieldValues.
inline constexpr unsigned kFieldTotalEnergyConsumption = 83;  // mJ since driver load
inline constexpr unsigned kFieldPowerAverage = 185;           // mW, 1 s average
inline constexpr unsigned kFieldPowerInstant = 186;           // mW, instantaneous
inline constexpr unsigned kFieldPowerMinLimit = 187;          // mW
inline constexpr unsigned kFieldPowerMaxLimit = 188;          // mW
inline constexpr unsigned kFieldPowerDefaultLimit = 189;      // mW
inline constexpr unsigned kFieldPowerCurrentLimit = 190;      // mW

// scopeId of the power fields.
inline constexpr unsigned kScopeGpu = 0;
inline constexpr unsigned kScopeModule = 1;  // Grace Hopper: CPU + GPU together
inline constexpr unsigned kScopeMemory = 2;

union FieldValueUnion {
  double d;
  unsigned ui;
  unsigned long ul;
  unsigned long long ull;
  long long sll;
  int si;
  unsigned short us;
};

struct FieldValue {
  unsigned field_id;       // in: one of kField*
  unsigned scope_id;       // in: kScope* for power fields
  long long timestamp_us;  // out: microseconds since the epoch
  long long latency_us;    // out
  int value_type;          // out: kValueType*
  Return nvml_return;      // out: this value's own status
  FieldValueUnion value;   // out
};

static_assert(sizeof(FieldValueUnion) == 8);
static_assert(sizeof(FieldValue) == 40);
static_assert(offsetof(FieldValue, field_id) == 0);
static_assert(offsetof(FieldValue, scope_id) == 4);
static_assert(offsetof(FieldValue, timestamp_us) == 8);
static_assert(offsetof(FieldValue, latency_us) == 16);
static_assert(offsetof(FieldValue, value_type) == 24);
static_assert(offsetof(FieldValue, nvml_return) == 28);
static_assert(offsetof(FieldValue, value) == 32);

struct Utilization {
  unsigned gpu_pct;
  unsigned memory_pct;
};
static_assert(sizeof(Utilization) == 8);

struct Memory {
  unsigned long long total_bytes;
  unsigned long long free_bytes;
  unsigned long long used_bytes;
};
static_assert(sizeof(Memory) == 24);

inline constexpr int kTemperatureGpu = 0;  // nvmlTemperatureSensors_t
inline constexpr int kClockGraphics = 0;   // nvmlClockType_t
inline constexpr int kClockSm = 1;
inline constexpr int kClockMemory = 2;

// nvmlDeviceArchitecture_t.
inline constexpr unsigned kArchVolta = 5;
inline constexpr unsigned kArchTuring = 6;
inline constexpr unsigned kArchAmpere = 7;
inline constexpr unsigned kArchAda = 8;
inline constexpr unsigned kArchHopper = 9;
inline constexpr unsigned kArchBlackwell = 10;
inline constexpr unsigned kArchUnknown = 0xFFFFFFFF;

// nvmlProcessInfo_t as nvmlDeviceGetComputeRunningProcesses_v3 fills it (24 bytes).
struct ProcessInfo {
  unsigned pid;
  unsigned long long used_gpu_memory_bytes;
  unsigned gpu_instance_id;      // 0xFFFFFFFF when the GPU is not in MIG mode
  unsigned compute_instance_id;  // likewise
};
static_assert(sizeof(ProcessInfo) == 24, "nvmlProcessInfo_t (v3) is 24 bytes");

// Function types, one per entry point (see symbol names below).
using InitFn = Return();
using ShutdownFn = Return();
using ErrorStringFn = const char*(Return);
using SystemGetDriverVersionFn = Return(char* buffer, unsigned length);
using DeviceGetCountFn = Return(unsigned* count);
using DeviceGetHandleByIndexFn = Return(unsigned index, Device* device);
using DeviceGetStringFn = Return(Device, char* buffer, unsigned length);  // name, UUID
using DeviceGetMilliwattsFn = Return(Device, unsigned* milliwatts);       // power, limit
using DeviceGetTotalEnergyFn = Return(Device, unsigned long long* millijoules);
using DeviceGetFieldValuesFn = Return(Device, int count, FieldValue* values);
using DeviceGetTemperatureFn = Return(Device, int sensor, unsigned* celsius);
using DeviceGetUtilizationFn = Return(Device, Utilization*);
using DeviceGetMemoryInfoFn = Return(Device, Memory*);
using DeviceGetClockInfoFn = Return(Device, int clock_type, unsigned* mhz);
using DeviceGetClocksReasonsFn = Return(Device, unsigned long long* mask);
using DeviceGetArchitectureFn = Return(Device, unsigned* architecture);
// count in: room in `infos`; out: processes (INSUFFICIENT_SIZE when there are more).
using DeviceGetComputeProcessesFn = Return(Device, unsigned* count, ProcessInfo* infos);
// Settings (power limit in mW, clocks in MHz). The setters need root on real GPUs.
using DeviceGetLimitConstraintsFn = Return(Device, unsigned* min_mw, unsigned* max_mw);
using DeviceSetMilliwattsFn = Return(Device, unsigned milliwatts);
using DeviceSetLockedClocksFn = Return(Device, unsigned min_mhz, unsigned max_mhz);
using DeviceResetFn = Return(Device);
// count in: room in `mhz`; out: clocks listed (INSUFFICIENT_SIZE when there are more).
using DeviceGetSupportedMemoryClocksFn = Return(Device, unsigned* count, unsigned* mhz);
using DeviceGetSupportedGraphicsClocksFn = Return(Device, unsigned memory_mhz, unsigned* count,
                                                  unsigned* mhz);

// Exported symbol names. The _v2 entry points are the current ABI; the bare names are v1.
namespace symbol {
inline constexpr const char* kInit = "nvmlInit_v2";
inline constexpr const char* kShutdown = "nvmlShutdown";
inline constexpr const char* kErrorString = "nvmlErrorString";
inline constexpr const char* kSystemGetDriverVersion = "nvmlSystemGetDriverVersion";
inline constexpr const char* kDeviceGetCount = "nvmlDeviceGetCount_v2";
inline constexpr const char* kDeviceGetHandleByIndex = "nvmlDeviceGetHandleByIndex_v2";
inline constexpr const char* kDeviceGetName = "nvmlDeviceGetName";
inline constexpr const char* kDeviceGetUuid = "nvmlDeviceGetUUID";
inline constexpr const char* kDeviceGetPowerUsage = "nvmlDeviceGetPowerUsage";
inline constexpr const char* kDeviceGetTotalEnergyConsumption =
    "nvmlDeviceGetTotalEnergyConsumption";
inline constexpr const char* kDeviceGetFieldValues = "nvmlDeviceGetFieldValues";
inline constexpr const char* kDeviceGetEnforcedPowerLimit = "nvmlDeviceGetEnforcedPowerLimit";
inline constexpr const char* kDeviceGetTemperature = "nvmlDeviceGetTemperature";
inline constexpr const char* kDeviceGetUtilizationRates = "nvmlDeviceGetUtilizationRates";
inline constexpr const char* kDeviceGetMemoryInfo = "nvmlDeviceGetMemoryInfo";
inline constexpr const char* kDeviceGetClockInfo = "nvmlDeviceGetClockInfo";
inline constexpr const char* kDeviceGetCurrentClocksEventReasons =
    "nvmlDeviceGetCurrentClocksEventReasons";
inline constexpr const char* kDeviceGetCurrentClocksThrottleReasons =
    "nvmlDeviceGetCurrentClocksThrottleReasons";
inline constexpr const char* kDeviceGetArchitecture = "nvmlDeviceGetArchitecture";
inline constexpr const char* kDeviceGetComputeRunningProcesses =
    "nvmlDeviceGetComputeRunningProcesses_v3";
inline constexpr const char* kDeviceGetPowerManagementLimit = "nvmlDeviceGetPowerManagementLimit";
inline constexpr const char* kDeviceSetPowerManagementLimit = "nvmlDeviceSetPowerManagementLimit";
inline constexpr const char* kDeviceGetPowerManagementLimitConstraints =
    "nvmlDeviceGetPowerManagementLimitConstraints";
inline constexpr const char* kDeviceGetPowerManagementDefaultLimit =
    "nvmlDeviceGetPowerManagementDefaultLimit";
inline constexpr const char* kDeviceSetGpuLockedClocks = "nvmlDeviceSetGpuLockedClocks";
inline constexpr const char* kDeviceResetGpuLockedClocks = "nvmlDeviceResetGpuLockedClocks";
inline constexpr const char* kDeviceSetMemoryLockedClocks = "nvmlDeviceSetMemoryLockedClocks";
inline constexpr const char* kDeviceResetMemoryLockedClocks = "nvmlDeviceResetMemoryLockedClocks";
inline constexpr const char* kDeviceGetSupportedMemoryClocks = "nvmlDeviceGetSupportedMemoryClocks";
inline constexpr const char* kDeviceGetSupportedGraphicsClocks =
    "nvmlDeviceGetSupportedGraphicsClocks";
}  // namespace symbol

}  // namespace joulebench::nvml
