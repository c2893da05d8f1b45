#include "workloads/gpu_settings/sweep_answers.hpp"

#include <fmt/format.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include "core/statistics.hpp"

namespace joulebench::gpu_settings {
namespace {

using models::Metric;
using nlohmann::json;

const std::vector<double>& values(const SettingResult& result, Metric metric) {
  static const std::vector<double> kNone;
  const auto index = static_cast<std::size_t>(metric);
  return index < result.samples.values.size() ? result.samples.values[index] : kNone;
}

std::optional<double> mean_of(const SettingResult& result, Metric metric) {
  return metric_stats(result, metric).mean;
}

// The setting with the highest mean tokens/J among those `eligible` says yes to.
template <class Eligible>
std::optional<std::size_t> best(const std::vector<SettingResult>& results, Eligible eligible) {
  std::optional<std::size_t> chosen;
  std::optional<double> chosen_tokens_per_j;
  for (std::size_t i = 0; i < results.size(); ++i) {
    const auto tokens_per_j = mean_of(results[i], Metric::tokens_per_j);
    if (!tokens_per_j || !eligible(results[i])) continue;
    if (!chosen_tokens_per_j || *tokens_per_j > *chosen_tokens_per_j) {
      chosen = i;
      chosen_tokens_per_j = tokens_per_j;
    }
  }
  return chosen;
}

std::string comparison_line(const SettingResult& baseline, const SettingResult& candidate) {
  auto change = [&](Metric metric) {
    auto compared = compare_means(values(baseline, metric), values(candidate, metric));
    return compared ? format_change(*compared) : "n/a (" + compared.error().message + ")";
  };
  return fmt::format("{}: power {}, throughput {}, tokens/J {}", candidate.setting.name(),
                     change(Metric::avg_power_w), change(Metric::output_tokens_per_s),
                     change(Metric::tokens_per_j));
}

json number_or_null(const std::optional<double>& value) {
  return value ? json(*value) : json(nullptr);
}

json stats_json(const MetricStats& stats) {
  return {{"n", stats.n},
          {"mean", number_or_null(stats.mean)},
          {"ci95",
           {{"lower", number_or_null(stats.ci_lower)}, {"upper", number_or_null(stats.ci_upper)}}}};
}

json read_back_json(const ReadBack& gpu) {
  return {{"index", gpu.index},
          {"uuid", gpu.uuid},
          {"power_limit_w", number_or_null(gpu.power_limit_w)},
          {"graphics_clock_mhz", number_or_null(gpu.graphics_clock_mhz)},
          {"power_w", number_or_null(gpu.power_w)}};
}

json requested_json(const Setting& setting) {
  json requested = json::object();
  auto add = [&](const std::optional<KnobValue>& knob, const char* key, const char* word) {
    if (!knob) return;
    requested[key] = knob->value ? json(*knob->value) : json(word);
  };
  add(setting.power_limit, "power_limit_w", "default");
  add(setting.gpu_clock, "gpu_clock_mhz", "max");
  add(setting.memory_clock, "mem_clock_mhz", "max");
  return requested;
}

json index_or_null(const std::optional<std::size_t>& index,
                   const std::vector<SettingResult>& results) {
  return index ? json(results[*index].setting.name()) : json(nullptr);
}

std::string cell(const MetricStats& stats, int precision) {
  if (!stats.mean) return "n/a";
  if (!stats.ci_lower || !stats.ci_upper) return fmt::format("{:.{}f}", *stats.mean, precision);
  return fmt::format("{:.{}f} [{:.{}f}, {:.{}f}]", *stats.mean, precision, *stats.ci_lower,
                     precision, *stats.ci_upper, precision);
}

}  // namespace

MetricStats metric_stats(const SettingResult& result, Metric metric) {
  const auto& samples = values(result, metric);
  MetricStats stats;
  stats.n = samples.size();
  auto summary = summarize(samples);
  if (!summary) return stats;
  stats.mean = summary->mean;
  stats.ci_lower = summary->ci.lower;
  stats.ci_upper = summary->ci.upper;
  return stats;
}

std::string format_change(const MeanComparison& comparison) {
  if (!comparison.difference_pct) return "n/a (" + comparison.reason + ")";
  std::string text = fmt::format("{:+.0f}%", *comparison.difference_pct);
  if (comparison.p_value) {
    text += *comparison.p_value < 0.001 ? " (p < 0.001)"
                                        : fmt::format(" (p = {:.3g})", *comparison.p_value);
  }
  return text;
}

SweepAnswers answer(const std::vector<SettingResult>& results,
                    std::optional<double> max_slowdown_pct) {
  SweepAnswers answers;
  answers.max_slowdown_pct = max_slowdown_pct;
  for (std::size_t i = 0; i < results.size() && !answers.baseline; ++i) {
    if (results[i].setting.is_default()) answers.baseline = i;
  }
  answers.most_efficient = best(results, [](const SettingResult&) { return true; });
  answers.within_slo = best(results, [](const SettingResult& r) { return r.slo_met == true; });
  if (!answers.within_slo) answers.reason += "No setting met an SLO (or none was given). ";
  if (!answers.baseline) {
    answers.reason +=
        "No default setting was measured: add 'default' (power limit) or 'max' (clocks) to "
        "compare against it and to apply --max-slowdown. ";
    return answers;
  }
  const SettingResult& baseline = results[*answers.baseline];
  for (std::size_t i = 0; i < results.size(); ++i) {
    if (i != *answers.baseline)
      answers.comparison_lines.push_back(comparison_line(baseline, results[i]));
  }
  const auto baseline_speed = mean_of(baseline, Metric::output_tokens_per_s);
  if (max_slowdown_pct && baseline_speed) {
    const double floor = *baseline_speed * (1.0 - *max_slowdown_pct / 100.0);
    answers.within_slowdown = best(results, [&](const SettingResult& r) {
      const auto speed = mean_of(r, Metric::output_tokens_per_s);
      return speed && *speed >= floor;
    });
  }
  return answers;
}

std::string sweep_table(const std::vector<SettingResult>& results, const SweepAnswers& answers) {
  std::string out = "GPU settings sweep (means with 95% CI):\n";
  for (const auto& result : results) {
    out += fmt::format(
        "  {}: throughput {} tokens/s, power {} W, {} tokens/J, {} J/token (settled in {:.1f} "
        "s{})\n",
        result.setting.name(), cell(metric_stats(result, Metric::output_tokens_per_s), 1),
        cell(metric_stats(result, Metric::avg_power_w), 1),
        cell(metric_stats(result, Metric::tokens_per_j), 3),
        cell(metric_stats(result, Metric::j_per_output_token), 4), result.settle_s,
        result.settled ? "" : ", still moving");
  }
  auto name = [&](const std::optional<std::size_t>& index) {
    return index ? results[*index].setting.name() : std::string("none");
  };
  out += "most efficient: " + name(answers.most_efficient) + "\n";
  out += "most efficient within the SLO: " + name(answers.within_slo) + "\n";
  if (answers.max_slowdown_pct) {
    out += fmt::format("most efficient losing at most {:g}% throughput: {}\n",
                       *answers.max_slowdown_pct, name(answers.within_slowdown));
  }
  for (const auto& line : answers.comparison_lines) out += line + "\n";
  if (!answers.reason.empty()) out += answers.reason + "\n";
  return out;
}

std::string sweep_json(const std::vector<SettingResult>& results, const SweepAnswers& answers,
                       const std::string& command, const std::string& sweep_id) {
  json settings = json::array();
  for (const auto& result : results) {
    json read_back = json::array();
    for (const auto& gpu : result.read_back) read_back.push_back(read_back_json(gpu));
    json figures = json::object();
    for (Metric metric : models::kAllMetrics)
      figures[models::metric_key(metric)] = stats_json(metric_stats(result, metric));
    settings.push_back(
        {{"setting", result.setting.name()},
         {"requested", requested_json(result.setting)},
         {"read_back", read_back},
         {"settle_s", result.settle_s},
         {"settled", result.settled},
         {"exit_code", result.exit_code},
         {"result_id", result.result_id.empty() ? json(nullptr) : json(result.result_id)},
         {"slo_met", result.slo_met ? json(*result.slo_met) : json(nullptr)},
         {"figures", figures}});
  }
  json root = {{"kind", "gpu-settings-sweep"},
               {"schema_version", 1},
               {"command", command},
               {"sweep_id", sweep_id},
               {"settings", settings},
               {"baseline", index_or_null(answers.baseline, results)},
               {"most_efficient", index_or_null(answers.most_efficient, results)},
               {"most_efficient_within_slo", index_or_null(answers.within_slo, results)},
               {"max_slowdown_pct", number_or_null(answers.max_slowdown_pct)},
               {"most_efficient_within_slowdown", index_or_null(answers.within_slowdown, results)},
               {"comparisons", answers.comparison_lines},
               {"reason", answers.reason}};
  return root.dump(2) + "\n";
}

}  // namespace joulebench::gpu_settings
