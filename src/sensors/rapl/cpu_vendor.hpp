// The CPU vendor shown as DeviceInfo::vendor for RAPL zones.
#pragma once

#include <string>
#include <string_view>

namespace joulebench::rapl {

// From the text of /proc/cpuinfo: "Intel" (GenuineIntel), "AMD" (AuthenticAMD), "Hygon"
// (HygonGenuine), another vendor_id as written, or "CPU" when there is none.
std::string cpu_vendor_from_cpuinfo(std::string_view cpuinfo);

// Reads the file (normally /proc/cpuinfo); "CPU" when it cannot be read.
std::string read_cpu_vendor(const std::string& cpuinfo_path);

}  // namespace joulebench::rapl
