// What `bench openai` shows while it sweeps its levels: the plan with its expected length at
// the start ("7 levels, about 8 min 10 s"), then per level "level 2/7 c=4: warm-up 6/10 s",
// "level 2/7 c=4: measuring 23/60 s, 412 W, 0.61 J/token so far, about 5 min 2 s left".
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>

#include "joulebench/monitor.hpp"
#include "progress_line.hpp"
#include "workloads/serving/level_runner.hpp"

namespace joulebench::cli {

struct SweepPlan {
  std::size_t levels = 0;
  double warmup_s = 0;
  std::optional<double> duration_s;  // null: each window ends after a request count
  double cooldown_s = 0;
  double idle_s = 0;  // --idle measured before the first level
};

// Seconds the sweep should take; null when windows end after a request count.
std::optional<double> expected_sweep_s(const SweepPlan& plan);
// "7 levels, about 8 min 10 s" or "7 levels, each until N requests".
std::string plan_announcement(const SweepPlan& plan);

class SweepProgress {
 public:
  SweepProgress(ProgressLine& line, const Monitor& monitor, SweepPlan plan)
      : line_(line), monitor_(monitor), plan_(plan) {}

  void announce();                                               // the plan and its expected length
  void level_started(std::size_t index, const LevelPlan& plan);  // index: 0-based
  // From LevelRunner's progress callback (about every 100 ms).
  void on_progress(const LevelProgress& progress);

 private:
  std::string prefix(const LevelPlan& plan) const;
  double energy_so_far_j() const;

  ProgressLine& line_;
  const Monitor& monitor_;
  SweepPlan plan_;
  std::size_t index_ = 0;
  bool measuring_ = false;
  double energy_at_open_j_ = 0;
  double elapsed_at_open_s_ = 0;
  std::uint64_t tokens_at_open_ = 0;
};

}  // namespace joulebench::cli
