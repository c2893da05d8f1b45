// Runs one load level against a serving endpoint while the Monitor measures energy.
//
// The steady-state window: the load starts (all streams of a concurrency level start at
// once), runs `warmup` unmeasured (ramp-up, server caches, clocks settling), then the energy
// window opens and stays open for `duration` (or until `requests` more requests completed),
// with the load kept at its level throughout; when it closes, new requests stop and the
// requests still in flight are cut (the drain is never measured, and cut requests are not
// failures). Tokens are counted by the arrival time of their chunks inside the window.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <optional>

#include "joulebench/monitor.hpp"
#include "workloads/openai/load_generator.hpp"
#include "workloads/serving/serving_result.hpp"

namespace joulebench {

struct LevelPlan {
  LoadMode mode = LoadMode::concurrency;
  double level = 1;
  std::chrono::nanoseconds warmup{0};
  std::optional<std::chrono::nanoseconds> duration;  // one of duration / requests
  std::optional<std::size_t> requests;
};

// Called about every 100 ms from the calling thread while a level runs.
struct LevelProgress {
  const LevelPlan* plan = nullptr;
  bool measuring = false;   // false during warm-up
  double elapsed_s = 0;     // since the level started
  const LoadProgress* load = nullptr;
};

class LevelRunner {
 public:
  LevelRunner(Monitor& monitor, LoadOptions base_options, const std::vector<Prompt>& prompts,
              IdlePower idle, std::function<bool()> interrupted)
      : monitor_(monitor),
        base_(std::move(base_options)),
        prompts_(prompts),
        idle_(std::move(idle)),
        interrupted_(std::move(interrupted)) {}

  // An Error only for invalid load options; failed requests are counted in the result.
  Expected<LevelResult> run(const LevelPlan& plan,
                            const std::function<void(const LevelProgress&)>& on_progress);

 private:
  Monitor& monitor_;
  LoadOptions base_;
  const std::vector<Prompt>& prompts_;
  IdlePower idle_;
  std::function<bool()> interrupted_;  // true once the user asked to stop (Ctrl-C)
};

}  // namespace joulebench
