#include "report/bench_json.hpp"

#include <fmt/format.h>

#include "report/json_values.hpp"
#include "results/result_keys.hpp"

namespace joulebench::report {

using json = nlohmann::ordered_json;
namespace keys = results::keys;

namespace {

json interval_json(const std::optional<Interval>& interval) {
  if (!interval) return nullptr;
  return {interval->low, interval->high};
}

}  // namespace

std::string energy_share_text(const TokenEnergy& energy) {
  if (!energy.energy_ci95_half_j || !energy.energy_j || !(*energy.energy_j > 0.0)) return "n/a";
  return fmt::format("{:.1f}{}", 100.0 * *energy.energy_ci95_half_j / *energy.energy_j,
                     energy.energy_ci95_complete ? "" : "*");
}

void add_token_energy_fields(json& out, const TokenEnergy& energy) {
  out[keys::output_tokens] = optional_json(energy.output_tokens);
  out["tokens_source"] = energy.tokens_source.empty() ? json(nullptr) : json(energy.tokens_source);
  out["measured_duration_s"] = optional_json(energy.duration_s);
  out[keys::output_tokens_per_s] = optional_json(energy.output_tokens_per_s);
  out[keys::energy_j] = optional_json(energy.energy_j);
  out["idle_energy_j"] = optional_json(energy.idle_energy_j);
  out["net_energy_j"] = optional_json(energy.net_energy_j);
  out[keys::j_per_output_token] = optional_json(energy.j_per_output_token);
  out[keys::j_per_output_token_net] = optional_json(energy.j_per_output_token_net);
  out[keys::tokens_per_j] = optional_json(energy.tokens_per_j);
  out["tokens_per_j_net"] = optional_json(energy.tokens_per_j_net);
  out[keys::avg_power_w] = optional_json(energy.avg_power_w);
  out["energy_ci95_j"] = interval_json(energy_ci95_j(energy));
  out["j_per_output_token_ci95"] = interval_json(j_per_output_token_ci95(energy));
  out["j_per_output_token_net_ci95"] = interval_json(j_per_output_token_net_ci95(energy));
  out["tokens_per_j_ci95"] = interval_json(tokens_per_j_ci95(energy));
  out["uncertainty_complete"] =
      energy.energy_ci95_half_j ? json(energy.energy_ci95_complete) : json(nullptr);
  out["figures_reason"] = energy.reason.empty() ? json(nullptr) : json(energy.reason);
}

json to_json(const Summary& summary, const std::string& unit) {
  json outliers = nullptr;
  if (summary.outliers.outliers) {
    outliers = json::array();
    for (const auto& outlier : *summary.outliers.outliers) {
      outliers.push_back(
          {{keys::index, outlier.index}, {"value", outlier.value}, {"score", outlier.score}});
    }
  }
  return {
      {"unit", unit},
      {"n", summary.n},
      {keys::mean, optional_json(summary.mean)},
      {"median", optional_json(summary.median)},
      {"stddev", optional_json(summary.stddev)},
      {"cv", optional_json(summary.cv)},
      {"min", optional_json(summary.min)},
      {"max", optional_json(summary.max)},
      {keys::p50, optional_json(summary.p50)},
      {keys::p90, optional_json(summary.p90)},
      {keys::p99, optional_json(summary.p99)},
      {"ci",
       {{"confidence", summary.ci.confidence},
        {"lower", optional_json(summary.ci.lower)},
        {"upper", optional_json(summary.ci.upper)},
        {"reason", summary.ci.reason.empty() ? json(nullptr) : json(summary.ci.reason)}}},
      {"outliers",
       {{keys::method, to_string(summary.outliers.method)},
        {"threshold", summary.outliers.threshold},
        {"values", outliers},
        {"reason",
         summary.outliers.reason.empty() ? json(nullptr) : json(summary.outliers.reason)}}},
      {"reason", summary.reason.empty() ? json(nullptr) : json(summary.reason)},
  };
}

json to_json(const ValidityVerdict& verdict) {
  json checks = json::array();
  for (const auto& check : verdict.checks) {
    checks.push_back({{keys::name, check.name},
                      {keys::status, to_string(check.status)},
                      {"value", optional_json(check.value)},
                      {"threshold", optional_json(check.threshold)},
                      {"unit", check.unit},
                      {keys::message, check.message}});
  }
  return {{keys::verdict, verdict.valid ? "valid" : "invalid"}, {keys::checks, std::move(checks)}};
}

json to_json(const IdlePower& idle) {
  return {{"power_w", optional_json(idle.total_w)},
          {"source", idle.source.empty() ? json(nullptr) : json(idle.source)},
          {"reason", idle.reason.empty() ? json(nullptr) : json(idle.reason)}};
}

}  // namespace joulebench::report
