// Which level of a bench-openai result people act on: the one `cost` prices, `runs list`
// shows the verdict of, and reports call "most efficient". One rule, one place:
//   - only valid levels with a J/output token count;
//   - with an SLO in the result, only the levels that met it;
//   - the lowest J/output token among those (gross, or net when asked).
// A level outside these (invalid, over the SLO) is taken only when named (cost --level), and
// then with warnings that say why it would not have been chosen. Pure; no state.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "results/result_view.hpp"

namespace joulebench::results {

struct PricedLevel {
  const LevelView* level = nullptr;  // into the view; null when none qualifies
  bool slo_given = false;
  std::size_t valid_levels = 0;  // valid and with a J/token
  std::size_t levels = 0;
  std::string why_none;               // when level is null
  std::vector<std::string> warnings;  // a level named with `load` that is invalid or over the SLO
};

// `load`: the concurrency or rate asked for (cost --level), else the rule above.
PricedLevel priced_level(const ResultView& result, std::optional<double> load = std::nullopt,
                         EnergyBasis basis = EnergyBasis::gross);

}  // namespace joulebench::results
