// The NVML side of power-limit and clock sweeps: what each GPU allows and has, and the calls
// that change and reset its settings. Every refusal keeps NVML's code, so the caller can say
// "needs root" for NO_PERMISSION and "not supported" for NOT_SUPPORTED or a missing symbol.
// Thread-safety: one thread (the sweep's).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "joulebench/error.hpp"
#include "sensors/nvml/nvml_library.hpp"
#include "workloads/gpu_settings/restore_journal.hpp"
#include "workloads/gpu_settings/setting_plan.hpp"
#include "workloads/gpu_settings/sweep_answers.hpp"

namespace joulebench::gpu_settings {

// A refused NVML call: the code (nvml::kFunctionNotFound for a missing symbol) and the line.
struct Refusal {
  nvml::Return code = nvml::kSuccess;
  std::string message;  // "GPU 0 (NVIDIA H100): nvmlDeviceSetPowerManagementLimit: ..."
};

class GpuControl {
 public:
  // Opens NVML as the sensor does ($JOULEBENCH_NVML_LIBRARY, else the driver's library).
  static Expected<std::unique_ptr<GpuControl>> open();

  std::size_t device_count() const;
  // UUID of each NVML index ("" when NVML cannot tell), for --gpus / CUDA_VISIBLE_DEVICES.
  std::vector<std::string> uuids() const;
  std::optional<unsigned> index_of(const std::string& uuid) const;

  GpuConstraints constraints(unsigned index) const;

  // Setting the limit that is in force already: changes nothing, but tells whether this
  // process may change it (NO_PERMISSION without root).
  std::optional<Refusal> probe_power_permission(unsigned index) const;

  std::optional<Refusal> set_power_limit(unsigned index, unsigned milliwatts) const;
  std::optional<Refusal> lock_gpu_clocks(unsigned index, unsigned mhz) const;
  std::optional<Refusal> reset_gpu_clocks(unsigned index) const;
  std::optional<Refusal> lock_memory_clocks(unsigned index, unsigned mhz) const;
  std::optional<Refusal> reset_memory_clocks(unsigned index) const;

  // Applies one setting to one GPU; `defaults` gives the default limit for "default".
  std::optional<Refusal> apply(unsigned index, const Setting& setting,
                               const GpuConstraints& defaults) const;
  // Puts one journaled GPU back; every step is tried, the refusals are returned.
  std::vector<Refusal> restore(const JournalGpu& gpu) const;

  // What the GPU reports now (limit, graphics clock, power).
  ReadBack read_back(unsigned index) const;

 private:
  explicit GpuControl(std::unique_ptr<nvml::NvmlLibrary> library);
  nvml::Device handle(unsigned index) const;
  std::optional<Refusal> check(nvml::Return code, unsigned index, const char* symbol) const;

  std::unique_ptr<nvml::NvmlLibrary> library_;
};

// One line naming what is needed: "changing GPU settings needs root: run as root (sudo ...)"
// for NO_PERMISSION; the refusal's own message otherwise.
std::string explain(const Refusal& refusal);

}  // namespace joulebench::gpu_settings
