#include "energy_from_flag.hpp"

#include <fmt/format.h>

#include <iostream>

namespace joulebench::cli {

void EnergyFromFlag::add_to(CLI::App& app) {
  app.add_option("--energy-from", urls,
                 "also measure GPUs of another host (repeatable): a joulebench exporter's or "
                 "dcgm-exporter's http://HOST:PORT/metrics, or prometheus+http://HOST:PORT"
                 "?selector=SERIES; add ?interval=1s to state how often it updates")
      ->type_name("URL")
      ->allow_extra_args(false);  // one URL per flag: what follows may be run's command
}

Expected<bool> EnergyFromFlag::open(bool quiet) {
  if (!given()) return true;
  std::vector<std::pair<remote::RemoteSpec, remote::SourceOptions>> sources;
  for (const auto& url : urls) {
    auto spec = remote::parse_remote_spec(url);
    if (!spec) return spec.error();
    remote::SourceOptions options;
    if (!spec->interval.empty()) {
      auto interval = parse_duration(spec->interval, "--energy-from " + url + ": interval");
      if (!interval) return interval.error();
      if (interval->count() <= 0)
        return Error{"--energy-from " + url + ": interval must be positive"};
      options.stated_interval_s = std::chrono::duration<double>(*interval).count();
    }
    sources.emplace_back(std::move(*spec), options);
  }
  auto opened = remote::RemoteEnergy::open(sources);
  if (!opened) return opened.error();
  energy = std::move(opened.value());
  if (quiet) return true;
  for (const auto& source : energy->sources()) {
    const RemoteOrigin& origin = *source->devices().front().remote;
    std::cerr << fmt::format(
        "remote: {}: {} GPU(s) ({}), updates every {:g} s ({}), clock offset {}\n",
        source->spec().given, source->devices().size(), origin.format, source->update_interval_s(),
        origin.update_interval_basis,
        origin.clock_offset_s ? fmt::format("{:+.3f} s", *origin.clock_offset_s) : "unknown");
  }
  return true;
}

Expected<bool> EnergyFromFlag::check_window(double seconds, const std::string& flag) const {
  if (!energy) return true;
  if (auto why = energy->too_short(seconds); !why.empty()) return Error{flag + ": " + why};
  return true;
}

std::optional<OpenedSensors> EnergyFromFlag::open_sensors(const SensorFlags& flags) const {
  if (!energy) return open_sensors_or_explain(flags);
  auto opened = joulebench::open_sensors(flags.selection());
  if (!opened) {
    usage_error(opened.error());
    return std::nullopt;
  }
  // No local sensor is fine here: the remote devices are measured alone.
  if (!opened->sensors.empty() || opened->explicit_sensor_failed) {
    const auto problems = open_sensors_problems(*opened);
    for (const auto& problem : problems) usage_error(problem);
    if (!problems.empty()) return std::nullopt;
  }
  opened->sensors.push_back(remote::RemoteEnergy::make_sensor(energy));
  return std::move(opened.value());
}

void EnergyFromFlag::attach(MonitorOptions& options) const {
  if (!energy) return;
  options.finish_window = [remote = energy](Measurement& measurement, TimeNs begin_ns,
                                            TimeNs end_ns) {
    remote->finish_window(measurement, static_cast<double>(begin_ns) * 1e-9,
                          static_cast<double>(end_ns) * 1e-9);
  };
}

}  // namespace joulebench::cli
