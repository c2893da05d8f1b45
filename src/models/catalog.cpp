#include "models/catalog.hpp"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "results/json_fields.hpp"

namespace joulebench::models {
namespace {

using nlohmann::json;

constexpr const char* kBuiltinCatalog = "data/gpus.json (built in)";
constexpr const char* kBuiltinGrid = "data/grid-carbon.json (built in)";

// Lower case, without '-', '_' and blanks: the form names are compared in.
std::string folded(const std::string& name) {
  std::string out;
  for (char c : name) {
    if (c == '-' || c == '_' || std::isspace(static_cast<unsigned char>(c))) continue;
    out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  return out;
}

Expected<json> parse_object(const std::string& text, const std::string& origin,
                            const char* array_key) {
  json document = json::parse(text, nullptr, false);
  if (document.is_discarded() || !document.is_object() || !document.contains(array_key) ||
      !document[array_key].is_array()) {
    return Error{std::string("not a JSON object with an array '") + array_key + "'", origin};
  }
  return document;
}

Expected<std::string> read_text(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Error{"cannot read file", path};
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string cited(const json& sources, const std::string& key) {
  return sources.is_object() && sources.contains(key) && sources[key].is_string()
             ? sources[key].get<std::string>()
             : key;
}

// "part_time_sampling": {"cycle_s": 0.1, "window_s": 0.025, "source": KEY}; absent = unknown.
void read_part_time_sampling(const json& entry, const json& sources, GpuSpec& gpu) {
  if (!entry.contains("part_time_sampling") || !entry["part_time_sampling"].is_object()) return;
  const json& sampling = entry["part_time_sampling"];
  gpu.part_time_cycle_s = number_at(sampling, "cycle_s");
  gpu.part_time_window_s = number_at(sampling, "window_s");
  gpu.part_time_source = cited(sources, text_at(sampling, "source"));
}

GpuSpec gpu_from_json(const json& entry, const json& sources) {
  GpuSpec gpu;
  gpu.name = text_at(entry, "name");
  if (entry.contains("aliases") && entry["aliases"].is_array()) {
    for (const auto& alias : entry["aliases"]) {
      if (alias.is_string()) gpu.aliases.push_back(alias.get<std::string>());
    }
  }
  gpu.vendor = text_at(entry, "vendor");
  gpu.tdp_w = number_at(entry, "tdp_w");
  gpu.idle_w = number_at(entry, "idle_w");
  gpu.idle_note = gpu.idle_w ? text_at(entry, "idle_source") : text_at(entry, "idle_reason");
  gpu.memory_gb = number_at(entry, "memory_gb");
  gpu.memory_bandwidth_gb_s = number_at(entry, "memory_bandwidth_gb_s");
  read_part_time_sampling(entry, sources, gpu);
  const std::string source_key = text_at(entry, "source");
  gpu.source = cited(sources, source_key);
  return gpu;
}

}  // namespace

Expected<std::vector<GpuSpec>> parse_gpu_catalog(const std::string& json_text,
                                                 const std::string& origin) {
  auto document = parse_object(json_text, origin, "gpus");
  if (!document) return document.error();
  const json sources = document->value("sources", json::object());
  std::vector<GpuSpec> catalog;
  for (const auto& entry : (*document)["gpus"]) {
    if (!entry.is_object() || text_at(entry, "name").empty()) {
      return Error{"gpus[" + std::to_string(catalog.size()) + "]: an entry without a name", origin};
    }
    catalog.push_back(gpu_from_json(entry, sources));
  }
  return catalog;
}

std::vector<SensorAccuracy> builtin_sensor_accuracy() {
  const json document = json::parse(builtin_gpu_catalog_json(), nullptr, false);
  std::vector<SensorAccuracy> out;
  if (!document.is_object() || !document.contains("sensor_accuracy")) return out;
  const json sources = document.value("sources", json::object());
  for (const auto& entry : document["sensor_accuracy"]) {
    if (!entry.is_object()) continue;
    SensorAccuracy accuracy{text_at(entry, "vendor"), number_at(entry, "power_w"), {}};
    accuracy.source =
        accuracy.power_w ? cited(sources, text_at(entry, "source")) : text_at(entry, "reason");
    out.push_back(std::move(accuracy));
  }
  return out;
}

const SensorAccuracy* find_sensor_accuracy(const std::vector<SensorAccuracy>& table,
                                           const std::string& vendor) {
  for (const auto& entry : table) {
    if (entry.vendor == vendor) return &entry;
  }
  return nullptr;
}

Expected<GridTable> parse_grid_table(const std::string& json_text, const std::string& origin) {
  auto document = parse_object(json_text, origin, "regions");
  if (!document) return document.error();
  GridTable table{text_at(*document, "source"), document->value("year", 0), {}};
  for (const auto& entry : (*document)["regions"]) {
    const auto intensity = entry.is_object() ? number_at(entry, "g_co2_per_kwh") : std::nullopt;
    if (!intensity || text_at(entry, "code").empty()) {
      return Error{
          "regions[" + std::to_string(table.regions.size()) + "]: needs code and g_co2_per_kwh",
          origin};
    }
    table.regions.push_back({text_at(entry, "code"), text_at(entry, "name"), *intensity});
  }
  return table;
}

Expected<std::vector<GpuSpec>> load_gpu_catalog(const std::string& path) {
  if (path.empty()) return parse_gpu_catalog(builtin_gpu_catalog_json(), kBuiltinCatalog);
  auto text = read_text(path);
  if (!text) return text.error();
  return parse_gpu_catalog(*text, path);
}

Expected<GridTable> load_grid_table(const std::string& path) {
  if (path.empty()) return parse_grid_table(builtin_grid_table_json(), kBuiltinGrid);
  auto text = read_text(path);
  if (!text) return text.error();
  return parse_grid_table(*text, path);
}

Expected<GpuSpec> find_gpu(const std::vector<GpuSpec>& catalog, const std::string& name) {
  const std::string wanted = folded(name);
  std::vector<std::string> close;
  for (const auto& gpu : catalog) {
    std::vector<std::string> names = gpu.aliases;
    names.push_back(gpu.name);
    for (const auto& candidate : names) {
      const std::string key = folded(candidate);
      if (key == wanted) return gpu;
      if (!wanted.empty() &&
          (key.find(wanted) != std::string::npos || wanted.find(key) != std::string::npos)) {
        if (std::find(close.begin(), close.end(), gpu.name) == close.end())
          close.push_back(gpu.name);
      }
    }
  }
  std::string message = "--gpu: '" + name + "' is not in the GPU catalog";
  if (!close.empty()) {
    message += " (did you mean";
    for (std::size_t i = 0; i < close.size(); ++i) message += (i ? ", " : " ") + close[i];
    message += "?)";
  }
  return Error{message};
}

std::optional<GpuSpec> find_gpu_for_device(const std::vector<GpuSpec>& catalog,
                                           const std::string& device_name) {
  std::string name = device_name;
  for (const char* vendor : {"NVIDIA ", "AMD "}) {
    if (name.starts_with(vendor)) name.erase(0, std::char_traits<char>::length(vendor));
  }
  // A compute partition is named after its GPU: "AMD Instinct MI300X (CPX partition)".
  if (const auto partition = name.find(" (");
      partition != std::string::npos && name.ends_with(" partition)")) {
    name.erase(partition);
  }
  auto found = find_gpu(catalog, name);
  if (!found) return std::nullopt;
  return *found;
}

Expected<GridRegion> find_region(const GridTable& table, const std::string& code) {
  for (const auto& region : table.regions) {
    if (folded(region.code) == folded(code)) return region;
  }
  std::string known;
  for (const auto& region : table.regions) known += (known.empty() ? "" : ", ") + region.code;
  return Error{"--region: '" + code + "' is not in the grid table (known: " + known + ")"};
}

}  // namespace joulebench::models
