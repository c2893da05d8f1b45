// The energy-per-token figures of a stored or written result, for `cost` (and anything else
// that prices a measured run): which number was taken from which part of the document.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "joulebench/error.hpp"
#include "results/result_document.hpp"

namespace joulebench::models {

struct ResultFigureOptions {
  std::optional<double>
      level;  // bench-openai: the concurrency or rate to take; else the most efficient
  std::optional<double> tokens;  // monitor: the tokens generated during the run
  bool net = false;              // idle-subtracted energy instead of gross
};

struct ResultFigures {
  double j_per_token = 0.0;
  std::optional<double> tokens_per_s;
  std::string taken_from;  // e.g. "bench-openai level concurrency 16 (most efficient), gross"
  std::vector<std::string> warnings;  // a level named with --level that is invalid or over the SLO
  // The J/token's 95% interval as a share of it (the energy's stated uncertainty), which every
  // figure proportional to it (energy cost, CO2) shares; null with the reason when none.
  std::optional<double> relative_ci95;
  std::string relative_ci95_reason;
};

// bench-openai: a level's j_per_output_token[_net] and output_tokens_per_s; run: the means of
// the iterations' summaries; monitor: energy_j / --tokens over duration_s. Errors name what
// is missing and the flag that supplies it.
Expected<ResultFigures> result_figures(const ResultDocument& result,
                                       const ResultFigureOptions& options);

}  // namespace joulebench::models
