#include "settings_state.hpp"

#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace joulebench::fake_nvml {
namespace {

using nlohmann::json;

std::optional<ClockRange> clock_range(const json& object, const char* key) {
  if (!object.contains(key)) return std::nullopt;
  const json& pair = object.at(key);
  return ClockRange{pair.at(0).get<unsigned>(), pair.at(1).get<unsigned>()};
}

json to_json(const DeviceSettings& settings) {
  json object = json::object();
  if (settings.power_limit_mw) object["power_limit_mw"] = *settings.power_limit_mw;
  if (settings.gpu_locked)
    object["gpu_locked_mhz"] = {settings.gpu_locked->min_mhz, settings.gpu_locked->max_mhz};
  if (settings.memory_locked)
    object["memory_locked_mhz"] = {settings.memory_locked->min_mhz,
                                   settings.memory_locked->max_mhz};
  return object;
}

}  // namespace

SettingsByUuid load_settings(const std::string& path) {
  SettingsByUuid settings;
  std::ifstream in(path);
  if (!in) return settings;
  std::stringstream text;
  text << in.rdbuf();
  const json root = json::parse(text.str(), nullptr, false);
  if (!root.is_object()) return settings;
  try {
    for (const auto& [uuid, object] : root.items()) {
      DeviceSettings device;
      if (object.contains("power_limit_mw"))
        device.power_limit_mw = object.at("power_limit_mw").get<unsigned>();
      device.gpu_locked = clock_range(object, "gpu_locked_mhz");
      device.memory_locked = clock_range(object, "memory_locked_mhz");
      settings[uuid] = device;
    }
  } catch (const json::exception&) {
    return {};  // a damaged file: every GPU at its defaults
  }
  return settings;
}

void save_settings(const std::string& path, const SettingsByUuid& settings) {
  json root = json::object();
  for (const auto& [uuid, device] : settings) root[uuid] = to_json(device);
  const std::string temporary = path + ".tmp";
  {
    std::ofstream out(temporary, std::ios::trunc);
    out << root.dump(2) << '\n';
  }
  std::rename(temporary.c_str(), path.c_str());
}

}  // namespace joulebench::fake_nvml
