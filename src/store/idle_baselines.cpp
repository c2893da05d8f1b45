#include "store/idle_baselines.hpp"

#include <filesystem>
#include <nlohmann/json.hpp>

#include "platform/files.hpp"

namespace joulebench {

using nlohmann::json;

std::string idle_device_key(const DeviceInfo& device) {
  return device.uuid.empty() ? device.id : device.uuid;
}

std::string default_idle_baseline_path() {
  std::string base;
  if (auto data_home = platform::env("XDG_DATA_HOME")) {
    base = *data_home;
  } else if (auto home = platform::env("HOME")) {
    base = *home + "/.local/share";
  } else {
    base = ".";
  }
  return base + "/joulebench/idle-baselines.json";
}

nlohmann::json idle_baseline_json(const IdleBaseline& baseline) {
  return {{"host", baseline.host},
          {"device_key", baseline.device_key},
          {"device_id", baseline.device_id},
          {"device_name", baseline.device_name},
          {"idle_power_w", baseline.idle_power_w},
          {"duration_s", baseline.duration_s},
          {"samples", baseline.samples},
          {"method", baseline.method},
          {"measured_at", baseline.measured_at}};
}

namespace {

Expected<IdleBaseline> from_json(const json& entry, const std::string& path, std::size_t index) {
  const auto field_error = [&](const char* key) {
    return Error{"baselines[" + std::to_string(index) + "]." + key + ": missing or wrong type",
                 path};
  };
  IdleBaseline baseline;
  for (auto [key, target] :
       {std::pair{"host", &baseline.host}, std::pair{"device_key", &baseline.device_key},
        std::pair{"device_id", &baseline.device_id}}) {
    if (!entry.contains(key) || !entry[key].is_string()) return field_error(key);
    *target = entry[key].get<std::string>();
  }
  if (!entry.contains("idle_power_w") || !entry["idle_power_w"].is_number()) {
    return field_error("idle_power_w");
  }
  baseline.idle_power_w = entry["idle_power_w"].get<double>();
  baseline.device_name = entry.value("device_name", "");
  baseline.duration_s = entry.value("duration_s", 0.0);
  baseline.samples = entry.value("samples", std::size_t{0});
  baseline.method = entry.value("method", "");
  baseline.measured_at = entry.value("measured_at", "");
  return baseline;
}

}  // namespace

Expected<std::vector<IdleBaseline>> load_idle_baselines(const std::string& path) {
  if (!std::filesystem::exists(path)) return std::vector<IdleBaseline>{};
  auto text = platform::read_file(path);
  if (!text) return text.error();
  const auto document = json::parse(*text, nullptr, /*allow_exceptions=*/false);
  if (document.is_discarded() || !document.is_object() || !document.contains("baselines") ||
      !document["baselines"].is_array()) {
    return Error{"not a joulebench idle-baseline file (expected {\"baselines\": [...]})", path};
  }
  std::vector<IdleBaseline> baselines;
  std::size_t index = 0;
  for (const auto& entry : document["baselines"]) {
    if (!entry.is_object())
      return Error{"baselines[" + std::to_string(index) + "]: not an object", path};
    auto baseline = from_json(entry, path, index++);
    if (!baseline) return baseline.error();
    baselines.push_back(std::move(baseline.value()));
  }
  return baselines;
}

Expected<bool> save_idle_baselines(const std::string& path,
                                   const std::vector<IdleBaseline>& updates) {
  auto existing = load_idle_baselines(path);
  if (!existing) return existing.error();
  std::vector<IdleBaseline> merged;
  for (const auto& old : *existing) {
    bool replaced = false;
    for (const auto& update : updates) {
      replaced = replaced || (old.host == update.host && old.device_key == update.device_key);
    }
    if (!replaced) merged.push_back(old);
  }
  merged.insert(merged.end(), updates.begin(), updates.end());
  json entries = json::array();
  for (const auto& baseline : merged) entries.push_back(idle_baseline_json(baseline));
  std::error_code ignored;
  std::filesystem::create_directories(std::filesystem::path(path).parent_path(), ignored);
  const json document = {{"schema_version", 1}, {"baselines", std::move(entries)}};
  return platform::write_file_atomically(path, document.dump(2) + "\n");
}

std::optional<IdleBaseline> find_idle_baseline(const std::vector<IdleBaseline>& baselines,
                                               const std::string& host, const DeviceInfo& device) {
  const std::string key = idle_device_key(device);
  for (const auto& baseline : baselines) {
    if (baseline.host == host && baseline.device_key == key) return baseline;
  }
  return std::nullopt;
}

IdlePower idle_power_for(const std::vector<DeviceInfo>& devices,
                         const std::vector<IdleBaseline>& baselines, const std::string& host) {
  IdlePower idle;
  double total_w = 0.0;
  std::string oldest;
  for (const auto& device : devices) {
    const auto baseline = find_idle_baseline(baselines, host, device);
    if (!baseline) {
      idle.reason = "No idle baseline for " + device.id + " on " + host +
                    " (run `joulebench idle` or pass --idle).";
      return idle;
    }
    total_w += baseline->idle_power_w;
    if (oldest.empty() || baseline->measured_at < oldest) oldest = baseline->measured_at;
  }
  idle.total_w = total_w;
  idle.source = "stored baseline (measured " + oldest + ")";
  return idle;
}

}  // namespace joulebench
