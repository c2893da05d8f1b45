// Sampler overhead: CPU time per sample of a running Monitor, on the real NvmlSensor code path
// against an NVML library (the fake one in CI-like runs, the real one on a GPU machine).
//
//   sampler_overhead --library build/tests/libjoulebench_fake_nvml.so --hz 1000 --seconds 10
//
// Prints JSON: samples (device reads), rounds, wall_s, cpu_s (the whole process: sampler
// thread plus an idle main thread), cpu_us_per_sample, percent_of_one_core.
//
//   sampler_overhead --sleep-only --hz 10 --seconds 60
//
// The floor: a thread that only wakes at the same rate on the Monitor's own clock (one futex
// sleep to an absolute deadline per round) and reads nothing. What it costs per round is the
// operating system's wake-up, which every sampler at that rate pays, in any language.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <string>
#include <thread>

#include "joulebench/monitor.hpp"
#include "process_cpu.hpp"
#include "sensors/nvml/nvml_sensor.hpp"

using joulebench::bench::process_cpu_s;

namespace {

int wake_only(double hz, double seconds) {
  const auto clock = joulebench::make_steady_clock();
  const auto period_ns = static_cast<joulebench::TimeNs>(1e9 / hz);
  const double cpu_before = process_cpu_s();
  std::size_t rounds = 0;
  std::thread sleeper([&] {
    const joulebench::TimeNs start = clock->now();
    const joulebench::TimeNs end = start + static_cast<joulebench::TimeNs>(seconds * 1e9);
    for (joulebench::TimeNs deadline = start + period_ns; deadline < end; deadline += period_ns) {
      clock->sleep_until(deadline);
      ++rounds;
    }
  });
  sleeper.join();
  const double cpu_s = process_cpu_s() - cpu_before;
  fmt::print(
      "{{\"tool\": \"joulebench wake-up only (floor)\", \"hz\": {}, \"rounds\": {}, "
      "\"cpu_s\": {:.6f}, \"cpu_us_per_round\": {:.3f}, \"percent_of_one_core\": {:.4f}}}\n",
      hz, rounds, cpu_s, rounds > 0 ? cpu_s * 1e6 / static_cast<double>(rounds) : 0.0,
      100.0 * cpu_s / seconds);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"CPU cost of joulebench's sampler per sample"};
  std::string library;
  double hz = 10;
  double seconds = 10;
  bool sleep_only = false;
  auto* library_option = app.add_option("--library", library, "NVML library to open");
  app.add_option("--hz", hz, "sampling rate");
  app.add_option("--seconds", seconds, "how long to sample");
  app.add_flag("--sleep-only", sleep_only, "only wake at the rate, read nothing (the floor)")
      ->excludes(library_option);
  CLI11_PARSE(app, argc, argv);
  if (sleep_only) return wake_only(hz, seconds);
  if (library.empty()) {
    std::fprintf(stderr, "error: --library is required (or --sleep-only)\n");
    return 2;
  }

  joulebench::NvmlOptions options;
  options.library_path = library;
  auto sensor = joulebench::open_nvml_sensor(options);
  if (!sensor) {
    std::fprintf(stderr, "error: %s\n", sensor.error().what_line().c_str());
    return 2;
  }
  const std::size_t devices = (*sensor)->devices().size();
  std::vector<std::unique_ptr<joulebench::Sensor>> sensors;
  sensors.push_back(std::move(sensor.value()));
  joulebench::MonitorOptions monitor_options;
  monitor_options.interval = std::chrono::nanoseconds(static_cast<long long>(1e9 / hz));
  joulebench::Monitor monitor(std::move(sensors), monitor_options);

  const double cpu_before = process_cpu_s();
  const auto wall_before = std::chrono::steady_clock::now();
  monitor.start();
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
  const auto run = monitor.stop();
  const double wall_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_before).count();
  const double cpu_s = process_cpu_s() - cpu_before;
  const auto snapshot = monitor.snapshot();
  const std::size_t rounds = snapshot ? snapshot->rounds : 0;
  const std::size_t samples = rounds * devices;
  fmt::print(
      "{{\"tool\": \"joulebench\", \"hz\": {}, \"devices\": {}, \"rounds\": {}, \"samples\": {}, "
      "\"missed_rounds\": {}, \"wall_s\": {:.3f}, \"cpu_s\": {:.6f}, \"cpu_us_per_sample\": "
      "{:.3f}, "
      "\"percent_of_one_core\": {:.4f}, \"energy_j\": {}}}\n",
      hz, devices, rounds, samples, snapshot ? snapshot->missed_rounds : 0, wall_s, cpu_s,
      samples > 0 ? cpu_s * 1e6 / static_cast<double>(samples) : 0.0, 100.0 * cpu_s / wall_s,
      run.energy_j ? fmt::format("{:.3f}", *run.energy_j) : std::string("null"));
  return 0;
}
