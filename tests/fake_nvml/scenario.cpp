#include "scenario.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <set>

#include "sensors/nvml/nvml_api.hpp"

namespace joulebench::fake_nvml {
namespace {

using nlohmann::json;
namespace symbol = nvml::symbol;

// The per-device entry points a scenario may make fail.
constexpr const char* kDeviceFunctions[] = {
    symbol::kDeviceGetHandleByIndex,
    symbol::kDeviceGetName,
    symbol::kDeviceGetUuid,
    symbol::kDeviceGetPowerUsage,
    symbol::kDeviceGetTotalEnergyConsumption,
    symbol::kDeviceGetFieldValues,
    symbol::kDeviceGetEnforcedPowerLimit,
    symbol::kDeviceGetTemperature,
    symbol::kDeviceGetUtilizationRates,
    symbol::kDeviceGetMemoryInfo,
    symbol::kDeviceGetClockInfo,
    symbol::kDeviceGetCurrentClocksEventReasons,
    symbol::kDeviceGetPowerManagementLimit,
    symbol::kDeviceSetPowerManagementLimit,
    symbol::kDeviceGetPowerManagementLimitConstraints,
    symbol::kDeviceGetPowerManagementDefaultLimit,
    symbol::kDeviceSetGpuLockedClocks,
    symbol::kDeviceResetGpuLockedClocks,
    symbol::kDeviceSetMemoryLockedClocks,
    symbol::kDeviceResetMemoryLockedClocks,
    symbol::kDeviceGetSupportedMemoryClocks,
    symbol::kDeviceGetSupportedGraphicsClocks,
    symbol::kDeviceGetCurrentClocksThrottleReasons,
    symbol::kDeviceGetArchitecture,
};

// Thrown inside the parser only; parse_scenario turns it into an Error.
struct BadScenario {
  std::string message;
};

[[noreturn]] void fail(const std::string& path, const std::string& what) {
  throw BadScenario{path + ": " + what};
}

double number(const json& value, const std::string& path) {
  if (!value.is_number()) fail(path, "expected a number");
  const double result = value.get<double>();
  if (!std::isfinite(result)) fail(path, "expected a finite number");
  return result;
}

double non_negative(const json& value, const std::string& path) {
  const double result = number(value, path);
  if (result < 0.0) fail(path, "must not be negative");
  return result;
}

double positive(const json& value, const std::string& path) {
  const double result = number(value, path);
  if (result <= 0.0) fail(path, "must be greater than 0");
  return result;
}

std::uint64_t unsigned_integer(const json& value, const std::string& path) {
  if (!value.is_number_unsigned()) fail(path, "expected a non-negative integer");
  return value.get<std::uint64_t>();
}

unsigned unsigned_32(const json& value, const std::string& path) {
  const std::uint64_t result = unsigned_integer(value, path);
  if (result > 0xFFFFFFFFU) fail(path, "does not fit in 32 bits");
  return static_cast<unsigned>(result);
}

std::string text(const json& value, const std::string& path) {
  if (!value.is_string()) fail(path, "expected a string");
  return value.get<std::string>();
}

bool boolean(const json& value, const std::string& path) {
  if (!value.is_boolean()) fail(path, "expected true or false");
  return value.get<bool>();
}

// A code as a number (9) or by name ("DRIVER_NOT_LOADED").
int return_code(const json& value, const std::string& path) {
  if (value.is_number_integer()) return value.get<int>();
  const std::string name = text(value, path);
  for (const auto& entry : nvml::kReturnCodeNames) {
    if (name == entry.name) return entry.code;
  }
  fail(path, "unknown NVML return code '" + name + "'");
}

std::string function_name(const json& value, const std::string& path) {
  std::string name = text(value, path);
  const auto known = std::find_if(std::begin(kDeviceFunctions), std::end(kDeviceFunctions),
                                  [&](const char* function) { return name == function; });
  if (known == std::end(kDeviceFunctions)) fail(path, "not a device function: '" + name + "'");
  return name;
}

const json& array(const json& value, const std::string& path, const char* shape) {
  if (!value.is_array()) fail(path, std::string("expected ") + shape);
  return value;
}

std::string at_index(const std::string& path, std::size_t index) {
  return path + "[" + std::to_string(index) + "]";
}

// A number (constant) or [[t_s, value], ...] with non-decreasing times; values are never
// negative (power, temperature, clocks, bytes).
Profile profile(const json& value, const std::string& path) {
  if (value.is_number()) return Profile(non_negative(value, path));
  const char* shape = "a number or [[t_s, value], ...]";
  const json& points_json = array(value, path, shape);
  if (points_json.empty()) fail(path, "needs at least one point");
  std::vector<Profile::Point> points;
  for (std::size_t i = 0; i < points_json.size(); ++i) {
    const std::string point_path = at_index(path, i);
    const json& point = array(points_json[i], point_path, "[t_s, value]");
    if (point.size() != 2) fail(point_path, "expected [t_s, value]");
    points.push_back(
        {number(point[0], point_path + "[0]"), non_negative(point[1], point_path + "[1]")});
    if (i > 0 && points[i].t_s < points[i - 1].t_s) fail(point_path, "time goes backwards");
  }
  return Profile(std::move(points));
}

std::vector<unsigned> pid_list(const json& value, const std::string& path) {
  std::vector<unsigned> pids;
  const json& list = array(value, path, "[pid, ...]");
  for (std::size_t i = 0; i < list.size(); ++i)
    pids.push_back(unsigned_32(list[i], at_index(path, i)));
  return pids;
}

// Supported clocks: a non-empty list of MHz, kept in NVML's order (highest first).
std::vector<unsigned> clock_list(const json& value, const std::string& path) {
  const json& list = array(value, path, "a list of clocks in MHz");
  if (list.empty()) fail(path, "needs at least one clock");
  std::vector<unsigned> clocks;
  for (std::size_t i = 0; i < list.size(); ++i)
    clocks.push_back(unsigned_32(list[i], at_index(path, i)));
  std::sort(clocks.rbegin(), clocks.rend());
  return clocks;
}

std::vector<ThrottleInterval> throttle_intervals(const json& value, const std::string& path) {
  std::vector<ThrottleInterval> intervals;
  const json& list = array(value, path, "[[from_s, to_s, mask], ...]");
  for (std::size_t i = 0; i < list.size(); ++i) {
    const std::string item_path = at_index(path, i);
    const json& item = array(list[i], item_path, "[from_s, to_s, mask]");
    if (item.size() != 3) fail(item_path, "expected [from_s, to_s, mask]");
    ThrottleInterval interval{number(item[0], item_path + "[0]"),
                              number(item[1], item_path + "[1]"),
                              unsigned_integer(item[2], item_path + "[2]")};
    if (interval.to_s < interval.from_s) fail(item_path, "ends before it starts");
    intervals.push_back(interval);
  }
  return intervals;
}

// Tracks which keys of one JSON object were read, so that a misspelt field is an error
// instead of a silently ignored default.
class Fields {
 public:
  Fields(const json& object, std::string path) : object_(object), path_(std::move(path)) {
    if (!object_.is_object()) fail(path_, "expected an object");
  }

  // Calls `visit(value, path)` when `key` is present.
  template <class Visit>
  void visit(const char* key, Visit visit) {
    known_.insert(key);
    const auto found = object_.find(key);
    if (found != object_.end()) visit(*found, path(key));
  }

  // Stores `convert(value, path)` in `out` when `key` is present.
  template <class T, class Convert>
  void read(const char* key, T& out, Convert convert) {
    visit(key, [&](const json& value, const std::string& at) { out = convert(value, at); });
  }

  void reject_unknown() const {
    for (auto it = object_.begin(); it != object_.end(); ++it) {
      if (known_.count(it.key()) == 0) fail(path_, "unknown field '" + it.key() + "'");
    }
  }

  std::string path(const char* key) const { return path_ + "." + key; }
  bool has(const char* key) const { return object_.contains(key); }

 private:
  const json& object_;
  std::string path_;
  std::set<std::string> known_;
};

std::vector<Failure> failures(const json& value, const std::string& path) {
  std::vector<Failure> result;
  const json& list = array(value, path, "a list of {function, error, from_s, to_s}");
  for (std::size_t i = 0; i < list.size(); ++i) {
    Fields fields(list[i], at_index(path, i));
    Failure failure;
    fields.read("function", failure.function, function_name);
    fields.read("error", failure.code, return_code);
    fields.read("from_s", failure.from_s, number);
    fields.read("to_s", failure.to_s, number);
    fields.reject_unknown();
    if (failure.function.empty()) fail(at_index(path, i), "needs a function");
    if (failure.code == nvml::kSuccess) fail(at_index(path, i), "needs a non-SUCCESS error");
    result.push_back(std::move(failure));
  }
  return result;
}

std::vector<Failure> unsupported(const json& value, const std::string& path) {
  std::vector<Failure> result;
  const json& list = array(value, path, "a list of function names");
  for (std::size_t i = 0; i < list.size(); ++i) {
    Failure failure;
    failure.function = function_name(list[i], at_index(path, i));
    failure.code = nvml::kNotSupported;
    result.push_back(std::move(failure));
  }
  return result;
}

std::string default_uuid(std::size_t index) {
  char uuid[48];
  std::snprintf(uuid, sizeof uuid, "GPU-fa4e0000-0000-0000-0000-%012zx", index);
  return uuid;
}

void read_activity(Fields& fields, DeviceScenario& device) {
  if (!fields.has("activity_file")) {
    if (fields.has("busy_power_w")) fail(fields.path("busy_power_w"), "needs activity_file");
    return;
  }
  if (fields.has("power_w") || fields.has("load_file"))
    fail(fields.path("activity_file"), "use one of power_w, load_file, activity_file");
  ActivityDrivenPower activity;
  fields.read("activity_file", activity.activity_file, text);
  fields.read("idle_power_w", activity.idle_power_w, non_negative);
  fields.read("busy_power_w", activity.busy_power_w, non_negative);
  device.activity = std::move(activity);
}

PartTimeSampling part_time_sampling(const json& value, const std::string& path) {
  Fields fields(value, path);
  PartTimeSampling sampling;
  fields.read("cycle_s", sampling.cycle_s, positive);
  fields.read("window_s", sampling.window_s, positive);
  fields.read("phase_s", sampling.phase_s, non_negative);
  fields.reject_unknown();
  if (sampling.phase_s + sampling.window_s > sampling.cycle_s)
    fail(path, "phase_s + window_s must fit in cycle_s");
  return sampling;
}

void read_load(Fields& fields, DeviceScenario& device) {
  if (!fields.has("load_file")) {
    if (fields.has("power_per_load_w")) fail(fields.path("power_per_load_w"), "needs load_file");
    if (fields.has("idle_power_w") && !fields.has("activity_file"))
      fail(fields.path("idle_power_w"), "needs load_file or activity_file");
    return;
  }
  if (fields.has("power_w")) fail(fields.path("load_file"), "use either power_w or load_file");
  LoadDrivenPower load;
  fields.read("load_file", load.load_file, text);
  fields.read("idle_power_w", load.idle_power_w, non_negative);
  fields.read("power_per_load_w", load.power_per_load_w, non_negative);
  device.load = std::move(load);
}

void read_power(Fields& fields, DeviceScenario& d) {
  fields.read("power_w", d.power_w, profile);
  read_load(fields, d);
  read_activity(fields, d);
  fields.read("part_time_sensor", d.part_time, part_time_sampling);
  if (d.part_time && d.load)
    fail(fields.path("part_time_sensor"), "needs power_w or activity_file");
  fields.read("truth_file", d.truth_file, text);
  fields.read("power_usage_average_s", d.power_usage_average_s, positive);
  fields.read("power_instant_field", d.power_instant_field, boolean);
  fields.read("power_limit_w", d.power_limit_w, non_negative);
  fields.read("energy_counter", d.energy_counter, boolean);
  fields.read("energy_start_mj", d.energy_start_mj, unsigned_integer);
  fields.read("counter_update_period_s", d.counter_update_period_s, positive);
}

// The settable limits and clocks of power-limit and clock sweeps.
void read_settings(Fields& fields, DeviceScenario& d) {
  d.power_limit_default_w = d.power_limit_w;
  d.power_limit_max_w = d.power_limit_w;
  fields.read("power_limit_default_w", d.power_limit_default_w, non_negative);
  fields.read("power_limit_min_w", d.power_limit_min_w, non_negative);
  fields.read("power_limit_max_w", d.power_limit_max_w, non_negative);
  if (!fields.has("power_limit_min_w")) d.power_limit_min_w = std::min(200.0, d.power_limit_max_w);
  if (d.power_limit_min_w > d.power_limit_max_w)
    fail(fields.path("power_limit_min_w"), "is above power_limit_max_w");
  fields.read("graphics_clocks_mhz", d.graphics_clocks_mhz, clock_list);
  fields.read("memory_clocks_mhz", d.memory_clocks_mhz, clock_list);
}

void read_other_metrics(Fields& fields, DeviceScenario& d) {
  fields.read("temperature_c", d.temperature_c, profile);
  fields.read("gpu_utilization_pct", d.gpu_utilization_pct, profile);
  fields.read("memory_utilization_pct", d.memory_utilization_pct, profile);
  fields.read("sm_clock_mhz", d.sm_clock_mhz, profile);
  fields.read("memory_used_bytes", d.memory_used_bytes, profile);
  fields.read("memory_total_bytes", d.memory_total_bytes, non_negative);
  fields.read("throttle", d.throttle, throttle_intervals);
  fields.read("compute_pids", d.compute_pids, pid_list);
}

DeviceScenario device(const json& object, std::size_t index) {
  Fields fields(object, at_index("devices", index));
  DeviceScenario d;
  d.uuid = default_uuid(index);
  fields.read("name", d.name, text);
  fields.read("uuid", d.uuid, text);
  fields.read("architecture", d.architecture, unsigned_32);
  read_power(fields, d);
  read_settings(fields, d);
  read_other_metrics(fields, d);
  fields.read("lost_at_s", d.lost_at_s, number);
  fields.read("unsupported", d.failures, unsupported);
  fields.visit("failures", [&](const json& v, const std::string& p) {
    auto timed = failures(v, p);
    d.failures.insert(d.failures.end(), timed.begin(), timed.end());
  });
  fields.reject_unknown();
  return d;
}

Scenario scenario(const json& root) {
  Fields fields(root, "scenario");
  Scenario result;
  fields.read("driver_version", result.driver_version, text);
  fields.read("init_error", result.init_error, return_code);
  bool has_devices = false;
  fields.visit("devices", [&](const json& v, const std::string& p) {
    has_devices = true;
    const json& list = array(v, p, "a list of devices");
    for (std::size_t i = 0; i < list.size(); ++i) result.devices.push_back(device(list[i], i));
  });
  fields.reject_unknown();
  if (!has_devices) fail("scenario", "needs \"devices\" (may be [])");
  return result;
}

std::size_t line_of(std::string_view text, std::size_t byte) {
  const std::size_t end = std::min(byte, text.size());
  return 1 + static_cast<std::size_t>(std::count(text.begin(), text.begin() + end, '\n'));
}

}  // namespace

Expected<Scenario> parse_scenario(std::string_view json_text) {
  json root;
  try {
    root = json::parse(json_text);
  } catch (const json::parse_error& error) {
    // nlohmann's byte is 1-based: the offending character.
    const std::size_t byte = error.byte > 0 ? error.byte - 1 : 0;
    return Error{"invalid JSON: " + std::string(error.what()), "", line_of(json_text, byte)};
  }
  try {
    return scenario(root);
  } catch (const BadScenario& bad) {
    return Error{bad.message};
  }
}

Scenario default_scenario() {
  Scenario result;
  result.devices.emplace_back();
  result.devices.back().uuid = default_uuid(0);
  return result;
}

}  // namespace joulebench::fake_nvml
