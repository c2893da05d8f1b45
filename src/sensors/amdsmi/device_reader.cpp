#include "sensors/amdsmi/device_reader.hpp"

#include <cstring>
#include <limits>
#include <utility>

#include "sensors/vendor_call_log.hpp"

namespace joulebench::amdsmi {
namespace {

constexpr double kMicro = 1e-6;  // µJ -> J
// amdsmi fills a field it cannot read with all ones, of the field's width or of 16 bits
// (the width of the firmware's metrics table, which the 32-bit field copies).
constexpr std::uint32_t kNotAvailable32 = std::numeric_limits<std::uint32_t>::max();
constexpr std::uint32_t kNotAvailable16 = std::numeric_limits<std::uint16_t>::max();
constexpr std::uint8_t kFlagNotSupported = std::numeric_limits<std::uint8_t>::max();

std::optional<double> watts(std::uint32_t value) {
  if (value == kNotAvailable32 || value == kNotAvailable16) return std::nullopt;
  return static_cast<double>(value);
}

bool active(std::uint8_t flag) { return flag != 0 && flag != kFlagNotSupported; }

}  // namespace

PowerWatts decode_power_info(const void* info, PowerLayout layout) {
  PowerWatts power;
  if (layout == PowerLayout::current_first) {
    PowerInfoCurrentFirst fields;
    std::memcpy(&fields, info, sizeof fields);
    power.current_w = watts(fields.current_socket_power_w);
    power.average_w = watts(fields.average_socket_power_w);
  } else if (layout == PowerLayout::socket_power_first) {
    PowerInfoSocketPowerFirst fields;
    std::memcpy(&fields, info, sizeof fields);
    power.current_w = watts(fields.current_socket_power_w);
    power.average_w = watts(fields.average_socket_power_w);
    // The development documentation describes socket_power as the current power and leaves the
    // 32-bit fields undocumented: take it where the current field is not filled.
    if (!power.current_w && fields.socket_power_w <= kNotAvailable32) {
      power.current_w = watts(static_cast<std::uint32_t>(fields.socket_power_w));
    }
  } else if (layout == PowerLayout::average_only) {
    PowerInfoAverageOnly fields;
    std::memcpy(&fields, info, sizeof fields);
    power.average_w = watts(fields.average_socket_power_w);
  }
  return power;
}

std::uint64_t violation_throttle_mask(const ViolationStatus& status) {
  std::uint64_t mask = 0;
  if (active(status.active_ppt_pwr)) mask |= throttle::kSwPowerCap;
  if (active(status.active_socket_thrm) || active(status.active_prochot_thrm) ||
      active(status.active_hbm_thrm)) {
    mask |= throttle::kHwThermal;
  }
  if (active(status.active_vr_thrm)) mask |= throttle::kHwSlowdown;
  return mask;
}

// NOT_FOUND from a device that was there: the GPU is gone.
struct DeviceReader::CallLog : sensors::VendorCallLog<Status, kSuccess, kNotFound> {};

DeviceReader::DeviceReader(const AmdSmiLibrary& library, const ReadPlan& plan,
                           std::string lost_reason)
    : library_(&library), api_(&library.api()), plan_(plan), lost_reason_(std::move(lost_reason)) {}

Reading DeviceReader::read(TimeNs now_ns) {
  Reading reading;
  reading.sample.time_ns = now_ns;
  if (!lost_reason_.empty()) {
    reading.status = ReadStatus::lost;
    reading.error = lost_reason_;
    return reading;
  }
  CallLog log;
  read_energy_and_power(reading.sample, log);
  if (!log.lost()) read_other_metrics(reading.sample, log);
  return finish(std::move(reading), log);
}

void DeviceReader::read_energy_and_power(Sample& sample, CallLog& log) const {
  if (plan_.energy) {
    std::uint64_t accumulator = 0;
    float resolution_uj = 0;
    std::uint64_t timestamp_ns = 0;
    if (log.ok(api_->get_energy_count(plan_.handle, &accumulator, &resolution_uj, &timestamp_ns),
               symbol::kGetEnergyCount)) {
      sample.energy_counter_j = static_cast<double>(accumulator) * resolution_uj * kMicro;
    }
  }
  if (plan_.power == PowerField::none || log.lost()) return;
  Padded<PowerInfoCurrentFirst> info;
  if (!log.ok(api_->get_power_info(plan_.handle, &info.value), symbol::kGetPowerInfo)) return;
  const PowerWatts power = decode_power_info(&info.value, plan_.layout);
  sample.power_w = plan_.power == PowerField::current ? power.current_w : power.average_w;
}

void DeviceReader::read_other_metrics(Sample& sample, CallLog& log) const {
  const ProcessorHandle handle = plan_.handle;
  if (plan_.temperature) {
    std::int64_t celsius = 0;
    if (log.ok(api_->get_temp_metric(handle, kTemperatureHotspot, kTemperatureCurrent, &celsius),
               symbol::kGetTempMetric)) {
      sample.temperature_c = static_cast<double>(celsius);
    }
  }
  if (plan_.activity && !log.lost()) {
    Padded<EngineUsage> usage;
    if (log.ok(api_->get_gpu_activity(handle, &usage.value), symbol::kGetGpuActivity) &&
        usage.value.gfx_activity != kNotAvailable32 &&
        usage.value.gfx_activity != kNotAvailable16) {
      sample.gpu_utilization_pct = usage.value.gfx_activity;
    }
  }
  if (plan_.memory && !log.lost()) {
    std::uint64_t used = 0;
    if (log.ok(api_->get_memory_usage(handle, kMemoryVram, &used), symbol::kGetMemoryUsage)) {
      sample.memory_used_bytes = used;
    }
  }
  if (plan_.clock && !log.lost()) {
    Padded<ClockInfo> clock;
    if (log.ok(api_->get_clock_info(handle, kClockGfx, &clock.value), symbol::kGetClockInfo)) {
      sample.sm_clock_mhz = clock.value.clk;
    }
  }
  if (plan_.violation && !log.lost()) {
    Padded<ViolationStatus> status;
    if (log.ok(api_->get_violation_status(handle, &status.value), symbol::kGetViolationStatus)) {
      sample.throttle_mask = violation_throttle_mask(status.value);
    }
  }
}

Reading DeviceReader::finish(Reading reading, const CallLog& log) {
  if (log.lost()) {
    lost_reason_ =
        std::string(log.lost_symbol) + ": " + library_->describe(kNotFound) + " (the GPU is gone)";
    reading.status = ReadStatus::lost;
    reading.error = lost_reason_;
    reading.sample = Sample{reading.sample.time_ns};
  } else if (!log.any_success && log.failed_symbol != nullptr) {
    reading.status = ReadStatus::failed;
    reading.error = std::string(log.failed_symbol) + ": " + library_->describe(log.failed_code);
  }
  return reading;
}

}  // namespace joulebench::amdsmi
