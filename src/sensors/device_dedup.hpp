// One device seen by two sensors (an AMD GPU through amdsmi and through hwmon) is measured
// once: the copies share a PCI bus id, and the copy with an energy counter is kept; when both
// or neither have one, a vendor library's copy (richer: temperature, clocks, throttling) over
// hwmon's, else the earlier-opened sensor's. The other copy is hidden from the run and
// reported as dropped.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "joulebench/sensor.hpp"

namespace joulebench {

// Sensors whose devices are PCI functions say which (a side interface beside Sensor, asked
// for with dynamic_cast), so that a device two sensors see can be recognised.
class PciDeviceSensor {
 public:
  virtual ~PciDeviceSensor() = default;
  // "0000:03:00.0" (sysfs spelling) for device `index`; "" when unknown.
  virtual std::string pci_bus_id(std::size_t index) const = 0;
};

// A device left out because another sensor measures the same hardware.
struct DroppedDevice {
  std::string id;       // "hwmon:hwmon3"
  std::string kept_id;  // "amdsmi:0"
  std::string reason;   // "same PCI device 0000:03:00.0 as amdsmi:0, kept: ..."
};

// One device as the dedup sees it.
struct PciDevice {
  DeviceInfo info;
  std::string pci_bus_id;  // "" when unknown: never matches
};

struct DeviceSlot {
  std::size_t sensor = 0;  // position in the list of sensors
  std::size_t device = 0;  // position in that sensor's devices()
};

struct DuplicateDevice {
  DeviceSlot dropped;
  DeviceSlot kept;
  DroppedDevice report;
};

// Pure: which devices of `devices_by_sensor` (one list per sensor, in opening order) repeat a
// device of another sensor, and which copy stays. Devices without a PCI bus id never match.
std::vector<DuplicateDevice> find_duplicate_devices(
    const std::vector<std::vector<PciDevice>>& devices_by_sensor);

// The sensor's devices with their PCI bus ids (all "" for a sensor that is not PCI-aware).
std::vector<PciDevice> pci_devices(const Sensor& sensor);

// Wraps `sensor` so that it shows only the devices not listed in `hidden` (indices into its
// devices()); reads are forwarded with the original index.
std::unique_ptr<Sensor> hide_devices(std::unique_ptr<Sensor> sensor,
                                     const std::vector<std::size_t>& hidden);

}  // namespace joulebench
