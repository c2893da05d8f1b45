#include "workloads/command/run_summary.hpp"

#include <functional>

namespace joulebench {
namespace {

struct FigureSpec {
  const char* name;
  const char* unit;
  std::function<std::optional<double>(const IterationResult&)> get;
};

const std::vector<FigureSpec>& figure_specs() {
  static const std::vector<FigureSpec> specs = {
      {"j_per_output_token", "J/token", [](const auto& i) { return i.energy.j_per_output_token; }},
      {"j_per_output_token_net", "J/token",
       [](const auto& i) { return i.energy.j_per_output_token_net; }},
      {"tokens_per_j", "tokens/J", [](const auto& i) { return i.energy.tokens_per_j; }},
      {"output_tokens_per_s", "tokens/s",
       [](const auto& i) { return i.energy.output_tokens_per_s; }},
      {"avg_power_w", "W", [](const auto& i) { return i.energy.avg_power_w; }},
      {"energy_j", "J", [](const auto& i) { return i.energy.energy_j; }},
      {"duration_s", "s", [](const auto& i) { return i.energy.duration_s; }},
  };
  return specs;
}

FigureSummary summarize_figure(const FigureSpec& spec,
                               const std::vector<IterationResult>& iterations) {
  FigureSummary figure{spec.name, spec.unit, std::nullopt, ""};
  std::vector<double> values;
  std::size_t missing = 0;
  for (const auto& iteration : iterations) {
    if (!counts_for_statistics(iteration)) continue;
    if (auto value = spec.get(iteration)) {
      values.push_back(*value);
    } else {
      ++missing;
    }
  }
  if (values.empty()) {
    figure.reason = "no measured iteration has this figure";
    return figure;
  }
  SummaryOptions options;
  options.outliers.method = OutlierMethod::automatic;
  auto summary = summarize(values, options);
  if (!summary) {
    figure.reason = summary.error().message;
    return figure;
  }
  figure.summary = std::move(summary.value());
  if (missing > 0) {
    figure.reason = std::to_string(missing) + " measured iteration(s) lack this figure";
  }
  return figure;
}

}  // namespace

bool counts_for_statistics(const IterationResult& iteration) {
  return !iteration.warmup && iteration.exit_code == 0;
}

std::vector<FigureSummary> summarize_iterations(const std::vector<IterationResult>& iterations) {
  std::vector<FigureSummary> figures;
  for (const auto& spec : figure_specs()) figures.push_back(summarize_figure(spec, iterations));
  return figures;
}

double measured_duration_s(const RunResult& result) {
  double total_s = 0.0;
  for (const auto& iteration : result.iterations) {
    if (counts_for_statistics(iteration)) total_s += iteration.energy.duration_s.value_or(0.0);
  }
  return total_s;
}

std::size_t measured_iterations(const RunResult& result) {
  std::size_t count = 0;
  for (const auto& iteration : result.iterations) count += counts_for_statistics(iteration) ? 1 : 0;
  return count;
}

}  // namespace joulebench
