#include "sensors/hwmon/hwmon_devices.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <map>
#include <tuple>

namespace joulebench::hwmon {
namespace {

namespace fs = std::filesystem;

// The first line of a small sysfs file, without its newline; "" when unreadable.
std::string first_line(const fs::path& file) {
  std::ifstream in(file);
  std::string line;
  std::getline(in, line);
  while (!line.empty() && std::isspace(static_cast<unsigned char>(line.back()))) line.pop_back();
  return line;
}

bool hex_digits(const std::string& text, std::size_t from, std::size_t count) {
  return std::all_of(text.begin() + static_cast<std::ptrdiff_t>(from),
                     text.begin() + static_cast<std::ptrdiff_t>(from + count),
                     [](char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; });
}

// PCI vendor ids (device/vendor) of the vendors joulebench names.
std::string vendor_name(const std::string& vendor_id, const std::string& driver) {
  static const std::map<std::string, std::string> kVendors = {
      {"0x1002", "AMD"}, {"0x8086", "Intel"}, {"0x10de", "NVIDIA"}};
  const auto it = kVendors.find(vendor_id);
  return it != kVendors.end() ? it->second : driver;
}

// channel number -> (input file, label) for files named <prefix><N>_<suffix>.
std::map<int, std::string> channels(const fs::path& directory, const std::string& prefix,
                                    const std::string& suffix) {
  std::map<int, std::string> found;
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(directory, error)) {
    const std::string name = entry.path().filename().string();
    if (!name.starts_with(prefix) || !name.ends_with("_" + suffix)) continue;
    const std::string number =
        name.substr(prefix.size(), name.size() - prefix.size() - suffix.size() - 1);
    if (number.empty() || !std::all_of(number.begin(), number.end(), [](char c) {
          return std::isdigit(static_cast<unsigned char>(c)) != 0;
        })) {
      continue;
    }
    found[std::stoi(number)] = name;
  }
  return found;
}

// The channel labelled "card" when there is one, else the lowest-numbered; "" when none.
std::pair<std::string, std::string> choose_channel(const fs::path& directory,
                                                   const std::string& prefix,
                                                   const std::string& suffix) {
  const auto found = channels(directory, prefix, suffix);
  if (found.empty()) return {};
  std::pair<std::string, std::string> chosen;
  for (const auto& [number, file] : found) {
    const std::string label = first_line(directory / (prefix + std::to_string(number) + "_label"));
    if (chosen.first.empty() || label == "card") chosen = {file, label};
    if (label == "card") break;
  }
  return chosen;
}

void choose_power(const fs::path& directory, HwmonDevice& device) {
  std::tie(device.power_file, device.power_label) = choose_channel(directory, "power", "input");
  if (!device.power_file.empty()) return;
  std::tie(device.power_file, device.power_label) = choose_channel(directory, "power", "average");
  device.power_is_average = !device.power_file.empty();
}

std::optional<HwmonDevice> describe(const fs::path& directory, SkippedHwmon& skipped) {
  HwmonDevice device;
  device.id = "hwmon:" + directory.filename().string();
  device.directory = directory.string();
  device.driver = first_line(directory / "name");
  skipped.id = device.id;
  std::tie(device.energy_file, device.energy_label) = choose_channel(directory, "energy", "input");
  choose_power(directory, device);
  if (device.energy_file.empty() && device.power_file.empty()) return std::nullopt;  // silent
  std::error_code error;
  const fs::path target = fs::read_symlink(directory / "device", error);
  const auto pci = error ? std::nullopt : pci_address(target.filename().string());
  if (!pci) {
    skipped.reason = device.driver + ": not a PCI device (CPU and platform energy are RAPL's)";
    return std::nullopt;
  }
  device.pci_bus_id = *pci;
  device.vendor = vendor_name(first_line(directory / "device" / "vendor"), device.driver);
  return device;
}

}  // namespace

std::optional<std::string> pci_address(const std::string& name) {
  // dddd:bb:dd.f
  if (name.size() != 12 || name[4] != ':' || name[7] != ':' || name[10] != '.') return std::nullopt;
  if (!hex_digits(name, 0, 4) || !hex_digits(name, 5, 2) || !hex_digits(name, 8, 2) ||
      !hex_digits(name, 11, 1)) {
    return std::nullopt;
  }
  std::string lower = name;
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return lower;
}

Expected<HwmonScan> scan_hwmon(const std::string& root) {
  std::error_code error;
  fs::directory_iterator entries(root, error);
  if (error) return Error{"cannot list hwmon devices in " + root + ": " + error.message()};
  std::vector<fs::path> directories;
  for (const auto& entry : entries) {
    if (entry.path().filename().string().starts_with("hwmon")) directories.push_back(entry.path());
  }
  // hwmon2 before hwmon10.
  std::sort(directories.begin(), directories.end(), [](const fs::path& a, const fs::path& b) {
    const std::string x = a.filename().string(), y = b.filename().string();
    return x.size() != y.size() ? x.size() < y.size() : x < y;
  });
  HwmonScan scan;
  for (const auto& directory : directories) {
    SkippedHwmon skipped;
    if (auto device = describe(directory, skipped)) {
      scan.devices.push_back(std::move(*device));
    } else if (!skipped.reason.empty()) {
      scan.skipped.push_back(std::move(skipped));
    }
  }
  return scan;
}

}  // namespace joulebench::hwmon
