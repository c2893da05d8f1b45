#include "sensors/nvml/device_reader.hpp"

#include <utility>

#include "sensors/vendor_call_log.hpp"

namespace joulebench::nvml {
namespace {

constexpr double kMilli = 1e-3;  // mW -> W, mJ -> J
constexpr const char* kInstantFieldName = "field 186 (POWER_INSTANT)";
constexpr const char* kEnergyFieldName = "field 83 (TOTAL_ENERGY_CONSUMPTION)";

}  // namespace

struct DeviceReader::CallLog : sensors::VendorCallLog<Return, kSuccess, kGpuIsLost> {};

std::optional<double> field_value_number(const FieldValue& value) {
  switch (value.value_type) {
    case kValueTypeDouble:
      return value.value.d;
    case kValueTypeUnsignedInt:
      return static_cast<double>(value.value.ui);
    case kValueTypeUnsignedLong:
      return static_cast<double>(value.value.ul);
    case kValueTypeUnsignedLongLong:
      return static_cast<double>(value.value.ull);
    case kValueTypeSignedLongLong:
      return static_cast<double>(value.value.sll);
    case kValueTypeSignedInt:
      return static_cast<double>(value.value.si);
    case kValueTypeUnsignedShort:
      return static_cast<double>(value.value.us);
    default:
      return std::nullopt;
  }
}

DeviceReader::DeviceReader(const NvmlLibrary& library, const ReadPlan& plan,
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
  read_power_and_energy(reading.sample, log);
  if (!log.lost()) read_other_metrics(reading.sample, log);
  return finish(std::move(reading), log);
}

void DeviceReader::read_power_and_energy(Sample& sample, CallLog& log) const {
  const Device device = plan_.handle;
  if (plan_.power == PowerSource::instant_field) {
    FieldValue values[2] = {};
    values[0].field_id = kFieldPowerInstant;
    values[0].scope_id = kScopeGpu;
    values[1].field_id = kFieldTotalEnergyConsumption;
    const int count = plan_.energy_in_field_call ? 2 : 1;
    if (!log.ok(api_->device_get_field_values(device, count, values),
                symbol::kDeviceGetFieldValues)) {
      return;
    }
    if (log.ok(values[0].nvml_return, kInstantFieldName)) {
      if (auto mw = field_value_number(values[0])) sample.power_w = *mw * kMilli;
    }
    if (count == 2 && log.ok(values[1].nvml_return, kEnergyFieldName)) {
      if (auto mj = field_value_number(values[1])) sample.energy_counter_j = *mj * kMilli;
    }
  } else if (plan_.power == PowerSource::power_usage) {
    unsigned mw = 0;
    if (log.ok(api_->device_get_power_usage(device, &mw), symbol::kDeviceGetPowerUsage)) {
      sample.power_w = mw * kMilli;
    }
  }
  if (log.lost() || !plan_.energy_function) return;
  unsigned long long mj = 0;
  if (log.ok(api_->device_get_total_energy_consumption(device, &mj),
             symbol::kDeviceGetTotalEnergyConsumption)) {
    sample.energy_counter_j = static_cast<double>(mj) * kMilli;
  }
}

void DeviceReader::read_other_metrics(Sample& sample, CallLog& log) const {
  const Device device = plan_.handle;
  if (plan_.temperature) {
    unsigned celsius = 0;
    if (log.ok(api_->device_get_temperature(device, kTemperatureGpu, &celsius),
               symbol::kDeviceGetTemperature)) {
      sample.temperature_c = celsius;
    }
  }
  if (plan_.utilization && !log.lost()) {
    Utilization utilization = {};
    if (log.ok(api_->device_get_utilization_rates(device, &utilization),
               symbol::kDeviceGetUtilizationRates)) {
      sample.gpu_utilization_pct = utilization.gpu_pct;
    }
  }
  if (plan_.sm_clock && !log.lost()) {
    unsigned mhz = 0;
    if (log.ok(api_->device_get_clock_info(device, kClockSm, &mhz), symbol::kDeviceGetClockInfo)) {
      sample.sm_clock_mhz = mhz;
    }
  }
  if (plan_.memory && !log.lost()) {
    Memory memory = {};
    if (log.ok(api_->device_get_memory_info(device, &memory), symbol::kDeviceGetMemoryInfo)) {
      sample.memory_used_bytes = memory.used_bytes;
    }
  }
  if (plan_.throttle != nullptr && !log.lost()) {
    unsigned long long mask = 0;
    if (log.ok(plan_.throttle(device, &mask), plan_.throttle_symbol)) sample.throttle_mask = mask;
  }
}

Reading DeviceReader::finish(Reading reading, const CallLog& log) {
  if (log.lost()) {
    lost_reason_ = std::string(log.lost_symbol) + ": " + library_->describe(kGpuIsLost);
    reading.status = ReadStatus::lost;
    reading.error = lost_reason_;
    reading.sample = Sample{reading.sample.time_ns};
  } else if (!log.any_success && log.failed_symbol != nullptr) {
    reading.status = ReadStatus::failed;
    reading.error = std::string(log.failed_symbol) + ": " + library_->describe(log.failed_code);
  }
  return reading;
}

}  // namespace joulebench::nvml
