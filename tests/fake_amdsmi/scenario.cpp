#include "scenario.hpp"

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace joulebench::fake_amdsmi {
namespace {

using json = nlohmann::json;

const std::set<std::string> kMissingNames = {
    "energy",   "power",     "current_power", "average_power", "temperature",
    "activity", "memory",    "clock",         "violation",     "uuid",
    "bdf",      "partition", "name",          "socket_power"};

template <class T>
void take(const json& object, const char* key, T& value) {
  if (object.contains(key)) value = object.at(key).get<T>();
}

void check_keys(const json& object, const std::set<std::string>& known, const std::string& what) {
  for (const auto& [key, value] : object.items()) {
    if (!known.contains(key)) throw std::runtime_error(what + ": unknown field '" + key + "'");
  }
}

FakeProcessor parse_processor(const json& object, std::size_t position) {
  check_keys(
      object,
      {"name", "uuid", "bdf", "partition", "power_w", "average_power_w", "energy_start",
       "resolution_uj", "energy_per_read_j", "temperature_c", "activity_pct", "memory_used_bytes",
       "gfx_clock_mhz", "violation_ppt", "violation_thermal", "missing", "lost_after_energy_reads"},
      "processor");
  FakeProcessor processor;
  char uuid[40];
  std::snprintf(uuid, sizeof uuid, "%08zx-0000-1000-80ff-0000000000%02zx", position, position);
  processor.uuid = uuid;
  char bdf[16];
  std::snprintf(bdf, sizeof bdf, "0000:%02zx:00.0", 0x03 + position * 0x10);
  processor.bdf = bdf;
  take(object, "name", processor.name);
  take(object, "uuid", processor.uuid);
  take(object, "bdf", processor.bdf);
  take(object, "partition", processor.partition);
  take(object, "power_w", processor.power_w);
  processor.average_power_w = processor.power_w;
  take(object, "average_power_w", processor.average_power_w);
  take(object, "energy_start", processor.energy_start);
  take(object, "resolution_uj", processor.resolution_uj);
  if (object.contains("energy_per_read_j")) {
    processor.energy_per_read_j = object.at("energy_per_read_j").get<double>();
  }
  take(object, "temperature_c", processor.temperature_c);
  take(object, "activity_pct", processor.activity_pct);
  take(object, "memory_used_bytes", processor.memory_used_bytes);
  take(object, "gfx_clock_mhz", processor.gfx_clock_mhz);
  take(object, "violation_ppt", processor.violation_ppt);
  take(object, "violation_thermal", processor.violation_thermal);
  if (object.contains("missing")) {
    for (const auto& name : object.at("missing")) {
      const auto text = name.get<std::string>();
      if (!kMissingNames.contains(text))
        throw std::runtime_error("missing: unknown '" + text + "'");
      processor.missing.insert(text);
    }
  }
  if (object.contains("lost_after_energy_reads")) {
    processor.lost_after_energy_reads = object.at("lost_after_energy_reads").get<unsigned>();
  }
  return processor;
}

Scenario parse(const json& root) {
  check_keys(root, {"version", "driver_version", "init_status", "sockets"}, "scenario");
  Scenario scenario;
  if (root.contains("version")) {
    const auto& version = root.at("version");
    scenario.version_reported = !version.is_null();
    if (scenario.version_reported) {
      scenario.version_year = version.at(0).get<std::uint32_t>();
      scenario.version_major = version.at(1).get<std::uint32_t>();
      scenario.version_minor = version.at(2).get<std::uint32_t>();
    }
  }
  take(root, "driver_version", scenario.driver_version);
  take(root, "init_status", scenario.init_status);
  std::size_t position = 0;
  for (const auto& socket : root.value("sockets", json::array())) {
    FakeSocket fake;
    for (const auto& processor : socket.at("processors")) {
      fake.processors.push_back(parse_processor(processor, position++));
    }
    scenario.sockets.push_back(std::move(fake));
  }
  return scenario;
}

}  // namespace

Expected<Scenario> parse_scenario(const std::string& json_text) {
  try {
    return parse(json::parse(json_text));
  } catch (const std::exception& error) {
    return Error{std::string("fake amdsmi scenario: ") + error.what()};
  }
}

Expected<Scenario> load_scenario(const std::string& path) {
  if (path.empty()) return parse_scenario(R"({"sockets": [{"processors": [{}]}]})");
  std::ifstream in(path);
  if (!in) return Error{"fake amdsmi: cannot read " + path};
  std::ostringstream text;
  text << in.rdbuf();
  return parse_scenario(text.str());
}

}  // namespace joulebench::fake_amdsmi
