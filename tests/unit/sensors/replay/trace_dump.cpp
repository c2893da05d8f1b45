#include "trace_dump.hpp"

#include <fmt/format.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

namespace joulebench::testing {
namespace {

constexpr std::size_t kAllSamplesUpTo = 12;
constexpr std::size_t kSamplesAtEachEnd = 5;

std::string text(const std::optional<double>& value) {
  return value ? fmt::format("{}", *value) : "-";
}

std::string text(const std::optional<std::uint64_t>& value) {
  return value ? fmt::format("{}", *value) : "-";
}

std::string mask_text(const std::optional<std::uint64_t>& value) {
  return value ? fmt::format("{:#x}", *value) : "-";
}

void dump_sample(std::string& out, const Sample& s) {
  out += fmt::format(
      "    time_ns={} power_w={} energy_counter_j={} temperature_c={} gpu_utilization_pct={} "
      "sm_clock_mhz={} memory_used_bytes={} throttle_mask={}\n",
      s.time_ns, text(s.power_w), text(s.energy_counter_j), text(s.temperature_c),
      text(s.gpu_utilization_pct), text(s.sm_clock_mhz), text(s.memory_used_bytes),
      mask_text(s.throttle_mask));
}

// Sums over every sample, so that a change anywhere in a long trace shows.
void dump_sums(std::string& out, const std::vector<Sample>& samples) {
  double power = 0.0;
  double temperature = 0.0;
  std::size_t power_count = 0;
  long long time_sum = 0;
  for (const auto& s : samples) {
    if (s.power_w) {
      power += *s.power_w;
      ++power_count;
    }
    if (s.temperature_c) temperature += *s.temperature_c;
    time_sum += s.time_ns / 1000;
  }
  out += fmt::format("  sums: power_w={} ({} values) temperature_c={} time_us={}\n", power,
                     power_count, temperature, time_sum);
}

void dump_samples(std::string& out, const std::vector<Sample>& samples) {
  out += fmt::format("  samples: {}\n", samples.size());
  if (samples.size() <= kAllSamplesUpTo) {
    for (const auto& s : samples) dump_sample(out, s);
    return;
  }
  for (std::size_t i = 0; i < kSamplesAtEachEnd; ++i) dump_sample(out, samples[i]);
  out += "    ...\n";
  for (std::size_t i = samples.size() - kSamplesAtEachEnd; i < samples.size(); ++i) {
    dump_sample(out, samples[i]);
  }
  dump_sums(out, samples);
}

void dump_device(std::string& out, const Trace& trace, std::size_t i) {
  const DeviceInfo& d = trace.devices[i];
  out += fmt::format("device {}\n", i);
  out += fmt::format("  id: {}\n  sensor: {}\n  name: {}\n  uuid: {}\n  vendor: {}\n", d.id,
                     d.sensor, d.name, d.uuid, d.vendor);
  out += fmt::format("  driver_version: {}\n  power_kind: {}\n", d.driver_version,
                     to_string(d.power_kind));
  out += fmt::format("  power_limit_w: {}\n  counter_update_period_s: {}\n  counter_max_j: {}\n",
                     text(d.power_limit_w), text(d.counter_update_period_s),
                     text(d.counter_max_j));
  for (const auto& [metric, capability] : d.capabilities) {
    out += fmt::format("  capability {}: {}{}\n", to_string(metric),
                       capability.supported ? "yes" : "no",
                       capability.reason.empty() ? "" : " (" + capability.reason + ")");
  }
  const auto& lost = trace.lost_at_ns[i];
  out += fmt::format("  lost_at_ns: {}\n", lost ? std::to_string(*lost) : "-");
  dump_samples(out, trace.samples[i]);
}

}  // namespace

std::string dump_trace(const Trace& trace) {
  const TraceSummary& s = trace.summary;
  std::string out;
  out += fmt::format("format: {}\nrows: {}\nskipped_lines: {}\n", s.format, s.rows,
                     s.skipped_lines);
  out += fmt::format("time_ns: {} .. {}\nstart_wall_clock: {}\n", s.first_time_ns,
                     s.last_time_ns, s.start_wall_clock);
  for (const auto& note : s.notes) out += "note: " + note + "\n";
  for (const auto& [key, value] : s.metadata) out += "metadata: " + key + "=" + value + "\n";
  for (std::size_t i = 0; i < trace.devices.size(); ++i) dump_device(out, trace, i);
  return out;
}

std::string compare_with_golden(const std::string& name, const std::string& actual) {
  const std::string path = std::string(JOULEBENCH_SOURCE_DIR) + "/tests/golden/replay/" + name;
  const char* update = std::getenv("JOULEBENCH_UPDATE_GOLDEN");
  if (update != nullptr && std::string(update) == "1") {
    std::ofstream(path, std::ios::binary) << actual;
    return {};
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return "missing golden file " + path + " (run with JOULEBENCH_UPDATE_GOLDEN=1)";
  std::stringstream expected;
  expected << in.rdbuf();
  if (expected.str() == actual) return {};
  std::istringstream want(expected.str());
  std::istringstream got(actual);
  std::string want_line;
  std::string got_line;
  for (int line = 1;; ++line) {
    const bool more_want = static_cast<bool>(std::getline(want, want_line));
    const bool more_got = static_cast<bool>(std::getline(got, got_line));
    if (!more_want && !more_got) break;
    if (!more_want || !more_got || want_line != got_line) {
      return fmt::format("{}:{}:\n  expected: {}\n  actual:   {}", path, line,
                         more_want ? want_line : "<end>", more_got ? got_line : "<end>");
    }
  }
  return path + ": differs (line endings?)";
}

}  // namespace joulebench::testing
