#include "idle_flags.hpp"

#include <iostream>
#include <thread>

#include "store/idle_baselines.hpp"

namespace joulebench::cli {

void IdleFlags::add_to(CLI::App& app) {
  app.add_option("--idle", measure_first,
                 "measure idle power for this long before the load (default: stored baseline)")
      ->type_name("DURATION");
  app.add_option("--idle-baseline-file", baseline_file,
                 "stored idle baselines (default $XDG_DATA_HOME/joulebench/idle-baselines.json)")
      ->type_name("FILE");
}

Expected<IdlePower> IdleFlags::resolve(Monitor& monitor, const std::string& host,
                                       bool quiet) const {
  if (!measure_first.empty()) {
    auto duration = parse_duration(measure_first, "--idle");
    if (!duration) return duration.error();
    if (!quiet) std::cerr << "measuring idle power for " << measure_first << "...\n";
    monitor.begin_window("idle");
    std::this_thread::sleep_for(*duration);
    return idle_power_from(monitor.end_window("idle"));
  }
  const std::string path = baseline_file.empty() ? default_idle_baseline_path() : baseline_file;
  auto baselines = load_idle_baselines(path);
  if (!baselines) return baselines.error();
  return idle_power_for(monitor.devices(), *baselines, host);
}

}  // namespace joulebench::cli
