#include "sweep_progress.hpp"

#include <fmt/format.h>

namespace joulebench::cli {

std::optional<double> expected_sweep_s(const SweepPlan& plan) {
  if (!plan.duration_s) return std::nullopt;
  const double levels = static_cast<double>(plan.levels);
  const double cooldowns = plan.levels > 0 ? levels - 1 : 0;
  return plan.idle_s + levels * (plan.warmup_s + *plan.duration_s) + cooldowns * plan.cooldown_s;
}

std::string plan_announcement(const SweepPlan& plan) {
  const std::string levels = fmt::format("{} level{}", plan.levels, plan.levels == 1 ? "" : "s");
  if (auto total = expected_sweep_s(plan)) return levels + ", about " + duration_words(*total);
  return levels + ", each until its request count";
}

std::string SweepProgress::prefix(const LevelPlan& plan) const {
  return fmt::format("level {}/{} {}={:g}", index_ + 1, plan_.levels,
                     plan.mode == LoadMode::concurrency ? "c" : "rate", plan.level);
}

double SweepProgress::energy_so_far_j() const {
  double total = 0;
  if (auto snapshot = monitor_.snapshot()) {
    for (double device_j : snapshot->energy_so_far_j) total += device_j;
  }
  return total;
}

void SweepProgress::announce() { line_.milestone("bench: " + plan_announcement(plan_)); }

void SweepProgress::level_started(std::size_t index, const LevelPlan& plan) {
  index_ = index;
  measuring_ = false;
  line_.milestone(fmt::format("{}: warm-up {:g} s", prefix(plan),
                              std::chrono::duration<double>(plan.warmup).count()));
}

void SweepProgress::on_progress(const LevelProgress& progress) {
  const LevelPlan& plan = *progress.plan;
  const std::uint64_t tokens = progress.load->output_tokens.load();
  if (!progress.measuring) {
    const double warmup_s = std::chrono::duration<double>(plan.warmup).count();
    line_.update(fmt::format("{}: warm-up {:.0f}/{:.0f} s, {} in flight", prefix(plan),
                             progress.elapsed_s, warmup_s, progress.load->in_flight.load()));
    return;
  }
  if (!measuring_) {
    measuring_ = true;
    energy_at_open_j_ = energy_so_far_j();
    elapsed_at_open_s_ = progress.elapsed_s;
    tokens_at_open_ = tokens;
    line_.milestone(prefix(plan) + ": warm-up done, measuring");
  }
  const double window_s = progress.elapsed_s - elapsed_at_open_s_;
  const double energy_j = energy_so_far_j() - energy_at_open_j_;
  const auto window_tokens = static_cast<double>(tokens - tokens_at_open_);
  std::string text = fmt::format("{}: measuring {:.0f}", prefix(plan), window_s);
  if (plan_.duration_s)
    text += fmt::format("/{:.0f} s", *plan_.duration_s);
  else
    text += " s";
  if (window_s > 0.5) text += fmt::format(", {:.0f} W", energy_j / window_s);
  if (window_tokens > 0) text += fmt::format(", {:.3g} J/token so far", energy_j / window_tokens);
  if (const auto failed = progress.load->failed.load(); failed > 0)
    text += fmt::format(", {} failed", failed);
  if (plan_.duration_s) {
    const double levels_after = static_cast<double>(plan_.levels - index_ - 1);
    const double left_s = (*plan_.duration_s - window_s) +
                          levels_after * (plan_.warmup_s + *plan_.duration_s + plan_.cooldown_s);
    text += ", about " + duration_words(left_s) + " left";
  }
  line_.update(text);
}

}  // namespace joulebench::cli
