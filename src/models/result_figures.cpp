#include "models/result_figures.hpp"

#include <fmt/format.h>

#include <cmath>

#include "results/priced_level.hpp"
#include "results/result_decoder.hpp"

namespace joulebench::models {
namespace {

using results::EnergyBasis;
using results::ResultView;

EnergyBasis basis_of(const ResultFigureOptions& options) {
  return options.net ? EnergyBasis::net : EnergyBasis::gross;
}
const char* energy_word(bool net) { return net ? "net (idle subtracted)" : "gross"; }

// The interval's half-width as a share of `value`.
void set_relative_ci95(ResultFigures& figures, const std::optional<Interval>& interval,
                       double value) {
  if (!interval || !(value > 0.0)) {
    figures.relative_ci95_reason = "the result carries no energy interval";
    return;
  }
  figures.relative_ci95 = 0.5 * (interval->high - interval->low) / value;
}

Expected<ResultFigures> from_bench(const std::string& reference, const ResultView& result,
                                   const ResultFigureOptions& options) {
  const auto choice = results::priced_level(result, options.level, basis_of(options));
  if (choice.level == nullptr) {
    if (options.level) {
      return Error{fmt::format("--level: {} has no level {:g} with a {} J/token", reference,
                               *options.level, energy_word(options.net))};
    }
    return Error{fmt::format("{}: {}; name one with --level to price it anyway", reference,
                             choice.why_none)};
  }
  const results::LevelView& level = *choice.level;
  const char* chosen_how = options.level      ? ""
                           : choice.slo_given ? " (most efficient within the SLO)"
                                              : " (most efficient)";
  ResultFigures figures{*results::j_per_output_token(level.figures, basis_of(options)),
                        level.figures.output_tokens_per_s,
                        fmt::format("{}: {} level {} {:g}{}, {}", reference,
                                    results::kind_name(results::ResultKind::bench_openai),
                                    results::load_mode_name(level.mode), level.load.value_or(NAN),
                                    chosen_how, energy_word(options.net))};
  figures.warnings = choice.warnings;
  set_relative_ci95(figures, results::j_per_output_token_ci95(level.figures, basis_of(options)),
                    figures.j_per_token);
  return figures;
}

Expected<ResultFigures> from_run(const std::string& reference, const ResultView& result,
                                 const ResultFigureOptions& options) {
  const auto j_per_token = results::j_per_output_token(result.summary, basis_of(options));
  if (!j_per_token) {
    return Error{fmt::format("{}: the run has no {} J/token (did the command report tokens?)",
                             reference, energy_word(options.net))};
  }
  ResultFigures figures{*j_per_token, result.summary.output_tokens_per_s,
                        fmt::format("{}: run, mean of the measured iterations, {}", reference,
                                    energy_word(options.net))};
  figures.relative_ci95_reason =
      "a run's J/token is a mean over iterations: its statistics are in the run's summary";
  return figures;
}

Expected<ResultFigures> from_monitor(const std::string& reference, const ResultView& result,
                                     const ResultFigureOptions& options) {
  if (!options.tokens)
    return Error{"--tokens: " + reference + " is a monitor result, which counts no tokens"};
  if (!(*options.tokens > 0.0))
    return Error{fmt::format("--tokens: {} is not positive", *options.tokens)};
  if (options.net) return Error{"--net: a monitor result has no idle baseline to subtract"};
  const auto& energy_j = result.figures.energy_j;
  const auto& duration_s = result.figures.duration_s;
  if (!energy_j) return Error{reference + ": the monitor result has no energy_j"};
  std::optional<double> tokens_per_s;
  if (duration_s && duration_s->value > 0.0) tokens_per_s = *options.tokens / duration_s->value;
  ResultFigures figures{
      energy_j->value / *options.tokens, tokens_per_s,
      fmt::format("{}: monitor energy / {:g} tokens (--tokens)", reference, *options.tokens)};
  set_relative_ci95(figures, result.figures.energy_ci95_j, energy_j->value);
  return figures;
}

}  // namespace

Expected<ResultFigures> result_figures(const ResultDocument& document,
                                       const ResultFigureOptions& options) {
  const auto result = results::decode_result(document.document);
  if (!result) return Error{document.reference + ": " + result.error().message};
  switch (result->kind) {
    case results::ResultKind::bench_openai:
      return from_bench(document.reference, *result, options);
    case results::ResultKind::run:
      return from_run(document.reference, *result, options);
    case results::ResultKind::monitor:
      return from_monitor(document.reference, *result, options);
    default:
      break;
  }
  return Error{document.reference + ": a '" + results::kind_name(result->kind) +
               "' result has no energy per token (use a bench-openai, run or monitor result)"};
}

}  // namespace joulebench::models
