// What a simulated GPU's settable state is (power limit, locked clocks) and where it persists:
// $JOULEBENCH_FAKE_NVML_STATE_FILE, a JSON object keyed by UUID, so that a second process
// (`joulebench restore` after a SIGKILL) finds what the first one left, as on a real GPU.
// Thread-safety: plain values and file functions; the runtime serialises calls.
#pragma once

#include <map>
#include <optional>
#include <string>

namespace joulebench::fake_nvml {

struct ClockRange {
  unsigned min_mhz = 0;
  unsigned max_mhz = 0;
};

// Unset fields are at the GPU's defaults (the default limit, clocks not locked).
struct DeviceSettings {
  std::optional<unsigned> power_limit_mw;
  std::optional<ClockRange> gpu_locked;
  std::optional<ClockRange> memory_locked;
};

using SettingsByUuid = std::map<std::string, DeviceSettings>;

// A missing or unreadable file: no settings (every GPU at its defaults).
SettingsByUuid load_settings(const std::string& path);
// Written to a temporary file and renamed, so that another process never reads half.
void save_settings(const std::string& path, const SettingsByUuid& settings);

}  // namespace joulebench::fake_nvml
