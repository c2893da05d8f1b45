#include "workloads/gpu_settings/setting_plan.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <charconv>

namespace joulebench::gpu_settings {
namespace {

std::string_view trim(std::string_view text) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  return text;
}

const char* unit(Knob knob) { return knob == Knob::power_limit ? "W" : "MHz"; }

bool is_default_word(std::string_view word, Knob knob) {
  if (word == "default") return true;
  return knob != Knob::power_limit && word == "max";
}

Expected<KnobValue> parse_one(std::string_view entry, Knob knob) {
  const std::string flag = flag_name(knob);
  if (is_default_word(entry, knob)) return KnobValue{knob, std::nullopt};
  std::string_view digits = entry;
  const std::string_view suffix = unit(knob);
  if (digits.size() > suffix.size() && digits.substr(digits.size() - suffix.size()) == suffix)
    digits = trim(digits.substr(0, digits.size() - suffix.size()));
  unsigned number = 0;
  const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), number);
  if (error != std::errc{} || end != digits.data() + digits.size() || number == 0) {
    const char* words = knob == Knob::power_limit ? "default" : "max";
    return Error{fmt::format("{}: '{}' is not a positive whole number of {} or {}", flag, entry,
                             suffix, words)};
  }
  return KnobValue{knob, number};
}

}  // namespace

const char* flag_name(Knob knob) {
  switch (knob) {
    case Knob::power_limit:
      return "--power-limits";
    case Knob::gpu_clock:
      return "--gpu-clocks";
    case Knob::memory_clock:
      return "--mem-clocks";
  }
  return "";
}

std::string describe(const KnobValue& value) {
  const char* name = value.knob == Knob::power_limit ? "power-limit"
                     : value.knob == Knob::gpu_clock ? "gpu-clock"
                                                     : "mem-clock";
  if (!value.value)
    return fmt::format("{} {}", name, value.knob == Knob::power_limit ? "default" : "max");
  return fmt::format("{} {} {}", name, *value.value, unit(value.knob));
}

Expected<std::vector<KnobValue>> parse_knob_values(std::string_view text, Knob knob) {
  std::vector<KnobValue> values;
  if (trim(text).empty()) return values;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t comma = std::min(text.find(',', start), text.size());
    const std::string_view entry = trim(text.substr(start, comma - start));
    if (entry.empty()) return Error{std::string(flag_name(knob)) + ": empty entry"};
    auto value = parse_one(entry, knob);
    if (!value) return value.error();
    const bool repeated = std::any_of(values.begin(), values.end(),
                                      [&](const KnobValue& v) { return v.value == value->value; });
    if (repeated) return Error{fmt::format("{}: '{}' is given twice", flag_name(knob), entry)};
    values.push_back(*value);
    start = comma + 1;
  }
  return values;
}

Expected<double> parse_max_slowdown(std::string_view text) {
  std::string_view number = trim(text);
  if (!number.empty() && number.back() == '%') number.remove_suffix(1);
  double percent = 0.0;
  const auto [end, error] = std::from_chars(number.data(), number.data() + number.size(), percent);
  if (error != std::errc{} || end != number.data() + number.size() || percent < 0.0 ||
      percent > 100.0) {
    return Error{fmt::format("--max-slowdown: '{}' is not a percentage from 0% to 100%", text)};
  }
  return percent;
}

std::string Setting::name() const {
  std::vector<std::string> parts;
  for (const auto* knob : {&power_limit, &gpu_clock, &memory_clock}) {
    if (*knob) parts.push_back(describe(**knob));
  }
  return parts.empty() ? "as found" : fmt::format("{}", fmt::join(parts, ", "));
}

bool Setting::is_default() const {
  for (const auto* knob : {&power_limit, &gpu_clock, &memory_clock}) {
    if (*knob && (*knob)->value) return false;
  }
  return true;
}

std::vector<std::string> Setting::labels() const {
  std::vector<std::string> labels;
  auto add = [&](const std::optional<KnobValue>& knob, const char* key, const char* word) {
    if (!knob) return;
    labels.push_back(
        fmt::format("{}={}", key, knob->value ? std::to_string(*knob->value) : std::string(word)));
  };
  add(power_limit, "power_limit_w", "default");
  add(gpu_clock, "gpu_clock_mhz", "max");
  add(memory_clock, "mem_clock_mhz", "max");
  return labels;
}

std::vector<Setting> cross(const std::vector<KnobValue>& power_limits,
                           const std::vector<KnobValue>& gpu_clocks,
                           const std::vector<KnobValue>& memory_clocks) {
  // An unswept knob contributes one "leave it" entry.
  auto or_unset = [](const std::vector<KnobValue>& values) {
    std::vector<std::optional<KnobValue>> out(values.begin(), values.end());
    if (out.empty()) out.emplace_back();
    return out;
  };
  std::vector<Setting> settings;
  for (const auto& limit : or_unset(power_limits)) {
    for (const auto& gpu : or_unset(gpu_clocks)) {
      for (const auto& memory : or_unset(memory_clocks)) settings.push_back({limit, gpu, memory});
    }
  }
  return settings;
}

std::optional<std::string> check_values(const std::vector<KnobValue>& values,
                                        const GpuConstraints& gpu) {
  const std::string who = fmt::format("GPU {} ({})", gpu.index, gpu.name);
  for (const auto& value : values) {
    const std::string flag = flag_name(value.knob);
    if (value.knob == Knob::power_limit) {
      if (!gpu.power_limit_unsupported.empty())
        return fmt::format("{}: {} cannot change its power limit: {}", flag, who,
                           gpu.power_limit_unsupported);
      if (!value.value) continue;
      if (!gpu.power_limit_min_mw || !gpu.power_limit_max_mw)
        return fmt::format("{}: {} does not tell its power limit range", flag, who);
      const unsigned mw = *value.value * 1000U;
      if (mw < *gpu.power_limit_min_mw || mw > *gpu.power_limit_max_mw)
        return fmt::format("{}: {} W is outside what {} allows, {}-{} W", flag, *value.value, who,
                           *gpu.power_limit_min_mw / 1000, *gpu.power_limit_max_mw / 1000);
      continue;
    }
    const bool graphics = value.knob == Knob::gpu_clock;
    const auto& clocks = graphics ? gpu.graphics_clocks_mhz : gpu.memory_clocks_mhz;
    const std::string& unsupported =
        graphics ? gpu.gpu_clocks_unsupported : gpu.memory_clocks_unsupported;
    const char* what = graphics ? "graphics" : "memory";
    if (!unsupported.empty() || clocks.empty())
      return fmt::format("{}: {} cannot lock its {} clock: {}", flag, who, what,
                         unsupported.empty() ? "no supported clocks listed" : unsupported);
    if (!value.value) continue;
    const auto [low, high] = std::minmax_element(clocks.begin(), clocks.end());
    if (*value.value < *low || *value.value > *high)
      return fmt::format("{}: {} MHz is outside what {} allows, {}-{} MHz", flag, *value.value, who,
                         *low, *high);
  }
  return std::nullopt;
}

}  // namespace joulebench::gpu_settings
