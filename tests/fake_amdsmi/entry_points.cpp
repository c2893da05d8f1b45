// The fake amdsmi's C entry points over a Scenario (see README.md). Built twice: complete,
// and with JB_FAKE_AMDSMI_MINIMAL (only init, shut-down, listing, name, UUID, BDF and the
// energy counter exported), for the "symbol not exported" paths.
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <mutex>

#include "scenario.hpp"
#include "sensors/amdsmi/amdsmi_api.hpp"

#define JB_FAKE_AMDSMI_API extern "C" __attribute__((visibility("default")))

namespace {

using namespace joulebench::amdsmi;
using joulebench::fake_amdsmi::FakeProcessor;
using joulebench::fake_amdsmi::Scenario;

struct ProcessorState {
  FakeProcessor fake;
  unsigned energy_reads = 0;
  bool lost = false;
};

struct Runtime {
  std::mutex mutex;
  bool initialised = false;
  Scenario scenario;
  std::vector<std::vector<ProcessorState>> sockets;  // stable addresses after init
  std::chrono::steady_clock::time_point start;
  std::string error;
};

Runtime& runtime() {
  static Runtime instance;
  return instance;
}

ProcessorState* state(ProcessorHandle handle) { return static_cast<ProcessorState*>(handle); }

// NOT_FOUND once the GPU is lost; NOT_SUPPORTED when the scenario marks `field` missing.
Status check(ProcessorHandle handle, const char* field) {
  if (handle == nullptr || !runtime().initialised) return kInvalid;
  if (state(handle)->lost) return kNotFound;
  return state(handle)->fake.missing.contains(field) ? kNotSupported : kSuccess;
}

void copy_text(char* out, std::size_t size, const std::string& text) {
  std::strncpy(out, text.c_str(), size - 1);
  out[size - 1] = '\0';
}

std::uint64_t bdf_bits(const std::string& text) {
  unsigned domain = 0, bus = 0, device = 0, function = 0;
  std::sscanf(text.c_str(), "%x:%x:%x.%x", &domain, &bus, &device, &function);
  return (std::uint64_t{domain} << 16) | (bus << 8) | (device << 3) | function;
}

[[maybe_unused]] std::uint32_t watts_or_na(double watts, bool missing) {
  return missing ? 0xFFFF : static_cast<std::uint32_t>(std::lround(watts));
}

}  // namespace

JB_FAKE_AMDSMI_API Status amdsmi_init(std::uint64_t flags) {
  Runtime& rt = runtime();
  std::lock_guard lock(rt.mutex);
  if ((flags & kInitAmdGpus) == 0) return kInvalid;
  const char* path = std::getenv("JOULEBENCH_FAKE_AMDSMI_SCENARIO");
  auto scenario = joulebench::fake_amdsmi::load_scenario(path == nullptr ? "" : path);
  if (!scenario) {
    rt.error = scenario.error().message;
    return kUnknownError;
  }
  if (scenario->init_status != kSuccess) return scenario->init_status;
  rt.scenario = std::move(*scenario);
  rt.sockets.clear();
  for (const auto& socket : rt.scenario.sockets) {
    std::vector<ProcessorState> states;
    for (const auto& processor : socket.processors) states.push_back({processor});
    rt.sockets.push_back(std::move(states));
  }
  rt.start = std::chrono::steady_clock::now();
  rt.initialised = true;
  return kSuccess;
}

JB_FAKE_AMDSMI_API Status amdsmi_shut_down() {
  runtime().initialised = false;
  return kSuccess;
}

JB_FAKE_AMDSMI_API Status amdsmi_get_socket_handles(std::uint32_t* count, SocketHandle* handles) {
  Runtime& rt = runtime();
  if (!rt.initialised) return kNotInitialized;
  if (count == nullptr) return kInvalid;
  if (handles == nullptr) {
    *count = static_cast<std::uint32_t>(rt.sockets.size());
    return kSuccess;
  }
  const std::size_t n = std::min<std::size_t>(*count, rt.sockets.size());
  for (std::size_t i = 0; i < n; ++i) handles[i] = &rt.sockets[i];
  *count = static_cast<std::uint32_t>(n);
  return kSuccess;
}

JB_FAKE_AMDSMI_API Status amdsmi_get_processor_handles(SocketHandle socket, std::uint32_t* count,
                                                       ProcessorHandle* handles) {
  if (socket == nullptr || count == nullptr) return kInvalid;
  auto& states = *static_cast<std::vector<ProcessorState>*>(socket);
  if (handles == nullptr) {
    *count = static_cast<std::uint32_t>(states.size());
    return kSuccess;
  }
  const std::size_t n = std::min<std::size_t>(*count, states.size());
  for (std::size_t i = 0; i < n; ++i) handles[i] = &states[i];
  *count = static_cast<std::uint32_t>(n);
  return kSuccess;
}

JB_FAKE_AMDSMI_API Status amdsmi_get_gpu_asic_info(ProcessorHandle handle, AsicInfo* info) {
  if (const Status status = check(handle, "name"); status != kSuccess) return status;
  *info = AsicInfo{};
  copy_text(info->market_name, sizeof info->market_name, state(handle)->fake.name);
  info->vendor_id = 0x1002;
  return kSuccess;
}

JB_FAKE_AMDSMI_API Status amdsmi_get_gpu_device_uuid(ProcessorHandle handle, unsigned* length,
                                                     char* uuid) {
  if (const Status status = check(handle, "uuid"); status != kSuccess) return status;
  if (length == nullptr || uuid == nullptr || *length < kGpuUuidSize) return kInvalid;
  copy_text(uuid, *length, state(handle)->fake.uuid);
  *length = static_cast<unsigned>(std::strlen(uuid));
  return kSuccess;
}

JB_FAKE_AMDSMI_API Status amdsmi_get_gpu_device_bdf(ProcessorHandle handle, Bdf* bdf) {
  if (const Status status = check(handle, "bdf"); status != kSuccess) return status;
  bdf->as_uint = bdf_bits(state(handle)->fake.bdf);
  return kSuccess;
}

JB_FAKE_AMDSMI_API Status amdsmi_get_energy_count(ProcessorHandle handle,
                                                  std::uint64_t* accumulator, float* resolution_uj,
                                                  std::uint64_t* timestamp_ns) {
  if (handle == nullptr || !runtime().initialised) return kInvalid;
  ProcessorState& gpu = *state(handle);
  if (gpu.fake.lost_after_energy_reads && gpu.energy_reads >= *gpu.fake.lost_after_energy_reads) {
    gpu.lost = true;
  }
  if (const Status status = check(handle, "energy"); status != kSuccess) return status;
  ++gpu.energy_reads;
  const double elapsed_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - runtime().start).count();
  const double energy_j = gpu.fake.energy_per_read_j
                              ? *gpu.fake.energy_per_read_j * (gpu.energy_reads - 1)
                              : gpu.fake.power_w * elapsed_s;
  // Unsigned arithmetic wraps at 2^64, as the real accumulator does.
  const auto steps = static_cast<std::uint64_t>(energy_j / (gpu.fake.resolution_uj * 1e-6));
  *accumulator = gpu.fake.energy_start + steps;
  *resolution_uj = static_cast<float>(gpu.fake.resolution_uj);
  *timestamp_ns = static_cast<std::uint64_t>(elapsed_s * 1e9);
  return kSuccess;
}

#ifndef JB_FAKE_AMDSMI_MINIMAL

JB_FAKE_AMDSMI_API Status amdsmi_status_code_to_string(Status status, const char** text) {
  if (text == nullptr) return kInvalid;
  switch (status) {
    case kSuccess:
      *text = "Success";
      break;
    case kNotSupported:
      *text = "Feature not supported";
      break;
    case kNotFound:
      *text = "Device not found";
      break;
    case kDriverNotLoaded:
      *text = "Driver not loaded";
      break;
    case kUnknownError:
      *text = runtime().error.empty() ? "Unknown error" : runtime().error.c_str();
      break;
    default:
      *text = "An unknown error occurred";
      break;
  }
  return kSuccess;
}

JB_FAKE_AMDSMI_API Status amdsmi_get_lib_version(Version* version) {
  const Scenario& scenario = runtime().scenario;
  if (!scenario.version_reported) return kNotSupported;
  *version = {scenario.version_year, scenario.version_major, scenario.version_minor, 0, "fake"};
  return kSuccess;
}

JB_FAKE_AMDSMI_API Status amdsmi_get_gpu_driver_info(ProcessorHandle handle, DriverInfo* info) {
  if (const Status status = check(handle, "name"); status != kSuccess) return status;
  *info = DriverInfo{};
  copy_text(info->driver_version, sizeof info->driver_version, runtime().scenario.driver_version);
  copy_text(info->driver_name, sizeof info->driver_name, "amdgpu");
  return kSuccess;
}

JB_FAKE_AMDSMI_API Status amdsmi_get_gpu_compute_partition(ProcessorHandle handle, char* text,
                                                           std::uint32_t length) {
  if (const Status status = check(handle, "partition"); status != kSuccess) return status;
  if (text == nullptr || length == 0) return kInvalid;
  copy_text(text, length, state(handle)->fake.partition);
  return kSuccess;
}

// Writes the layout of the scenario's library version, as the real library does.
JB_FAKE_AMDSMI_API Status amdsmi_get_power_info(ProcessorHandle handle, void* info) {
  if (const Status status = check(handle, "power"); status != kSuccess) return status;
  const FakeProcessor& gpu = state(handle)->fake;
  const Scenario& scenario = runtime().scenario;
  const std::uint32_t average =
      watts_or_na(gpu.average_power_w, gpu.missing.contains("average_power"));
  const std::uint32_t current = watts_or_na(gpu.power_w, gpu.missing.contains("current_power"));
  const PowerLayout layout = power_layout(scenario.version_year, scenario.version_major);
  if (layout == PowerLayout::average_only) {
    PowerInfoAverageOnly fields = {};
    fields.average_socket_power_w = average;
    std::memcpy(info, &fields, sizeof fields);
  } else if (layout == PowerLayout::socket_power_first) {
    PowerInfoSocketPowerFirst fields = {};
    fields.socket_power_w = watts_or_na(gpu.power_w, gpu.missing.contains("socket_power"));
    fields.current_socket_power_w = current;
    fields.average_socket_power_w = average;
    std::memcpy(info, &fields, sizeof fields);
  } else {
    PowerInfoCurrentFirst fields = {};
    fields.current_socket_power_w = current;
    fields.average_socket_power_w = average;
    std::memcpy(info, &fields, sizeof fields);
  }
  return kSuccess;
}

JB_FAKE_AMDSMI_API Status amdsmi_get_temp_metric(ProcessorHandle handle, int sensor, int metric,
                                                 std::int64_t* celsius) {
  if (const Status status = check(handle, "temperature"); status != kSuccess) return status;
  if (sensor != kTemperatureHotspot || metric != kTemperatureCurrent) return kNotSupported;
  *celsius = static_cast<std::int64_t>(state(handle)->fake.temperature_c);
  return kSuccess;
}

JB_FAKE_AMDSMI_API Status amdsmi_get_gpu_activity(ProcessorHandle handle, EngineUsage* usage) {
  if (const Status status = check(handle, "activity"); status != kSuccess) return status;
  *usage = EngineUsage{};
  usage->gfx_activity = state(handle)->fake.activity_pct;
  return kSuccess;
}

JB_FAKE_AMDSMI_API Status amdsmi_get_gpu_memory_usage(ProcessorHandle handle, int type,
                                                      std::uint64_t* used) {
  if (const Status status = check(handle, "memory"); status != kSuccess) return status;
  if (type != kMemoryVram) return kNotSupported;
  *used = state(handle)->fake.memory_used_bytes;
  return kSuccess;
}

JB_FAKE_AMDSMI_API Status amdsmi_get_clock_info(ProcessorHandle handle, int type, ClockInfo* info) {
  if (const Status status = check(handle, "clock"); status != kSuccess) return status;
  if (type != kClockGfx) return kNotSupported;
  *info = ClockInfo{};
  info->clk = state(handle)->fake.gfx_clock_mhz;
  return kSuccess;
}

JB_FAKE_AMDSMI_API Status amdsmi_get_violation_status(ProcessorHandle handle,
                                                      ViolationStatus* info) {
  if (const Status status = check(handle, "violation"); status != kSuccess) return status;
  std::memset(info, 0, sizeof *info);
  const FakeProcessor& gpu = state(handle)->fake;
  info->active_ppt_pwr = gpu.violation_ppt ? 1 : 0;
  info->active_socket_thrm = gpu.violation_thermal ? 1 : 0;
  info->active_prochot_thrm = 0xFF;  // not supported, as on parts without it
  return kSuccess;
}

#endif  // JB_FAKE_AMDSMI_MINIMAL
