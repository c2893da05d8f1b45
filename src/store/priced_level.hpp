// Which level of a bench-openai result people act on: the one `cost` prices, `runs list`
// shows the verdict of, and reports call "most efficient". One rule, one place:
//   - only valid levels with a J/output token count;
//   - with an SLO in the result, only the levels that met it;
//   - the lowest J/output token among those (gross, or net when asked).
// A level outside these (invalid, over the SLO) is taken only when named (cost --level), and
// then with warnings that say why it would not have been chosen. Pure; no state.
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace joulebench {

struct PricedLevel {
  const nlohmann::json* level = nullptr;  // into the document; null when none qualifies
  bool slo_given = false;
  std::size_t valid_levels = 0;  // valid and with a J/token
  std::size_t levels = 0;
  std::string why_none;               // when level is null
  std::vector<std::string> warnings;  // a level named with `load` that is invalid or over the SLO
};

// `load`: the concurrency or rate asked for (cost --level), else the rule above.
// `energy_key`: "j_per_output_token" or "j_per_output_token_net".
PricedLevel priced_level(const nlohmann::json& document, std::optional<double> load = std::nullopt,
                         const char* energy_key = "j_per_output_token");

// The level's load: its concurrency (closed loop) or rate (open loop); its name ("concurrency").
std::optional<double> level_load(const nlohmann::json& level);
std::string level_load_name(const nlohmann::json& level);

}  // namespace joulebench
