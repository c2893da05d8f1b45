#include "cli_common.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <charconv>
#include <cmath>
#include <filesystem>
#include <iostream>

#include "joulebench/monitor.hpp"
#include "platform/files.hpp"
#include "report/provenance.hpp"

namespace joulebench::cli {

int usage_error(const std::string& message) {
  std::cerr << "error: " << message << "\n";
  return kExitUsage;
}

int usage_error(const Error& error) { return usage_error(error.what_line()); }

namespace {

std::optional<double> unit_seconds(std::string_view unit) {
  if (unit.empty() || unit == "s") return 1.0;
  if (unit == "ms") return 1e-3;
  if (unit == "us") return 1e-6;
  if (unit == "ns") return 1e-9;
  if (unit == "m" || unit == "min") return 60.0;
  if (unit == "h") return 3600.0;
  if (unit == "d") return 86400.0;  // fleet --range 7d
  return std::nullopt;
}

}  // namespace

Expected<std::chrono::nanoseconds> parse_duration(std::string_view text, std::string_view flag) {
  const auto bad = [&] {
    return Error{std::string(flag) + ": '" + std::string(text) +
                 "' is not a duration (use e.g. 100ms, 1s, 2.5s, 2m)"};
  };
  double number = 0;
  const char* begin = text.data();
  const char* end = text.data() + text.size();
  const auto [rest, ec] = std::from_chars(begin, end, number);
  if (ec != std::errc() || rest == begin) return bad();
  const auto scale = unit_seconds(std::string_view(rest, static_cast<std::size_t>(end - rest)));
  if (!scale || !std::isfinite(number) || number < 0) return bad();
  const double seconds = number * *scale;
  if (seconds > 1e9) return bad();
  return std::chrono::nanoseconds(static_cast<long long>(std::llround(seconds * 1e9)));
}

Expected<std::chrono::nanoseconds> parse_sampling_interval(const std::string& text) {
  auto interval = parse_duration(text, "--interval");
  if (!interval) return interval.error();
  return checked_sampling_interval(*interval, "--interval", text);
}

void SensorFlags::add_to(CLI::App& app) {
  app.add_option(
         "--sensor", sensors,
         "auto | nvml | amdsmi | rapl | hwmon | replay:PATH (repeatable; default auto = every "
         "available)")
      ->type_name("SPEC")
      ->allow_extra_args(false);  // one value each: `--sensor X -- CMD` keeps CMD whole
  app.add_option("--gpus", gpus,
                 "GPUs to measure: NVML or amdsmi indices or UUIDs, e.g. 0,2 (default: "
                 "CUDA_VISIBLE_DEVICES, ROCR_/HIP_VISIBLE_DEVICES for AMD, else all)")
      ->type_name("LIST");
  app.add_flag("--skip-bad-lines", skip_bad_lines,
               "skip malformed lines of replayed traces (counted) instead of failing");
}

SensorSelection SensorFlags::selection() const {
  SensorSelection selection;
  selection.specs = sensors;
  selection.skip_bad_lines = skip_bad_lines;
  if (!gpus.empty()) {
    std::vector<std::string> list;
    std::string_view rest = gpus;
    while (!rest.empty()) {
      const auto comma = rest.find(',');
      list.emplace_back(rest.substr(0, comma));
      if (comma == std::string_view::npos) break;
      rest.remove_prefix(comma + 1);
    }
    selection.gpus = std::move(list);
  }
  return selection;
}

std::optional<OpenedSensors> open_sensors_or_explain(const SensorFlags& flags) {
  auto opened = open_sensors(flags.selection());
  if (!opened) {
    usage_error(opened.error());
    return std::nullopt;
  }
  const auto problems = open_sensors_problems(*opened);
  for (const auto& problem : problems) usage_error(problem);
  if (!problems.empty()) return std::nullopt;
  return std::move(opened.value());
}

std::string remote_source_text(const RemoteOrigin& remote) {
  return "(from " + remote.url + ", host " + remote.host + ", clock offset " +
         (remote.clock_offset_s ? fmt::format("{:+.3f} s", *remote.clock_offset_s)
                                : std::string("unknown")) +
         ")";
}

std::vector<std::string> describe_devices(const OpenedSensors& opened) {
  std::vector<std::string> out;
  for (const auto& sensor : opened.sensors) {
    for (const auto& device : sensor->devices()) {
      std::string line = device.name.empty() ? device.id : device.id + " " + device.name;
      if (device.remote) line += " " + remote_source_text(*device.remote);
      out.push_back(std::move(line));
    }
  }
  return out;
}

std::string join_devices(const std::vector<std::string>& devices) {
  std::string out;
  for (const auto& device : devices) out += (out.empty() ? "" : "; ") + device;
  return out;
}

std::string devices_chosen_by(const SensorFlags& flags) {
  if (!flags.gpus.empty()) return "GPUs chosen with --gpus " + flags.gpus;
  if (auto visible = platform::env("CUDA_VISIBLE_DEVICES")) {
    return "GPUs chosen by CUDA_VISIBLE_DEVICES=" + *visible;
  }
  return "every device of the sensors is measured and summed (--gpus selects GPUs)";
}

report::Provenance make_provenance(const OpenedSensors& opened, std::chrono::nanoseconds interval,
                                   const std::vector<std::string>& sensor_specs) {
  std::vector<std::string> measuring;
  for (const auto& sensor : opened.sensors) measuring.push_back(sensor->name());
  return report::live_provenance(measuring, opened.unavailable, interval, sensor_specs);
}

bool progress_wanted(bool quiet) { return !quiet && ::isatty(STDERR_FILENO) == 1; }

// "1,2,4" -> {1, 2, 4}; every entry must be positive (and whole, for concurrency).
Expected<std::vector<double>> parse_levels(const std::string& text, const char* flag, bool whole) {
  std::vector<double> levels;
  std::string_view rest = text;
  while (!rest.empty()) {
    const auto comma = rest.find(',');
    const std::string_view item = rest.substr(0, comma);
    double value = 0;
    const auto [end, ec] = std::from_chars(item.data(), item.data() + item.size(), value);
    const bool bad = ec != std::errc() || end != item.data() + item.size() || !(value > 0) ||
                     (whole && value != static_cast<double>(static_cast<long long>(value)));
    if (bad) {
      return Error{
          fmt::format("{}: '{}' is not a positive {}", flag, item, whole ? "integer" : "number")};
    }
    levels.push_back(value);
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  if (levels.empty()) return Error{std::string(flag) + ": no levels given"};
  return levels;
}

namespace {

// "70%" -> 0.7, "0.7" -> 0.7; nullopt for anything else or outside 0..1.
std::optional<double> share_from_text(const std::string& text) {
  const bool percent = !text.empty() && text.back() == '%';
  const std::string_view number_text(text.data(), text.size() - (percent ? 1 : 0));
  double number = 0;
  const auto [rest, ec] =
      std::from_chars(number_text.data(), number_text.data() + number_text.size(), number);
  const double share = percent ? number / 100.0 : number;
  if (ec != std::errc() || rest != number_text.data() + number_text.size() ||
      !(share >= 0.0 && share <= 1.0)) {
    return std::nullopt;
  }
  return share;
}

std::string not_a_share(const std::string& text) {
  return "'" + text + "' is not a share between 0 and 1 (write 70% or 0.7)";
}

}  // namespace

Expected<double> parse_share(const std::string& text, const char* flag) {
  if (auto share = share_from_text(text)) return *share;
  return Error{std::string(flag) + ": " + not_a_share(text)};
}

CLI::Validator share_transform() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        const auto share = share_from_text(text);
        if (!share) return not_a_share(text);
        text = fmt::format("{}", *share);
        return "";
      },
      "", "share");
}

std::optional<std::string> trace_path_for_result(const std::string& trace,
                                                 const std::string& output) {
  namespace fs = std::filesystem;
  if (trace.empty() || trace == "-") return std::nullopt;
  std::error_code error;
  const fs::path trace_abs = fs::absolute(trace, error);
  if (error) return trace;
  if (output.empty() || output == "-") return trace_abs.lexically_normal().string();
  const fs::path folder = fs::absolute(output, error).parent_path();
  if (error) return trace_abs.lexically_normal().string();
  const fs::path relative =
      trace_abs.lexically_normal().lexically_relative(folder.lexically_normal());
  return relative.empty() ? trace_abs.lexically_normal().string() : relative.string();
}

}  // namespace joulebench::cli
