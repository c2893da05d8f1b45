#include "sensors/hwmon/hwmon_sensor.hpp"

#include <filesystem>
#include <utility>
#include <vector>

#include "platform/files.hpp"
#include "sensors/device_dedup.hpp"
#include "sensors/hwmon/hwmon_devices.hpp"
#include "sensors/rapl/derived_power.hpp"

namespace joulebench {
namespace {

constexpr const char* kDefaultRoot = "/sys/class/hwmon";
constexpr double kMicro = 1e-6;  // µJ -> J, µW -> W

struct Channel {
  std::optional<rapl::EnergyFile> energy;
  std::optional<rapl::EnergyFile> power;  // a µW number file, read the same way
  rapl::DerivedPower derived;             // used when there is no power file
};

std::string labelled(const std::string& file, const std::string& label) {
  return label.empty() ? file : file + " (\"" + label + "\")";
}

std::map<Metric, Capability> capabilities_of(const hwmon::HwmonDevice& found, bool energy,
                                             bool power) {
  std::map<Metric, Capability> capabilities;
  capabilities[Metric::energy_counter] =
      energy ? Capability{true, labelled(found.energy_file, found.energy_label) + ", uJ"}
             : Capability{false, "no readable energyN_input"};
  if (power) {
    capabilities[Metric::power] = {
        true, labelled(found.power_file, found.power_label) +
                  (found.power_is_average ? ", uW averaged by the driver" : ", uW instantaneous")};
  } else {
    capabilities[Metric::power] = {true, "derived from energy deltas over >= 20 ms"};
  }
  for (Metric metric : {Metric::temperature, Metric::gpu_utilization, Metric::sm_clock,
                        Metric::memory_used, Metric::throttle_mask}) {
    capabilities[metric] = {false, "not read from hwmon"};
  }
  return capabilities;
}

DeviceInfo device_for(const hwmon::HwmonDevice& found, bool energy, bool power) {
  DeviceInfo device;
  device.id = found.id;
  device.sensor = "hwmon";
  device.name = found.driver + " " + found.pci_bus_id;
  device.vendor = found.vendor;
  if (!power) {
    device.power_kind = PowerKind::derived;
  } else {
    device.power_kind = found.power_is_average ? PowerKind::unknown : PowerKind::instantaneous;
  }
  device.capabilities = capabilities_of(found, energy, power);
  return device;
}

class HwmonSensor final : public Sensor, public PciDeviceSensor {
 public:
  HwmonSensor(std::vector<DeviceInfo> devices, std::vector<Channel> channels,
              std::vector<std::string> pci_bus_ids)
      : devices_(std::move(devices)),
        channels_(std::move(channels)),
        pci_bus_ids_(std::move(pci_bus_ids)) {}

  std::string pci_bus_id(std::size_t index) const override {
    return index < pci_bus_ids_.size() ? pci_bus_ids_[index] : std::string();
  }

  std::string name() const override { return "hwmon"; }
  const std::vector<DeviceInfo>& devices() const override { return devices_; }

  Reading read(std::size_t index, TimeNs now_ns) override {
    Reading reading;
    reading.sample.time_ns = now_ns;
    if (index >= channels_.size()) {
      reading.status = ReadStatus::failed;
      reading.error = "hwmon: no device " + std::to_string(index);
      return reading;
    }
    Channel& channel = channels_[index];
    rapl::CounterRead failure;
    if (channel.energy) {
      rapl::CounterRead counter = channel.energy->read();
      if (counter.energy_uj) {
        reading.sample.energy_counter_j = static_cast<double>(*counter.energy_uj) * kMicro;
        if (!channel.power)
          reading.sample.power_w = channel.derived.update(*counter.energy_uj, now_ns);
      } else {
        failure = std::move(counter);
      }
    }
    if (channel.power) {
      rapl::CounterRead power = channel.power->read();
      if (power.energy_uj) {
        reading.sample.power_w = static_cast<double>(*power.energy_uj) * kMicro;
      } else if (failure.error.empty()) {
        failure = std::move(power);
      }
    }
    if (failure.error.empty()) return reading;
    if (rapl::zone_is_gone(failure.error_number)) {
      reading.status = ReadStatus::lost;
    } else if (!reading.sample.energy_counter_j && !reading.sample.power_w) {
      reading.status = ReadStatus::failed;
    } else {
      return reading;  // one of two files failed once: keep what was read
    }
    reading.sample = Sample{now_ns};
    reading.error = std::move(failure.error);
    return reading;
  }

 private:
  std::vector<DeviceInfo> devices_;
  std::vector<Channel> channels_;
  std::vector<std::string> pci_bus_ids_;
};

std::optional<rapl::EnergyFile> open_file(const hwmon::HwmonDevice& found, const std::string& file,
                                          const rapl::OpenReadOnly& opener, std::string& why) {
  if (file.empty()) return std::nullopt;
  auto opened =
      rapl::EnergyFile::open((std::filesystem::path(found.directory) / file).string(), opener);
  if (opened) return std::move(*opened);
  why += (why.empty() ? "" : "; ") + opened.error().message;
  return std::nullopt;
}

std::string nothing_readable(const std::string& root, const std::vector<std::string>& reasons) {
  std::string message = "no hwmon device with a readable energy or power channel under " + root;
  for (std::size_t i = 0; i < reasons.size(); ++i) message += (i == 0 ? ": " : "; ") + reasons[i];
  return message;
}

}  // namespace

Expected<std::unique_ptr<Sensor>> open_hwmon_sensor(const HwmonOptions& options) {
  const std::string root =
      options.root.value_or(platform::env("JOULEBENCH_HWMON_ROOT").value_or(kDefaultRoot));
  auto scan = hwmon::scan_hwmon(root);
  if (!scan) return scan.error();
  const rapl::OpenReadOnly opener =
      options.open_read_only ? options.open_read_only : rapl::OpenReadOnly(rapl::open_read_only);
  std::vector<std::string> reasons;
  for (const auto& skipped : scan->skipped) reasons.push_back(skipped.id + ": " + skipped.reason);
  std::vector<DeviceInfo> devices;
  std::vector<Channel> channels;
  std::vector<std::string> pci_bus_ids;
  for (const auto& found : scan->devices) {
    std::string why;
    Channel channel;
    channel.energy = open_file(found, found.energy_file, opener, why);
    channel.power = open_file(found, found.power_file, opener, why);
    if (!channel.energy && !channel.power) {
      reasons.push_back(found.id + ": " + why);
      continue;
    }
    devices.push_back(device_for(found, channel.energy.has_value(), channel.power.has_value()));
    channels.push_back(std::move(channel));
    pci_bus_ids.push_back(found.pci_bus_id);
  }
  if (channels.empty()) return Error{nothing_readable(root, reasons)};
  return std::unique_ptr<Sensor>(std::make_unique<HwmonSensor>(
      std::move(devices), std::move(channels), std::move(pci_bus_ids)));
}

}  // namespace joulebench
