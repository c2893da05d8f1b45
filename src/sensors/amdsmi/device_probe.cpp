// probe_device: one call of each entry point per GPU at open, turned into capabilities.
#include <cmath>
#include <utility>

#include "sensors/amdsmi/device_reader.hpp"

namespace joulebench::amdsmi {
namespace {

constexpr double kMicro = 1e-6;
constexpr Metric kAllMetrics[] = {
    Metric::power,    Metric::energy_counter, Metric::temperature,  Metric::gpu_utilization,
    Metric::sm_clock, Metric::memory_used,    Metric::throttle_mask};

// Makes one probing call and turns its status into a Capability; remembers NOT_FOUND.
class Prober {
 public:
  Prober(const AmdSmiLibrary& library, ProcessorHandle handle)
      : library_(library), handle_(handle) {}

  template <class Fn, class... Args>
  Capability call(Fn* function, const char* symbol, Args... args) {
    if (function == nullptr) return {false, library_.not_exported(symbol)};
    const Status status = function(handle_, args...);
    if (status == kSuccess) return {true, {}};
    std::string reason = std::string(symbol) + ": " + library_.describe(status);
    if (status == kNotFound && lost_reason_.empty()) lost_reason_ = reason;
    return {false, std::move(reason)};
  }

  const AmdSmiLibrary& library() const { return library_; }
  const FunctionTable& api() const { return library_.api(); }
  const std::string& lost_reason() const { return lost_reason_; }

 private:
  const AmdSmiLibrary& library_;
  ProcessorHandle handle_;
  std::string lost_reason_;
};

void probe_name(Prober& prober, ProbedDevice& device) {
  Padded<AsicInfo> padded;
  AsicInfo& asic = padded.value;
  if (prober.call(prober.api().get_asic_info, symbol::kGetAsicInfo, &asic).supported) {
    asic.market_name[sizeof asic.market_name - 1] = '\0';
    device.info.name = asic.market_name;
  }
  if (device.info.name.empty()) device.info.name = "AMD GPU";
}

// " (CPX partition)": a partitioned GPU's devices are partitions, and say so; "" for a whole
// GPU (SPX, or a library that does not report partitions).
std::string partition_suffix(const std::string& partition) {
  if (partition.empty() || partition == "SPX") return {};
  return " (" + partition + " partition)";
}

void probe_energy(Prober& prober, ProbedDevice& device) {
  std::uint64_t accumulator = 0;
  float resolution_uj = 0;
  std::uint64_t timestamp_ns = 0;
  auto& capability = device.info.capabilities[Metric::energy_counter];
  capability = prober.call(prober.api().get_energy_count, symbol::kGetEnergyCount, &accumulator,
                           &resolution_uj, &timestamp_ns);
  if (capability.supported && !(resolution_uj > 0)) {
    capability = {false, std::string(symbol::kGetEnergyCount) + ": no counter resolution"};
  }
  device.plan.energy = capability.supported;
  if (!capability.supported) return;
  // The accumulator is a 64-bit count of resolution-sized steps: it wraps after 2^64 steps.
  device.info.counter_max_j = std::ldexp(1.0, 64) * resolution_uj * kMicro;
  capability.reason = std::string(symbol::kGetEnergyCount) + ": accumulator x " +
                      std::to_string(resolution_uj) + " uJ";
}

std::string layout_unknown_reason(const AmdSmiLibrary& library) {
  const std::string version =
      library.version_text().empty() ? "of unknown version" : library.version_text();
  return std::string(symbol::kGetPowerInfo) + " not called: amdsmi_power_info_t's layout in " +
         "library " + version + " is not one joulebench knows (23.x and later)";
}

void probe_power(Prober& prober, ProbedDevice& device) {
  auto& capability = device.info.capabilities[Metric::power];
  const PowerLayout layout = prober.library().power_layout();
  if (layout == PowerLayout::unknown && prober.api().get_power_info != nullptr) {
    capability = {false, layout_unknown_reason(prober.library())};
    return;
  }
  Padded<PowerInfoCurrentFirst> info;
  capability = prober.call(prober.api().get_power_info, symbol::kGetPowerInfo,
                           static_cast<void*>(&info.value));
  if (!capability.supported) return;
  const PowerWatts power = decode_power_info(&info.value, layout);
  device.plan.layout = layout;
  if (power.current_w) {
    device.plan.power = PowerField::current;
    device.info.power_kind = PowerKind::instantaneous;
    capability.reason = "current_socket_power of amdsmi_get_power_info (socket power, W)";
  } else if (power.average_w) {
    device.plan.power = PowerField::average;
    device.info.power_kind = PowerKind::unknown;
    capability.reason =
        "average_socket_power of amdsmi_get_power_info: averaged by the firmware over a window "
        "AMD does not document";
  } else {
    capability = {false, std::string(symbol::kGetPowerInfo) + ": socket power not available"};
  }
}

void probe_shared_domain(ProbedDevice& device) {
  const std::string reason =
      "compute partition of a GPU whose socket power and energy are one domain, reported on "
      "the socket's first partition";
  device.info.capabilities[Metric::power] = {false, reason};
  device.info.capabilities[Metric::energy_counter] = {false, reason};
}

void probe_other_metrics(Prober& prober, ProbedDevice& device) {
  const FunctionTable& api = prober.api();
  auto& capabilities = device.info.capabilities;
  ReadPlan& plan = device.plan;
  std::int64_t celsius = 0;
  capabilities[Metric::temperature] =
      prober.call(api.get_temp_metric, symbol::kGetTempMetric, kTemperatureHotspot,
                  kTemperatureCurrent, &celsius);
  if (capabilities[Metric::temperature].supported) {
    capabilities[Metric::temperature].reason = "hotspot (junction) temperature";
  }
  plan.temperature = capabilities[Metric::temperature].supported;
  Padded<EngineUsage> usage;
  capabilities[Metric::gpu_utilization] =
      prober.call(api.get_gpu_activity, symbol::kGetGpuActivity, &usage.value);
  plan.activity = capabilities[Metric::gpu_utilization].supported;
  std::uint64_t used = 0;
  capabilities[Metric::memory_used] =
      prober.call(api.get_memory_usage, symbol::kGetMemoryUsage, kMemoryVram, &used);
  plan.memory = capabilities[Metric::memory_used].supported;
  Padded<ClockInfo> clock;
  capabilities[Metric::sm_clock] =
      prober.call(api.get_clock_info, symbol::kGetClockInfo, kClockGfx, &clock.value);
  if (capabilities[Metric::sm_clock].supported) capabilities[Metric::sm_clock].reason = "GFX clock";
  plan.clock = capabilities[Metric::sm_clock].supported;
  Padded<ViolationStatus> violation;
  capabilities[Metric::throttle_mask] =
      prober.call(api.get_violation_status, symbol::kGetViolationStatus, &violation.value);
  plan.violation = capabilities[Metric::throttle_mask].supported;
}

ProbedDevice unusable_device(ProbedDevice device, const std::string& reason) {
  for (Metric metric : kAllMetrics) device.info.capabilities[metric] = {false, reason};
  device.plan = ReadPlan{};
  device.lost_reason = reason;
  return device;
}

}  // namespace

ProbedDevice probe_device(const AmdSmiLibrary& library, const Processor& processor,
                          std::size_t index, const std::string& driver_version) {
  ProbedDevice device;
  device.info.id = "amdsmi:" + std::to_string(index);
  device.info.sensor = "amdsmi";
  device.info.vendor = "AMD";
  device.info.uuid = processor.uuid;
  device.info.driver_version = driver_version;
  device.plan.handle = processor.handle;
  Prober prober(library, processor.handle);
  probe_name(prober, device);
  device.info.name += partition_suffix(processor.partition);
  if (processor.shares_power_domain) {
    probe_shared_domain(device);
  } else {
    probe_energy(prober, device);
    probe_power(prober, device);
  }
  probe_other_metrics(prober, device);
  if (!prober.lost_reason().empty())
    return unusable_device(std::move(device), prober.lost_reason());
  return device;
}

}  // namespace joulebench::amdsmi
