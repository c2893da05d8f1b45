#include "models/result_figures.hpp"

#include <fmt/format.h>

#include <cmath>

#include "store/json_fields.hpp"
#include "store/priced_level.hpp"

namespace joulebench::models {
namespace {

using nlohmann::json;

const char* energy_key(bool net) { return net ? "j_per_output_token_net" : "j_per_output_token"; }
const char* energy_word(bool net) { return net ? "net (idle subtracted)" : "gross"; }

Expected<ResultFigures> from_bench(const ResultDocument& result,
                                   const ResultFigureOptions& options) {
  const PricedLevel choice = priced_level(result.document, options.level, energy_key(options.net));
  if (choice.level == nullptr) {
    if (options.level) {
      return Error{fmt::format("--level: {} has no level {:g} with a {} J/token", result.reference,
                               *options.level, energy_word(options.net))};
    }
    return Error{fmt::format("{}: {}; name one with --level to price it anyway", result.reference,
                             choice.why_none)};
  }
  const json& level = *choice.level;
  const char* chosen_how = options.level      ? ""
                           : choice.slo_given ? " (most efficient within the SLO)"
                                              : " (most efficient)";
  ResultFigures figures{
      *number_at(level, energy_key(options.net)), number_at(level, "output_tokens_per_s"),
      fmt::format("{}: bench-openai level {} {:g}{}, {}", result.reference, level_load_name(level),
                  level_load(level).value_or(NAN), chosen_how, energy_word(options.net))};
  figures.warnings = choice.warnings;
  return figures;
}

Expected<ResultFigures> from_run(const ResultDocument& result, const ResultFigureOptions& options) {
  const json& summary = result.document.value("summary", json::object());
  const auto j_per_token =
      number_at(summary.value(energy_key(options.net), json::object()), "mean");
  if (!j_per_token) {
    return Error{fmt::format("{}: the run has no {} J/token (did the command report tokens?)",
                             result.reference, energy_word(options.net))};
  }
  const auto tokens_per_s = number_at(summary.value("output_tokens_per_s", json::object()), "mean");
  return ResultFigures{*j_per_token, tokens_per_s,
                       fmt::format("{}: run, mean of the measured iterations, {}", result.reference,
                                   energy_word(options.net))};
}

Expected<ResultFigures> from_monitor(const ResultDocument& result,
                                     const ResultFigureOptions& options) {
  if (!options.tokens)
    return Error{"--tokens: " + result.reference + " is a monitor result, which counts no tokens"};
  if (!(*options.tokens > 0.0))
    return Error{fmt::format("--tokens: {} is not positive", *options.tokens)};
  if (options.net) return Error{"--net: a monitor result has no idle baseline to subtract"};
  const auto energy_j = number_at(result.document, "energy_j");
  const auto duration_s = number_at(result.document, "duration_s");
  if (!energy_j) return Error{result.reference + ": the monitor result has no energy_j"};
  std::optional<double> tokens_per_s;
  if (duration_s && *duration_s > 0.0) tokens_per_s = *options.tokens / *duration_s;
  return ResultFigures{*energy_j / *options.tokens, tokens_per_s,
                       fmt::format("{}: monitor energy / {:g} tokens (--tokens)", result.reference,
                                   *options.tokens)};
}

}  // namespace

Expected<ResultFigures> result_figures(const ResultDocument& result,
                                       const ResultFigureOptions& options) {
  const std::string kind = result.document.value("kind", "");
  if (kind == "bench-openai") return from_bench(result, options);
  if (kind == "run") return from_run(result, options);
  if (kind == "monitor") return from_monitor(result, options);
  return Error{result.reference + ": a '" + kind +
               "' result has no energy per token (use a bench-openai, run or monitor result)"};
}

}  // namespace joulebench::models
