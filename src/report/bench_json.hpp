// JSON encodings shared by the benchmark writers (run, bench openai): token-energy figures,
// statistics summaries, validity verdicts, idle power.
#pragma once

#include <nlohmann/json.hpp>

#include "core/statistics.hpp"
#include "core/validity.hpp"
#include "joulebench/token_energy.hpp"

namespace joulebench::report {

// Adds the flat per-token fields (output_tokens, j_per_output_token, ...) to `out`.
void add_token_energy_fields(nlohmann::ordered_json& out, const TokenEnergy& energy);
// The energy's 95% half-width as a percentage of it ("1.7", "1.7*" when a source is unknown,
// "n/a" without an interval): the ± of the per-token figures in the terminal tables.
std::string energy_share_text(const TokenEnergy& energy);
// The line under a table with that column, saying what it is.
inline constexpr const char* kEnergyShareNote =
    "±%: the energy's 95% interval from stated sources (docs/accuracy.md); * = a source is "
    "unknown\n";
nlohmann::ordered_json to_json(const Summary& summary, const std::string& unit);
nlohmann::ordered_json to_json(const ValidityVerdict& verdict);
nlohmann::ordered_json to_json(const IdlePower& idle);

}  // namespace joulebench::report
