#include "workloads/gpu_settings/gpu_control.hpp"

#include <fmt/format.h>

#include "platform/files.hpp"

namespace joulebench::gpu_settings {
namespace {

std::string text_of(nvml::Device device, nvml::DeviceGetStringFn* fn) {
  if (fn == nullptr || device == nullptr) return "";
  char buffer[nvml::kDeviceUuidBufferSize] = {};
  return fn(device, buffer, sizeof buffer) == nvml::kSuccess ? std::string(buffer) : "";
}

// NVML's list convention: ask with room for many; INSUFFICIENT_SIZE means a longer list.
std::vector<unsigned> clock_list(unsigned* count, std::vector<unsigned>& room, nvml::Return code) {
  if (code != nvml::kSuccess) return {};
  room.resize(*count);
  return room;
}

}  // namespace

GpuControl::GpuControl(std::unique_ptr<nvml::NvmlLibrary> library) : library_(std::move(library)) {}

Expected<std::unique_ptr<GpuControl>> GpuControl::open() {
  auto library = nvml::NvmlLibrary::open(
      nvml::library_candidates(std::nullopt, platform::env("JOULEBENCH_NVML_LIBRARY")));
  if (!library) return library.error();
  return std::unique_ptr<GpuControl>(new GpuControl(std::move(*library)));
}

std::size_t GpuControl::device_count() const {
  unsigned count = 0;
  return library_->api().device_get_count(&count) == nvml::kSuccess ? count : 0;
}

nvml::Device GpuControl::handle(unsigned index) const {
  nvml::Device device = nullptr;
  if (library_->api().device_get_handle_by_index(index, &device) != nvml::kSuccess) return nullptr;
  return device;
}

std::vector<std::string> GpuControl::uuids() const {
  std::vector<std::string> out;
  for (unsigned i = 0; i < device_count(); ++i)
    out.push_back(text_of(handle(i), library_->api().device_get_uuid));
  return out;
}

std::optional<unsigned> GpuControl::index_of(const std::string& uuid) const {
  const auto all = uuids();
  for (unsigned i = 0; i < all.size(); ++i) {
    if (all[i] == uuid) return i;
  }
  return std::nullopt;
}

std::optional<Refusal> GpuControl::check(nvml::Return code, unsigned index,
                                         const char* symbol) const {
  if (code == nvml::kSuccess) return std::nullopt;
  const std::string name = text_of(handle(index), library_->api().device_get_name);
  return Refusal{code,
                 fmt::format("GPU {} ({}): {}: {}", index, name, symbol, library_->describe(code))};
}

GpuConstraints GpuControl::constraints(unsigned index) const {
  const auto& api = library_->api();
  const nvml::Device device = handle(index);
  GpuConstraints gpu;
  gpu.index = index;
  gpu.uuid = text_of(device, api.device_get_uuid);
  gpu.name = text_of(device, api.device_get_name);
  unsigned min_mw = 0, max_mw = 0, mw = 0;
  if (api.device_set_power_management_limit == nullptr ||
      api.device_get_power_management_limit_constraints == nullptr) {
    gpu.power_limit_unsupported =
        "nvmlDeviceSetPowerManagementLimit or its constraints are not "
        "exported by " +
        library_->path();
  } else if (auto code =
                 api.device_get_power_management_limit_constraints(device, &min_mw, &max_mw);
             code != nvml::kSuccess) {
    gpu.power_limit_unsupported = library_->describe(code);
  } else {
    gpu.power_limit_min_mw = min_mw;
    gpu.power_limit_max_mw = max_mw;
  }
  if (api.device_get_power_management_default_limit &&
      api.device_get_power_management_default_limit(device, &mw) == nvml::kSuccess)
    gpu.power_limit_default_mw = mw;
  if (api.device_get_power_management_limit &&
      api.device_get_power_management_limit(device, &mw) == nvml::kSuccess)
    gpu.power_limit_mw = mw;

  std::vector<unsigned> memory(64);
  unsigned count = static_cast<unsigned>(memory.size());
  if (api.device_get_supported_memory_clocks == nullptr ||
      api.device_set_memory_locked_clocks == nullptr) {
    gpu.memory_clocks_unsupported = "memory clock locking is not exported by " + library_->path();
  } else if (auto code = api.device_get_supported_memory_clocks(device, &count, memory.data());
             code != nvml::kSuccess) {
    gpu.memory_clocks_unsupported = library_->describe(code);
  } else {
    gpu.memory_clocks_mhz = clock_list(&count, memory, code);
  }
  if (api.device_get_supported_graphics_clocks == nullptr ||
      api.device_set_gpu_locked_clocks == nullptr) {
    gpu.gpu_clocks_unsupported = "graphics clock locking is not exported by " + library_->path();
  } else if (gpu.memory_clocks_mhz.empty()) {
    gpu.gpu_clocks_unsupported =
        "the supported clocks are unknown (" +
        (gpu.memory_clocks_unsupported.empty() ? std::string("no memory clocks")
                                               : gpu.memory_clocks_unsupported) +
        ")";
  } else {
    // The graphics clocks supported at the highest memory clock: the ones a sweep uses.
    std::vector<unsigned> graphics(512);
    unsigned graphics_count = static_cast<unsigned>(graphics.size());
    const auto code = api.device_get_supported_graphics_clocks(
        device, gpu.memory_clocks_mhz.front(), &graphics_count, graphics.data());
    if (code != nvml::kSuccess) {
      gpu.gpu_clocks_unsupported = library_->describe(code);
    } else {
      gpu.graphics_clocks_mhz = clock_list(&graphics_count, graphics, code);
    }
  }
  return gpu;
}

std::optional<Refusal> GpuControl::probe_power_permission(unsigned index) const {
  const auto& api = library_->api();
  unsigned mw = 0;
  if (api.device_get_power_management_limit == nullptr ||
      api.device_set_power_management_limit == nullptr)
    return Refusal{nvml::kFunctionNotFound,
                   "the power limit cannot be read or set by " + library_->path()};
  if (auto refused = check(api.device_get_power_management_limit(handle(index), &mw), index,
                           nvml::symbol::kDeviceGetPowerManagementLimit))
    return refused;
  return set_power_limit(index, mw);
}

std::optional<Refusal> GpuControl::set_power_limit(unsigned index, unsigned milliwatts) const {
  auto* fn = library_->api().device_set_power_management_limit;
  if (fn == nullptr)
    return Refusal{nvml::kFunctionNotFound,
                   library_->not_exported(nvml::symbol::kDeviceSetPowerManagementLimit)};
  return check(fn(handle(index), milliwatts), index, nvml::symbol::kDeviceSetPowerManagementLimit);
}

std::optional<Refusal> GpuControl::lock_gpu_clocks(unsigned index, unsigned mhz) const {
  auto* fn = library_->api().device_set_gpu_locked_clocks;
  if (fn == nullptr)
    return Refusal{nvml::kFunctionNotFound,
                   library_->not_exported(nvml::symbol::kDeviceSetGpuLockedClocks)};
  // min = max, as `nvidia-smi -lgc 1200` does: the clock is pinned, not merely capped.
  return check(fn(handle(index), mhz, mhz), index, nvml::symbol::kDeviceSetGpuLockedClocks);
}

std::optional<Refusal> GpuControl::reset_gpu_clocks(unsigned index) const {
  auto* fn = library_->api().device_reset_gpu_locked_clocks;
  if (fn == nullptr)
    return Refusal{nvml::kFunctionNotFound,
                   library_->not_exported(nvml::symbol::kDeviceResetGpuLockedClocks)};
  return check(fn(handle(index)), index, nvml::symbol::kDeviceResetGpuLockedClocks);
}

std::optional<Refusal> GpuControl::lock_memory_clocks(unsigned index, unsigned mhz) const {
  auto* fn = library_->api().device_set_memory_locked_clocks;
  if (fn == nullptr)
    return Refusal{nvml::kFunctionNotFound,
                   library_->not_exported(nvml::symbol::kDeviceSetMemoryLockedClocks)};
  return check(fn(handle(index), mhz, mhz), index, nvml::symbol::kDeviceSetMemoryLockedClocks);
}

std::optional<Refusal> GpuControl::reset_memory_clocks(unsigned index) const {
  auto* fn = library_->api().device_reset_memory_locked_clocks;
  if (fn == nullptr)
    return Refusal{nvml::kFunctionNotFound,
                   library_->not_exported(nvml::symbol::kDeviceResetMemoryLockedClocks)};
  return check(fn(handle(index)), index, nvml::symbol::kDeviceResetMemoryLockedClocks);
}

std::optional<Refusal> GpuControl::apply(unsigned index, const Setting& setting,
                                         const GpuConstraints& defaults) const {
  if (setting.power_limit) {
    const auto& limit = setting.power_limit->value;
    const auto mw =
        limit ? std::optional<unsigned>(*limit * 1000U) : defaults.power_limit_default_mw;
    if (!mw)
      return Refusal{nvml::kNotSupported,
                     fmt::format("GPU {}: the default power limit is unknown", index)};
    if (auto refused = set_power_limit(index, *mw)) return refused;
  }
  if (setting.gpu_clock) {
    const auto& mhz = setting.gpu_clock->value;
    if (auto refused = mhz ? lock_gpu_clocks(index, *mhz) : reset_gpu_clocks(index)) return refused;
  }
  if (setting.memory_clock) {
    const auto& mhz = setting.memory_clock->value;
    if (auto refused = mhz ? lock_memory_clocks(index, *mhz) : reset_memory_clocks(index))
      return refused;
  }
  return std::nullopt;
}

std::vector<Refusal> GpuControl::restore(const JournalGpu& gpu) const {
  std::vector<Refusal> refusals;
  const auto index = index_of(gpu.uuid);
  if (!index) {
    refusals.push_back({nvml::kNotFound, "no GPU with UUID " + gpu.uuid + " is present"});
    return refusals;
  }
  if (gpu.power_limit_mw) {
    if (auto refused = set_power_limit(*index, *gpu.power_limit_mw)) refusals.push_back(*refused);
  }
  if (gpu.reset_gpu_clocks) {
    if (auto refused = reset_gpu_clocks(*index)) refusals.push_back(*refused);
  }
  if (gpu.reset_memory_clocks) {
    if (auto refused = reset_memory_clocks(*index)) refusals.push_back(*refused);
  }
  return refusals;
}

ReadBack GpuControl::read_back(unsigned index) const {
  const auto& api = library_->api();
  const nvml::Device device = handle(index);
  ReadBack out;
  out.index = index;
  out.uuid = text_of(device, api.device_get_uuid);
  unsigned value = 0;
  if (api.device_get_power_management_limit &&
      api.device_get_power_management_limit(device, &value) == nvml::kSuccess)
    out.power_limit_w = value / 1e3;
  if (api.device_get_clock_info &&
      api.device_get_clock_info(device, nvml::kClockGraphics, &value) == nvml::kSuccess)
    out.graphics_clock_mhz = value;
  if (api.device_get_power_usage && api.device_get_power_usage(device, &value) == nvml::kSuccess)
    out.power_w = value / 1e3;
  return out;
}

std::string explain(const Refusal& refusal) {
  if (refusal.code == nvml::kNoPermission) {
    return "changing GPU power limits and clocks needs root (NVML NO_PERMISSION: " +
           refusal.message + "): run joulebench as root, e.g. with sudo; nothing was changed";
  }
  if (refusal.code == nvml::kNotSupported || refusal.code == nvml::kFunctionNotFound)
    return "not supported: " + refusal.message;
  return refusal.message;
}

}  // namespace joulebench::gpu_settings
