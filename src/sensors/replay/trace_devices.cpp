#include "sensors/replay/trace_devices.hpp"

#include <array>
#include <cmath>
#include <optional>
#include <set>

#include "sensors/replay/csv_text.hpp"
#include "sensors/replay/trace_format.hpp"

namespace joulebench::replay {
namespace {

constexpr std::string_view kCapabilityPrefix = "cap.";
constexpr std::string_view kReasonPrefix = "why.";
static_assert(kCapabilityPrefix.size() == kReasonPrefix.size());

struct TextKey {
  std::string_view key;
  std::string DeviceInfo::*member;
};
constexpr std::array<TextKey, 6> kTextKeys = {{{"id", &DeviceInfo::id},
                                               {"sensor", &DeviceInfo::sensor},
                                               {"name", &DeviceInfo::name},
                                               {"uuid", &DeviceInfo::uuid},
                                               {"vendor", &DeviceInfo::vendor},
                                               {"driver", &DeviceInfo::driver_version}}};

struct NumberKey {
  std::string_view key;
  std::optional<double> DeviceInfo::*member;
};
constexpr std::array<NumberKey, 3> kNumberKeys = {
    {{"power_limit_w", &DeviceInfo::power_limit_w},
     {"counter_update_period_s", &DeviceInfo::counter_update_period_s},
     {"counter_max_j", &DeviceInfo::counter_max_j}}};

void append_pair(std::string& out, std::string_view key, std::string_view value) {
  out += ' ';
  out += key;
  out += '=';
  append_token(out, value);
}

using Problem = std::optional<std::string>;  // an error message, or nullopt when fine

Problem apply_capability(DeviceInfo& device, const KeyValue& pair, std::vector<std::string>& notes) {
  const bool is_flag = pair.key.substr(0, kCapabilityPrefix.size()) == kCapabilityPrefix;
  const auto metric = metric_from_string(pair.key.substr(kCapabilityPrefix.size()));
  if (!metric) {
    notes.push_back("device line: unknown key " + std::string(pair.key) + " ignored");
    return std::nullopt;
  }
  Capability& capability = device.capabilities[*metric];
  if (!is_flag) {
    capability.reason = pair.value;
    return std::nullopt;
  }
  if (pair.value != "yes" && pair.value != "no") {
    return std::string(pair.key) + ": " + quote_for_message(pair.value) + " is not yes or no";
  }
  capability.supported = pair.value == "yes";
  return std::nullopt;
}

Problem apply_number(DeviceInfo& device, const NumberKey& key, const KeyValue& pair) {
  auto value = parse_finite(pair.value);
  if (!value) return std::string(pair.key) + ": " + quote_for_message(pair.value) + " is not a number";
  device.*key.member = *value;
  return std::nullopt;
}

Problem apply(DeviceInfo& device, const KeyValue& pair, std::vector<std::string>& notes) {
  for (const auto& key : kTextKeys) {
    if (key.key == pair.key) {
      device.*key.member = pair.value;
      return std::nullopt;
    }
  }
  for (const auto& key : kNumberKeys) {
    if (key.key == pair.key) return apply_number(device, key, pair);
  }
  if (pair.key == "power_kind") {
    auto kind = power_kind_from_string(pair.value);
    if (!kind) return "power_kind: " + quote_for_message(pair.value) + " is not a power kind";
    device.power_kind = *kind;
    return std::nullopt;
  }
  if (pair.key.starts_with(kCapabilityPrefix) || pair.key.starts_with(kReasonPrefix)) {
    return apply_capability(device, pair, notes);
  }
  notes.push_back("device line: unknown key " + std::string(pair.key) + " ignored");
  return std::nullopt;
}

Problem check_index(const KeyValue& pair, std::size_t expected_index) {
  auto index = parse_uint(pair.value);
  if (!index) return "index: " + quote_for_message(pair.value) + " is not a device index";
  if (*index != expected_index) {
    return "device index " + pair.value + " where " + std::to_string(expected_index) +
           " was expected (devices are listed in order from 0)";
  }
  return std::nullopt;
}

}  // namespace

void append_device_line(std::string& out, std::size_t index, const DeviceInfo& device) {
  out += "# ";
  out += kDeviceDirective;
  out += " index=";
  out += std::to_string(index);
  for (const auto& key : kTextKeys) append_pair(out, key.key, device.*key.member);
  append_pair(out, "power_kind", to_string(device.power_kind));
  for (const auto& key : kNumberKeys) {
    const std::optional<double>& value = device.*key.member;
    if (!value || !std::isfinite(*value)) continue;
    out += ' ';
    out += key.key;
    out += '=';
    append_double(out, *value);
  }
  for (const auto& [metric, capability] : device.capabilities) {
    const std::string name = to_string(metric);
    append_pair(out, std::string(kCapabilityPrefix) + name, capability.supported ? "yes" : "no");
    if (!capability.reason.empty()) {
      append_pair(out, std::string(kReasonPrefix) + name, capability.reason);
    }
  }
  out += '\n';
}

Expected<DeviceInfo> parse_device_tokens(std::string_view tokens, std::size_t expected_index,
                                         std::vector<std::string>& notes) {
  auto pairs = parse_key_values(tokens);
  if (!pairs) return pairs.error();
  DeviceInfo device;
  bool has_index = false;
  std::set<std::string_view> seen;
  for (const auto& pair : *pairs) {
    if (!seen.insert(pair.key).second) return Error{"duplicate key " + std::string(pair.key)};
    Problem problem;
    if (pair.key == "index") {
      has_index = true;
      problem = check_index(pair, expected_index);
    } else {
      problem = apply(device, pair, notes);
    }
    if (problem) return Error{std::move(*problem)};
  }
  if (!has_index) return Error{"device line without index="};
  if (device.id.empty()) return Error{"device line without id="};
  return device;
}

}  // namespace joulebench::replay
