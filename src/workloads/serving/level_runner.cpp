#include "workloads/serving/level_runner.hpp"

#include <thread>

#include <fmt/format.h>

#include "workloads/serving/level_analysis.hpp"

namespace joulebench {
namespace {

using WallClock = std::chrono::steady_clock;
constexpr auto kTick = std::chrono::milliseconds(100);

std::string level_name(const LevelPlan& plan) {
  return fmt::format("{}-{}", to_string(plan.mode), plan.level);
}

LoadOptions options_for(LoadOptions options, const LevelPlan& plan, const std::atomic<bool>& stop) {
  if (plan.mode == LoadMode::concurrency) {
    options.arrivals = ClosedLoop{static_cast<std::size_t>(plan.level)};
  } else {
    OpenLoop open;
    open.rate_per_s = plan.level;
    options.arrivals = open;
  }
  // The stop flag ends the level; this limit is only a backstop against a stuck window.
  options.duration = plan.warmup + plan.duration.value_or(std::chrono::hours(24)) + std::chrono::hours(1);
  options.max_requests.reset();
  options.at_end = AtEnd::kAbandonInFlight;
  options.stop = &stop;
  return options;
}

std::string window_note(const LevelPlan& plan) {
  const double warmup_s = std::chrono::duration<double>(plan.warmup).count();
  if (plan.duration) {
    return fmt::format(
        "window opened {:.1f} s after the load started (warm-up and ramp-up excluded) and closed "
        "{:.1f} s later while the load was still at its level (drain excluded)",
        warmup_s, std::chrono::duration<double>(*plan.duration).count());
  }
  return fmt::format(
      "window opened {:.1f} s after the load started and closed when {} more requests had "
      "completed, while the load was still at its level (drain excluded)",
      warmup_s, plan.requests.value_or(0));
}

}  // namespace

Expected<LevelResult> LevelRunner::run(const LevelPlan& plan,
                                       const std::function<void(const LevelProgress&)>& on_progress) {
  std::atomic<bool> stop{false};
  LoadProgress load_progress;
  std::optional<Expected<LoadRunResult>> load;
  std::atomic<bool> load_done{false};
  const LoadOptions options = options_for(base_, plan, stop);
  std::thread load_thread([&] {
    load.emplace(run_load(options, prompts_, &load_progress));
    load_done.store(true);
  });

  const auto started = WallClock::now();
  LevelProgress progress{&plan, false, 0.0, &load_progress};
  const auto tick = [&] {
    std::this_thread::sleep_for(kTick);
    progress.elapsed_s = std::chrono::duration<double>(WallClock::now() - started).count();
    if (on_progress) on_progress(progress);
    if (interrupted_()) stop.store(true);
    return !stop.load() && !load_done.load();
  };

  bool measuring = false;
  while (WallClock::now() - started < plan.warmup && tick()) {
  }
  LevelWindow window;
  const std::string name = level_name(plan);
  if (!stop.load() && !load_done.load()) {
    window.start_ns = steady_now_ns();
    monitor_.begin_window(name);
    measuring = progress.measuring = true;
    const auto opened = WallClock::now();
    const std::uint64_t done_at_open = load_progress.succeeded.load() + load_progress.failed.load();
    const auto window_over = [&] {
      if (plan.duration) return WallClock::now() - opened >= *plan.duration;
      return load_progress.succeeded.load() + load_progress.failed.load() - done_at_open >=
             plan.requests.value_or(0);
    };
    while (!window_over() && tick()) {
    }
    window.measurement = monitor_.end_window(name);
    window.end_ns = steady_now_ns();
  }
  stop.store(true);
  load_thread.join();
  if (!load->has_value()) return load->error();

  LevelResult result = analyze_level(plan.mode, plan.level, load->value(), window, idle_);
  result.window_note = window_note(plan);
  if (!measuring) result.warnings.push_back("the level ended before its measurement window opened");
  if (measuring && load_done.load() && !interrupted_() && !load->value().stopped) {
    result.warnings.push_back("the load generator stopped before the window closed");
  }
  if (interrupted_()) result.warnings.push_back("interrupted: the window was cut short");
  return result;
}

}  // namespace joulebench
