// Finding the energy and power channels of Linux hwmon devices (/sys/class/hwmon/hwmonN),
// per the kernel's Documentation/hwmon/sysfs-interface.rst: energyN_input is a cumulative
// energy in microjoules, powerN_input an instantaneous and powerN_average an averaged power in
// microwatts, the optional energyN_label/powerN_label name a channel, `name` names the driver,
// and the `device` link points at the hardware (a PCI function for amdgpu, xe, i915).
// Thread-safety: pure functions of the directory tree.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "joulebench/error.hpp"

namespace joulebench::hwmon {

// One hwmon directory with a channel worth measuring.
struct HwmonDevice {
  std::string id;          // "hwmon:hwmon3"
  std::string directory;   // ROOT/hwmon3
  std::string driver;      // the `name` file: "amdgpu", "xe", "i915"
  std::string pci_bus_id;  // "0000:03:00.0" from the `device` link; "" when not PCI
  std::string vendor;      // "AMD", "Intel", "NVIDIA" from device/vendor; else the driver name
  // The energy counter chosen (energyN_input), "" when there is none; its label when any.
  std::string energy_file;
  std::string energy_label;
  // The power channel chosen: powerN_input (instantaneous) over powerN_average; "" when none.
  std::string power_file;
  std::string power_label;
  bool power_is_average = false;
};

// A directory left out, and why.
struct SkippedHwmon {
  std::string id;
  std::string reason;
};

struct HwmonScan {
  std::vector<HwmonDevice> devices;
  std::vector<SkippedHwmon> skipped;
};

// Every hwmonN under `root` whose `device` is a PCI function and which has an energy or power
// channel. With several channels of one kind the one labelled "card" (the whole board, as xe
// labels it) is taken, else the lowest-numbered: channels of one device overlap (xe's "pkg"
// is inside its "card"), so summing them would count energy twice. Devices that are not PCI
// (CPU energy drivers, ACPI meters: RAPL's domain) are skipped with the reason.
// Error: the root cannot be listed.
Expected<HwmonScan> scan_hwmon(const std::string& root);

// "0000:03:00.0" when `name` is a PCI address in sysfs spelling, else nullopt.
std::optional<std::string> pci_address(const std::string& name);

}  // namespace joulebench::hwmon
