// Energy per generated token: the figures people come for, gross and net of idle power.
// Units are in the names; a figure that cannot be computed is null with a reason.
// Thread-safety: value types and pure functions.
#pragma once

#include <optional>
#include <string>

#include "joulebench/result.hpp"

namespace joulebench {

// Idle power of the measured devices, to subtract from gross energy.
struct IdlePower {
  std::optional<double> total_w;  // sum over every measured device; null if any lacks one
  std::string source;  // "stored baseline (2026-11-24T10:00:00Z)", "measured with --idle"
  std::string reason;  // why total_w is null
};

struct TokenEnergy {
  std::optional<double> output_tokens;
  std::string tokens_source;         // "usage", "chunks", "control", "result file", "--tokens"
  std::optional<double> duration_s;  // the measured window
  std::optional<double> output_tokens_per_s;
  std::optional<double> energy_j;       // gross
  std::optional<double> idle_energy_j;  // idle power x duration
  std::optional<double> net_energy_j;   // gross - idle; null (with the reason) when not positive
  std::optional<double> j_per_output_token;
  std::optional<double> j_per_output_token_net;
  std::optional<double> tokens_per_j;
  std::optional<double> tokens_per_j_net;
  std::optional<double> avg_power_w;
  // The gross energy's 95% half-width (the Measurement's EnergyUncertainty), which gives the
  // per-token figures their intervals; null without one. Not complete when a source of the
  // energy's uncertainty is unknown (the interval covers only the stated ones).
  std::optional<double> energy_ci95_half_j;
  bool energy_ci95_complete = true;
  std::string reason;  // sentences explaining the null figures
};

struct Interval {
  double low = 0.0;
  double high = 0.0;
};

// The 95% intervals the energy's gives each figure (same tokens, energy at either end of its
// interval); null where the figure or the energy's interval is.
std::optional<Interval> energy_ci95_j(const TokenEnergy& energy);
std::optional<Interval> j_per_output_token_ci95(const TokenEnergy& energy);
std::optional<Interval> tokens_per_j_ci95(const TokenEnergy& energy);
std::optional<Interval> j_per_output_token_net_ci95(const TokenEnergy& energy);

// Idle power measured just before a bench (--idle): the sum of the devices' average power.
IdlePower idle_power_from(const Measurement& idle_run);

// Combines a window's energy, duration and token count into the per-token figures.
TokenEnergy compute_token_energy(std::optional<double> energy_j, double duration_s,
                                 std::optional<double> output_tokens, std::string tokens_source,
                                 const IdlePower& idle);

// The same for a Measurement, whose energy interval the figures then carry.
TokenEnergy compute_token_energy(const Measurement& measurement,
                                 std::optional<double> output_tokens, std::string tokens_source,
                                 const IdlePower& idle);
// Sets energy_ci95_half_j from an energy's interval (nothing without one).
void attach_energy_uncertainty(TokenEnergy& energy, const EnergyUncertainty& uncertainty);

// Clears the per-token figures (gross and net J/token, tokens/J) and adds `reason`, for a
// window whose token count does not describe the load (energy and duration stay).
void withhold_per_token_figures(TokenEnergy& energy, const std::string& reason);

}  // namespace joulebench
