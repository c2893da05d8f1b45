#include "sensors/rapl/rapl_sensor.hpp"

#include <filesystem>
#include <utility>

#include "platform/files.hpp"
#include "sensors/rapl/cpu_vendor.hpp"
#include "sensors/rapl/derived_power.hpp"
#include "sensors/rapl/rapl_zones.hpp"

namespace joulebench {

struct RaplSensor::Channel {
  rapl::EnergyFile file;
  rapl::DerivedPower power;
};

namespace {

constexpr const char* kDefaultRoot = "/sys/class/powercap";
constexpr const char* kNotReported = "not reported by RAPL";
// The counter advances about once a millisecond (Intel SDM; AMD alike).
constexpr double kCounterUpdatePeriodS = 0.001;

std::string resolve_root(const std::optional<std::string>& root) {
  if (root) return *root;
  return platform::env("JOULEBENCH_POWERCAP_ROOT").value_or(kDefaultRoot);
}

std::map<Metric, Capability> rapl_capabilities() {
  std::map<Metric, Capability> capabilities;
  capabilities[Metric::energy_counter] = {true, "energy_uj, wraps at max_energy_range_uj"};
  capabilities[Metric::power] = {true, "derived from energy_uj deltas over >= 20 ms"};
  for (Metric metric : {Metric::temperature, Metric::gpu_utilization, Metric::sm_clock,
                        Metric::memory_used, Metric::throttle_mask}) {
    capabilities[metric] = {false, kNotReported};
  }
  return capabilities;
}

DeviceInfo device_for(const rapl::RaplZone& zone, const std::string& vendor) {
  DeviceInfo device;
  device.id = zone.id;
  device.sensor = "rapl";
  device.name = zone.name;
  device.vendor = vendor;
  device.power_limit_w = zone.power_limit_w;
  device.power_kind = PowerKind::derived;
  device.counter_update_period_s = kCounterUpdatePeriodS;
  device.counter_max_j = zone.counter_max_j;
  device.capabilities = rapl_capabilities();
  return device;
}

}  // namespace

RaplSensor::RaplSensor(std::vector<DeviceInfo> devices, std::vector<Channel> channels,
                       std::vector<RaplSkippedZone> skipped)
    : devices_(std::move(devices)), channels_(std::move(channels)), skipped_(std::move(skipped)) {}

RaplSensor::~RaplSensor() = default;

Reading RaplSensor::read(std::size_t index, TimeNs now_ns) {
  Reading reading;
  reading.sample.time_ns = now_ns;
  if (index >= channels_.size()) {
    reading.status = ReadStatus::failed;
    reading.error = "no RAPL device with index " + std::to_string(index);
    return reading;
  }
  Channel& channel = channels_[index];
  rapl::CounterRead counter = channel.file.read();
  if (!counter.energy_uj) {
    reading.status =
        rapl::zone_is_gone(counter.error_number) ? ReadStatus::lost : ReadStatus::failed;
    reading.error = std::move(counter.error);
    return reading;
  }
  reading.sample.energy_counter_j = static_cast<double>(*counter.energy_uj) / 1e6;
  reading.sample.power_w = channel.power.update(*counter.energy_uj, now_ns);
  return reading;
}

Expected<std::unique_ptr<Sensor>> open_rapl_sensor(const RaplOptions& options) {
  const std::string root = resolve_root(options.root);
  auto zones = rapl::find_rapl_zones(root);
  if (!zones) return zones.error();
  const rapl::OpenReadOnly opener =
      options.open_read_only ? options.open_read_only : rapl::OpenReadOnly(rapl::open_read_only);
  const std::string vendor = rapl::read_cpu_vendor(options.cpuinfo_path);

  std::vector<DeviceInfo> devices;
  std::vector<RaplSensor::Channel> channels;
  std::vector<RaplSkippedZone> skipped;
  for (const auto& zone : *zones) {
    const auto path = (std::filesystem::path(zone.directory) / "energy_uj").string();
    auto file = rapl::EnergyFile::open(path, opener);
    if (!file) {
      skipped.push_back({zone.id, file.error().message});
      continue;
    }
    devices.push_back(device_for(zone, vendor));
    channels.push_back({std::move(*file), rapl::DerivedPower()});
  }
  if (channels.empty()) return Error{skipped.front().reason};
  return std::unique_ptr<Sensor>(
      std::make_unique<RaplSensor>(std::move(devices), std::move(channels), std::move(skipped)));
}

Expected<std::unique_ptr<Sensor>> open_rapl_sensor(std::optional<std::string> root) {
  RaplOptions options;
  options.root = std::move(root);
  return open_rapl_sensor(options);
}

}  // namespace joulebench
