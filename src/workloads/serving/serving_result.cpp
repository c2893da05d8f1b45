#include "workloads/serving/serving_result.hpp"

namespace joulebench {

const char* to_string(LoadMode mode) {
  return mode == LoadMode::concurrency ? "concurrency" : "rate";
}

namespace {

bool within(const std::optional<double>& limit, const std::optional<double>& value) {
  if (!limit) return true;
  return value && *value <= *limit;
}

}  // namespace

void choose_most_efficient(ServingBenchResult& result) {
  std::optional<double> best;
  std::optional<double> best_in_slo;
  for (std::size_t i = 0; i < result.levels.size(); ++i) {
    auto& level = result.levels[i];
    if (result.slo.any()) {
      level.slo_met = within(result.slo.ttft_p90_ms, level.ttft.p90_ms) &&
                      within(result.slo.itl_p90_ms, level.itl.p90_ms);
    }
    const auto& j = level.energy.j_per_output_token;
    if (!j) continue;
    if (!best || *j < *best) {
      best = *j;
      result.most_efficient_level = i;
    }
    if (level.slo_met.value_or(false) && (!best_in_slo || *j < *best_in_slo)) {
      best_in_slo = *j;
      result.most_efficient_level_in_slo = i;
    }
  }
}

}  // namespace joulebench
