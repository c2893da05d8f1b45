// Idle power baselines per device, stored per host so benches can subtract them later.
// Kept in a small JSON file ($XDG_DATA_HOME/joulebench/idle-baselines.json, else
// ~/.local/share/joulebench/idle-baselines.json); a device is keyed by its UUID when it has
// one (stable across reboots and index changes), else by its id.
// Thread-safety: plain functions over files; no locking between processes.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "joulebench/error.hpp"
#include "joulebench/sensor.hpp"
#include "joulebench/token_energy.hpp"

namespace joulebench {

struct IdleBaseline {
  std::string host;
  std::string device_key;  // UUID, else device id
  std::string device_id;
  std::string device_name;
  double idle_power_w = 0.0;
  double duration_s = 0.0;
  std::size_t samples = 0;
  std::string method;       // how the idle energy was measured ("counter", "integrated")
  std::string measured_at;  // ISO 8601 UTC
};

std::string idle_device_key(const DeviceInfo& device);

// The default file path (honours XDG_DATA_HOME and HOME).
std::string default_idle_baseline_path();

// One baseline as the file keeps it (and `idle --json` prints it).
nlohmann::json idle_baseline_json(const IdleBaseline& baseline);

// All baselines in the file; a missing file is an empty list, a malformed one an error.
Expected<std::vector<IdleBaseline>> load_idle_baselines(const std::string& path);

// Replaces the entries of the same (host, device_key) and writes the file atomically,
// creating its directory.
Expected<bool> save_idle_baselines(const std::string& path,
                                   const std::vector<IdleBaseline>& updates);

// The baseline for this host and device, if one is stored.
std::optional<IdleBaseline> find_idle_baseline(const std::vector<IdleBaseline>& baselines,
                                               const std::string& host, const DeviceInfo& device);

// The summed idle power of `devices` on `host` from stored baselines; null with a reason
// naming the first device without one.
IdlePower idle_power_for(const std::vector<DeviceInfo>& devices,
                         const std::vector<IdleBaseline>& baselines, const std::string& host);

}  // namespace joulebench
