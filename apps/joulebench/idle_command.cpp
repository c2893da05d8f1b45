// `joulebench idle`: measures idle power per device and stores it as this host's baseline,
// so later benches can report net (idle-subtracted) energy beside gross.
#include <fmt/format.h>

#include <chrono>
#include <iostream>
#include <memory>
#include <thread>

#include "commands.hpp"
#include "joulebench/monitor.hpp"
#include "platform/process.hpp"
#include "platform/time_format.hpp"
#include "progress_line.hpp"
#include "report/text_table.hpp"
#include "store/idle_baselines.hpp"

namespace joulebench::cli {
namespace {

struct IdleFlags {
  SensorFlags sensors;
  std::string duration = "10s";
  std::string baseline_file;
  OutputFlags out;
  bool quiet = false;
};

std::vector<IdleBaseline> baselines_from(const Measurement& run, const std::string& host) {
  std::vector<IdleBaseline> baselines;
  const std::string now = platform::iso8601_utc(std::chrono::system_clock::now());
  for (const auto& device : run.devices) {
    if (!device.avg_power_w) continue;  // no energy: nothing honest to store
    IdleBaseline baseline;
    baseline.host = host;
    baseline.device_key = idle_device_key(device.device);
    baseline.device_id = device.device.id;
    baseline.device_name = device.device.name;
    baseline.idle_power_w = *device.avg_power_w;
    baseline.duration_s = run.duration_s;
    baseline.samples = device.samples;
    baseline.method = to_string(device.method);
    baseline.measured_at = now;
    baselines.push_back(std::move(baseline));
  }
  return baselines;
}

std::string baselines_text(const std::vector<IdleBaseline>& baselines, const Measurement& run) {
  report::TextTable table({"device", "name", "idle W", "method", "samples"});
  for (const auto& baseline : baselines) {
    table.add_row({baseline.device_id, baseline.device_name,
                   report::format_number(baseline.idle_power_w, 1), baseline.method,
                   std::to_string(baseline.samples)});
  }
  std::string out = table.render();
  for (const auto& device : run.devices) {
    if (!device.avg_power_w) {
      out += fmt::format("note: {}: no idle power stored: {}\n", device.device.id,
                         device.energy_reason);
    }
  }
  return out;
}

std::string baselines_json(const std::vector<IdleBaseline>& baselines, const std::string& path) {
  nlohmann::json out = {
      {"schema_version", 1}, {"file", path}, {"baselines", nlohmann::json::array()}};
  for (const auto& baseline : baselines) out["baselines"].push_back(idle_baseline_json(baseline));
  return out.dump(2) + "\n";
}

// "idle: measuring 4/10 s, 61.2 W": redrawn on a terminal, every 10 s in a log.
void wait_showing_progress(const Monitor& monitor, std::chrono::nanoseconds duration, bool quiet) {
  ProgressLine line(ProgressLine::mode_for(quiet));
  const double duration_s = std::chrono::duration<double>(duration).count();
  line.milestone(
      fmt::format("idle: measuring for {}; keep the devices idle", duration_words(duration_s)));
  const auto deadline = std::chrono::steady_clock::now() + duration;
  while (std::chrono::steady_clock::now() < deadline && !platform::interrupted()) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    const auto snapshot = monitor.snapshot();
    if (!snapshot || snapshot->elapsed_s <= 0) continue;
    double energy_j = 0;
    for (const double device_j : snapshot->energy_so_far_j) energy_j += device_j;
    line.update(fmt::format("idle: measuring {:.0f}/{:.0f} s, {:.1f} W", snapshot->elapsed_s,
                            duration_s, energy_j / snapshot->elapsed_s));
  }
  line.clear();
}

int run_idle(const IdleFlags& flags) {
  auto duration = parse_duration(flags.duration, "--duration");
  if (!duration) return usage_error(duration.error());
  if (*duration < std::chrono::seconds(1)) return usage_error("--duration: at least 1s is needed");
  auto opened = open_sensors_or_explain(flags.sensors);
  if (!opened) return kExitUsage;
  const std::string path =
      flags.baseline_file.empty() ? default_idle_baseline_path() : flags.baseline_file;

  platform::install_interrupt_flag();
  Monitor monitor(std::move(opened->sensors));
  monitor.start();
  wait_showing_progress(monitor, *duration, flags.quiet);
  const Measurement run = monitor.stop();
  if (platform::interrupted()) {
    std::cerr << "error: interrupted: idle baseline not stored (a partial idle measurement is "
                 "not a baseline)\n";
    return kExitFailed;
  }
  const auto baselines = baselines_from(run, platform::host_name());
  if (baselines.empty()) {
    std::cerr << "error: no device reported power, nothing to store\n";
    return kExitFailed;
  }
  auto saved = save_idle_baselines(path, baselines);
  if (!saved) return usage_error(saved.error());
  const std::string summary = baselines_text(baselines, run) + "stored in " + path + "\n";
  return flags.out.write(baselines_json(baselines, path), flags.quiet ? "" : summary);
}

}  // namespace

Command add_idle_command(CLI::App& parent) {
  auto flags = std::make_shared<IdleFlags>();
  CLI::App* app = parent.add_subcommand(
      "idle", "Measure idle power per device and store it as this host's baseline");
  flags->sensors.add_to(*app);
  app->add_option("--duration", flags->duration, "how long to measure (default 10s)")
      ->type_name("DURATION");
  // The name every command uses for this file (bench openai, run, exporter); --baseline-file
  // is kept as an alias for scripts written before.
  app->add_option(
         "--idle-baseline-file,--baseline-file", flags->baseline_file,
         "where baselines are kept (default $XDG_DATA_HOME/joulebench/idle-baselines.json)")
      ->type_name("FILE");
  flags->out.add_to(*app);
  app->add_flag("-q,--quiet", flags->quiet, "print nothing on success");
  return {app, [flags] { return run_idle(*flags); }};
}

}  // namespace joulebench::cli
