#include "joulebench/token_energy.hpp"

#include <fmt/format.h>

namespace joulebench {
namespace {

void add_reason(std::string& reasons, const std::string& sentence) {
  if (!reasons.empty()) reasons += " ";
  reasons += sentence;
}

}  // namespace

IdlePower idle_power_from(const Measurement& idle_run) {
  IdlePower idle;
  idle.source = "measured before the run";
  double total_w = 0.0;
  for (const auto& device : idle_run.devices) {
    if (!device.avg_power_w) {
      idle.reason = "The idle measurement has no power for " + device.device.id + ".";
      return idle;
    }
    total_w += *device.avg_power_w;
  }
  if (idle_run.devices.empty()) {
    idle.reason = "The idle measurement has no devices.";
    return idle;
  }
  idle.total_w = total_w;
  return idle;
}

TokenEnergy compute_token_energy(std::optional<double> energy_j, double duration_s,
                                 std::optional<double> output_tokens, std::string tokens_source,
                                 const IdlePower& idle) {
  TokenEnergy out;
  out.energy_j = energy_j;
  out.output_tokens = output_tokens;
  out.tokens_source = std::move(tokens_source);
  if (duration_s > 0) out.duration_s = duration_s;

  if (!energy_j) add_reason(out.reason, "No energy was measured for this window.");
  if (!output_tokens) add_reason(out.reason, "No token count is known for this window.");
  if (output_tokens && *output_tokens <= 0) add_reason(out.reason, "No tokens were generated.");
  if (duration_s <= 0) add_reason(out.reason, "The window has no duration.");

  const bool have_tokens = output_tokens && *output_tokens > 0;
  if (have_tokens && duration_s > 0) out.output_tokens_per_s = *output_tokens / duration_s;
  if (energy_j && duration_s > 0) out.avg_power_w = *energy_j / duration_s;
  if (energy_j && have_tokens) {
    out.j_per_output_token = *energy_j / *output_tokens;
    if (*energy_j > 0) out.tokens_per_j = *output_tokens / *energy_j;
  }

  if (!idle.total_w) {
    add_reason(out.reason, idle.reason.empty() ? "No idle baseline." : idle.reason);
    return out;
  }
  if (!energy_j || duration_s <= 0) return out;
  out.idle_energy_j = *idle.total_w * duration_s;
  const double net_j = *energy_j - *out.idle_energy_j;
  if (net_j <= 0) {
    // Below the baseline the subtraction measures the baseline's error, not the load.
    add_reason(out.reason, fmt::format("Net energy is not positive: the window drew {:.4g} J, no "
                                       "more than the idle baseline's {:.4g} J ({:.4g} W).",
                                       *energy_j, *out.idle_energy_j, *idle.total_w));
    return out;
  }
  out.net_energy_j = net_j;
  if (have_tokens) {
    out.j_per_output_token_net = net_j / *output_tokens;
    out.tokens_per_j_net = *output_tokens / net_j;
  }
  return out;
}

void withhold_per_token_figures(TokenEnergy& energy, const std::string& reason) {
  energy.j_per_output_token.reset();
  energy.j_per_output_token_net.reset();
  energy.tokens_per_j.reset();
  energy.tokens_per_j_net.reset();
  add_reason(energy.reason, reason);
}

TokenEnergy compute_token_energy(const Measurement& measurement,
                                 std::optional<double> output_tokens, std::string tokens_source,
                                 const IdlePower& idle) {
  TokenEnergy out = compute_token_energy(measurement.energy_j, measurement.duration_s,
                                         output_tokens, std::move(tokens_source), idle);
  attach_energy_uncertainty(out, measurement.energy_uncertainty);
  return out;
}

void attach_energy_uncertainty(TokenEnergy& energy, const EnergyUncertainty& uncertainty) {
  if (!uncertainty.ci95_low_j || !uncertainty.ci95_high_j) return;
  energy.energy_ci95_half_j = 0.5 * (*uncertainty.ci95_high_j - *uncertainty.ci95_low_j);
  energy.energy_ci95_complete = uncertainty.complete;
}

std::optional<Interval> energy_ci95_j(const TokenEnergy& energy) {
  if (!energy.energy_j || !energy.energy_ci95_half_j) return std::nullopt;
  return Interval{*energy.energy_j - *energy.energy_ci95_half_j,
                  *energy.energy_j + *energy.energy_ci95_half_j};
}

std::optional<Interval> j_per_output_token_ci95(const TokenEnergy& energy) {
  const auto joules = energy_ci95_j(energy);
  if (!joules || !energy.j_per_output_token || !energy.output_tokens) return std::nullopt;
  return Interval{joules->low / *energy.output_tokens, joules->high / *energy.output_tokens};
}

std::optional<Interval> tokens_per_j_ci95(const TokenEnergy& energy) {
  const auto joules = energy_ci95_j(energy);
  if (!joules || !energy.tokens_per_j || joules->low <= 0.0) return std::nullopt;
  return Interval{*energy.output_tokens / joules->high, *energy.output_tokens / joules->low};
}

// The idle energy is subtracted as measured: the gross energy's absolute half-width is the
// net figure's too (the idle baseline's own error is not in it).
std::optional<Interval> j_per_output_token_net_ci95(const TokenEnergy& energy) {
  if (!energy.j_per_output_token_net || !energy.energy_ci95_half_j || !energy.output_tokens)
    return std::nullopt;
  const double half = *energy.energy_ci95_half_j / *energy.output_tokens;
  return Interval{*energy.j_per_output_token_net - half, *energy.j_per_output_token_net + half};
}

}  // namespace joulebench
