#include "sensors/rapl/rapl_zones.hpp"

#include <charconv>
#include <filesystem>
#include <map>
#include <string_view>
#include <utility>

#include "platform/files.hpp"
#include "sensors/rapl/energy_file.hpp"

namespace joulebench::rapl {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kZonePrefix = "intel-rapl:";
constexpr int kTopLevel = -1;

// (package index, sub-zone index or kTopLevel): orders a package before its sub-zones.
using ZoneKey = std::pair<int, int>;

std::optional<int> parse_index(std::string_view text) {
  int value = 0;
  const char* end = text.data() + text.size();
  const auto [stop, error] = std::from_chars(text.data(), end, value);
  if (text.empty() || error != std::errc() || stop != end || value < 0) return std::nullopt;
  return value;
}

// "intel-rapl:3" -> {3, top}, "intel-rapl:3:1" -> {3, 1}; anything else -> nullopt.
std::optional<ZoneKey> parse_zone_key(std::string_view name) {
  if (name.substr(0, kZonePrefix.size()) != kZonePrefix) return std::nullopt;
  name.remove_prefix(kZonePrefix.size());
  const auto colon = name.find(':');
  const auto package = parse_index(name.substr(0, colon));
  if (!package) return std::nullopt;
  if (colon == std::string_view::npos) return ZoneKey{*package, kTopLevel};
  const auto sub = parse_index(name.substr(colon + 1));
  if (!sub) return std::nullopt;
  return ZoneKey{*package, *sub};
}

// Calls visit(key, path) for each zone directory in `directory`; never throws.
template <class Visit>
void for_each_zone_in(const fs::path& directory, std::error_code& error, Visit visit) {
  fs::directory_iterator it(directory, error);
  for (; !error && it != fs::directory_iterator(); it.increment(error)) {
    const auto key = parse_zone_key(it->path().filename().string());
    std::error_code not_a_directory;
    if (key && it->is_directory(not_a_directory)) visit(*key, it->path());
  }
}

// Zone directories by key. sysfs links every zone at the top of /sys/class/powercap; a
// sub-zone that is only nested in its parent's directory is found there too.
std::map<ZoneKey, fs::path> list_zone_directories(const fs::path& root, std::error_code& error) {
  std::map<ZoneKey, fs::path> zones;
  for_each_zone_in(root, error,
                   [&](ZoneKey key, const fs::path& path) { zones.emplace(key, path); });
  if (error) return zones;
  std::map<ZoneKey, fs::path> nested;
  for (const auto& [parent, directory] : zones) {
    if (parent.second != kTopLevel) continue;
    std::error_code ignored;
    for_each_zone_in(directory, ignored, [&](ZoneKey key, const fs::path& path) {
      if (key.first == parent.first && key.second != kTopLevel) nested.emplace(key, path);
    });
  }
  zones.merge(nested);  // keeps the top-level link where both exist
  return zones;
}

std::optional<std::string> read_name(const fs::path& directory) {
  auto text = platform::read_file((directory / "name").string());
  if (!text) return std::nullopt;
  std::string name = std::move(*text);
  while (!name.empty() && (name.back() == '\n' || name.back() == ' ')) name.pop_back();
  if (name.empty()) return std::nullopt;
  return name;
}

std::optional<std::uint64_t> read_uint(const fs::path& file) {
  auto text = platform::read_file(file.string());
  if (!text) return std::nullopt;
  return parse_sysfs_uint(*text);
}

std::optional<double> positive_uj_as_j(std::optional<std::uint64_t> micro) {
  if (!micro || *micro == 0) return std::nullopt;
  return static_cast<double>(*micro) / 1e6;
}

std::optional<double> long_term_limit_w(const fs::path& directory) {
  const auto name = platform::read_file((directory / "constraint_0_name").string());
  if (!name || name->rfind("long_term", 0) != 0) return std::nullopt;
  return positive_uj_as_j(read_uint(directory / "constraint_0_power_limit_uw"));
}

RaplZone make_zone(const fs::path& directory, std::string name) {
  RaplZone zone;
  zone.directory = directory.string();
  zone.id = "rapl:" + name;
  zone.name = std::move(name);
  zone.counter_max_j = positive_uj_as_j(read_uint(directory / "max_energy_range_uj"));
  zone.power_limit_w = long_term_limit_w(directory);
  return zone;
}

// Ids must stay unique within a run even if two zones claim the same name.
bool has_id(const std::vector<RaplZone>& zones, const std::string& id) {
  for (const auto& zone : zones) {
    if (zone.id == id) return true;
  }
  return false;
}

bool is_package(const std::string& name) { return name.rfind("package-", 0) == 0; }

std::string join(const std::vector<std::string>& names) {
  std::string joined;
  for (const auto& name : names) joined += (joined.empty() ? "" : ", ") + name;
  return joined.empty() ? "none named" : joined;
}

}  // namespace

Expected<std::vector<RaplZone>> find_rapl_zones(const std::string& root) {
  std::error_code error;
  const auto directories = list_zone_directories(root, error);
  if (error) {
    return Error{"no powercap RAPL zones under " + root + " (" + error.message() + ")"};
  }
  if (directories.empty()) return Error{"no powercap RAPL zones under " + root};

  std::vector<RaplZone> zones;
  std::vector<std::string> seen;
  std::map<int, std::string> packages;  // package index -> package zone name
  for (const auto& [key, directory] : directories) {
    const auto name = read_name(directory);
    if (!name) continue;
    seen.push_back(*name);
    std::optional<std::string> taken;
    if (key.second == kTopLevel && is_package(*name)) {
      packages[key.first] = *name;
      taken = *name;
    } else if (*name == "dram" && packages.count(key.first) != 0) {
      taken = packages[key.first] + "/dram";
    }
    if (taken && !has_id(zones, "rapl:" + *taken)) zones.push_back(make_zone(directory, *taken));
  }
  if (zones.empty()) {
    return Error{"no RAPL package zone under " + root + " (zones found: " + join(seen) + ")"};
  }
  return zones;
}

}  // namespace joulebench::rapl
