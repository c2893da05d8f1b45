#include "sensors/device_dedup.hpp"

#include <algorithm>
#include <map>
#include <string>

namespace joulebench {
namespace {

const PciDevice& at(const std::vector<std::vector<PciDevice>>& devices, DeviceSlot slot) {
  return devices[slot.sensor][slot.device];
}

// True when `candidate` should be kept over `current`: it has the counter and current has
// not, or both are alike and current is hwmon's generic copy of a vendor library's device.
bool better(const DeviceInfo& candidate, const DeviceInfo& current) {
  const bool counter = candidate.supports(Metric::energy_counter);
  if (counter != current.supports(Metric::energy_counter)) return counter;
  return current.sensor == "hwmon" && candidate.sensor != "hwmon";
}

std::string why(const PciDevice& dropped_device, const PciDevice& kept_device) {
  const DeviceInfo& dropped = dropped_device.info;
  const DeviceInfo& kept = kept_device.info;
  std::string reason =
      "same PCI device " + dropped_device.pci_bus_id + " as " + kept.id + ", kept: ";
  if (kept.supports(Metric::energy_counter) && !dropped.supports(Metric::energy_counter)) {
    return reason + "it has an energy counter";
  }
  if (kept.sensor != "hwmon" && dropped.sensor == "hwmon") {
    return reason + "the vendor library (" + kept.sensor + ") reports more than hwmon";
  }
  return reason + "the sensor opened first (" + kept.sensor + ") is preferred";
}

class FilteredSensor final : public Sensor {
 public:
  FilteredSensor(std::unique_ptr<Sensor> inner, std::vector<std::size_t> shown)
      : inner_(std::move(inner)), shown_(std::move(shown)) {
    for (std::size_t index : shown_) devices_.push_back(inner_->devices()[index]);
  }

  std::string name() const override { return inner_->name(); }
  const std::vector<DeviceInfo>& devices() const override { return devices_; }
  Reading read(std::size_t index, TimeNs now_ns) override {
    if (index >= shown_.size()) {
      Reading reading;
      reading.status = ReadStatus::failed;
      reading.error = name() + ": no device " + std::to_string(index);
      return reading;
    }
    return inner_->read(shown_[index], now_ns);
  }

 private:
  std::unique_ptr<Sensor> inner_;
  std::vector<std::size_t> shown_;
  std::vector<DeviceInfo> devices_;
};

}  // namespace

std::vector<PciDevice> pci_devices(const Sensor& sensor) {
  const auto* pci = dynamic_cast<const PciDeviceSensor*>(&sensor);
  std::vector<PciDevice> devices;
  for (std::size_t i = 0; i < sensor.devices().size(); ++i) {
    devices.push_back({sensor.devices()[i], pci != nullptr ? pci->pci_bus_id(i) : std::string()});
  }
  return devices;
}

std::vector<DuplicateDevice> find_duplicate_devices(
    const std::vector<std::vector<PciDevice>>& devices_by_sensor) {
  std::map<std::string, std::vector<DeviceSlot>> by_bus_id;
  for (std::size_t s = 0; s < devices_by_sensor.size(); ++s) {
    for (std::size_t d = 0; d < devices_by_sensor[s].size(); ++d) {
      const auto& bus_id = devices_by_sensor[s][d].pci_bus_id;
      if (!bus_id.empty()) by_bus_id[bus_id].push_back({s, d});
    }
  }
  std::vector<DuplicateDevice> duplicates;
  for (const auto& [bus_id, slots] : by_bus_id) {
    DeviceSlot kept = slots.front();
    for (const auto& slot : slots) {
      if (better(at(devices_by_sensor, slot).info, at(devices_by_sensor, kept).info)) kept = slot;
    }
    for (const auto& slot : slots) {
      // Copies within one sensor are its own business (partitions may share a function).
      if (slot.sensor == kept.sensor) continue;
      const auto& dropped = at(devices_by_sensor, slot);
      const auto& keeper = at(devices_by_sensor, kept);
      duplicates.push_back({slot, kept, {dropped.info.id, keeper.info.id, why(dropped, keeper)}});
    }
  }
  return duplicates;
}

std::unique_ptr<Sensor> hide_devices(std::unique_ptr<Sensor> sensor,
                                     const std::vector<std::size_t>& hidden) {
  std::vector<std::size_t> shown;
  for (std::size_t i = 0; i < sensor->devices().size(); ++i) {
    if (std::find(hidden.begin(), hidden.end(), i) == hidden.end()) shown.push_back(i);
  }
  return std::make_unique<FilteredSensor>(std::move(sensor), std::move(shown));
}

}  // namespace joulebench
