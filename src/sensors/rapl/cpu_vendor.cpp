#include "sensors/rapl/cpu_vendor.hpp"

#include <array>
#include <fstream>
#include <utility>

namespace joulebench::rapl {
namespace {

constexpr std::string_view kUnknownVendor = "CPU";

std::string_view trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r");
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(" \t\r");
  return text.substr(first, last - first + 1);
}

std::string friendly_name(std::string_view vendor_id) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 3> kKnown = {{
      {"GenuineIntel", "Intel"},
      {"AuthenticAMD", "AMD"},
      {"HygonGenuine", "Hygon"},
  }};
  for (const auto& [id, name] : kKnown) {
    if (vendor_id == id) return std::string(name);
  }
  return std::string(vendor_id);
}

// The value of a "key<TAB>: value" line when its key is vendor_id.
std::string_view vendor_id_of(std::string_view line) {
  const auto colon = line.find(':');
  if (colon == std::string_view::npos || trim(line.substr(0, colon)) != "vendor_id") return {};
  return trim(line.substr(colon + 1));
}

}  // namespace

std::string cpu_vendor_from_cpuinfo(std::string_view cpuinfo) {
  while (!cpuinfo.empty()) {
    const auto end = cpuinfo.find('\n');
    const std::string_view vendor_id = vendor_id_of(cpuinfo.substr(0, end));
    if (!vendor_id.empty()) return friendly_name(vendor_id);
    if (end == std::string_view::npos) break;
    cpuinfo.remove_prefix(end + 1);
  }
  return std::string(kUnknownVendor);
}

std::string read_cpu_vendor(const std::string& cpuinfo_path) {
  // Line by line: the first processor's block names the vendor, and on a large machine the
  // whole file is hundreds of kilobytes.
  std::ifstream in(cpuinfo_path);
  std::string line;
  while (std::getline(in, line)) {
    const std::string_view vendor_id = vendor_id_of(line);
    if (!vendor_id.empty()) return friendly_name(vendor_id);
  }
  return std::string(kUnknownVendor);
}

}  // namespace joulebench::rapl
