#include "models/result_figures.hpp"

#include <fmt/format.h>

#include <cmath>

#include "store/json_fields.hpp"

namespace joulebench::models {
namespace {

using nlohmann::json;

const char* energy_key(bool net) { return net ? "j_per_output_token_net" : "j_per_output_token"; }
const char* energy_word(bool net) { return net ? "net (idle subtracted)" : "gross"; }

// The level's load: its concurrency (closed loop) or rate (open loop).
std::optional<double> level_load(const json& level) {
  if (auto concurrency = number_at(level, "concurrency")) return concurrency;
  return number_at(level, "rate");
}

std::string load_name(const json& level) { return level.contains("concurrency") ? "concurrency" : "rate"; }

Expected<ResultFigures> from_bench(const ResultDocument& result, const ResultFigureOptions& options) {
  const auto levels = result.document.find("levels");
  if (levels == result.document.end() || !levels->is_array()) {
    return Error{result.reference + ": the bench-openai result has no levels"};
  }
  const json* chosen = nullptr;
  for (const auto& level : *levels) {
    const auto value = number_at(level, energy_key(options.net));
    if (!value) continue;
    if (options.level) {
      if (level_load(level) == options.level) chosen = &level;
    } else if (chosen == nullptr || *value < *number_at(*chosen, energy_key(options.net))) {
      chosen = &level;
    }
  }
  if (chosen == nullptr) {
    if (options.level) {
      return Error{fmt::format("--level: {} has no level {:g} with a {} J/token", result.reference,
                               *options.level, energy_word(options.net))};
    }
    return Error{fmt::format("{}: no level has a {} J/token", result.reference, energy_word(options.net))};
  }
  return ResultFigures{*number_at(*chosen, energy_key(options.net)), number_at(*chosen, "output_tokens_per_s"),
                       fmt::format("{}: bench-openai level {} {:g}{}, {}", result.reference, load_name(*chosen),
                                   level_load(*chosen).value_or(NAN), options.level ? "" : " (most efficient)",
                                   energy_word(options.net))};
}

Expected<ResultFigures> from_run(const ResultDocument& result, const ResultFigureOptions& options) {
  const json& summary = result.document.value("summary", json::object());
  const auto j_per_token = number_at(summary.value(energy_key(options.net), json::object()), "mean");
  if (!j_per_token) {
    return Error{fmt::format("{}: the run has no {} J/token (did the command report tokens?)", result.reference,
                             energy_word(options.net))};
  }
  const auto tokens_per_s = number_at(summary.value("output_tokens_per_s", json::object()), "mean");
  return ResultFigures{*j_per_token, tokens_per_s,
                       fmt::format("{}: run, mean of the measured iterations, {}", result.reference,
                                   energy_word(options.net))};
}

Expected<ResultFigures> from_monitor(const ResultDocument& result, const ResultFigureOptions& options) {
  if (!options.tokens) return Error{"--tokens: " + result.reference + " is a monitor result, which counts no tokens"};
  if (!(*options.tokens > 0.0)) return Error{fmt::format("--tokens: {} is not positive", *options.tokens)};
  if (options.net) return Error{"--net: a monitor result has no idle baseline to subtract"};
  const auto energy_j = number_at(result.document, "energy_j");
  const auto duration_s = number_at(result.document, "duration_s");
  if (!energy_j) return Error{result.reference + ": the monitor result has no energy_j"};
  std::optional<double> tokens_per_s;
  if (duration_s && *duration_s > 0.0) tokens_per_s = *options.tokens / *duration_s;
  return ResultFigures{*energy_j / *options.tokens, tokens_per_s,
                       fmt::format("{}: monitor energy / {:g} tokens (--tokens)", result.reference, *options.tokens)};
}

}  // namespace

Expected<ResultFigures> result_figures(const ResultDocument& result, const ResultFigureOptions& options) {
  const std::string kind = result.document.value("kind", "");
  if (kind == "bench-openai") return from_bench(result, options);
  if (kind == "run") return from_run(result, options);
  if (kind == "monitor") return from_monitor(result, options);
  return Error{result.reference + ": a '" + kind + "' result has no energy per token (use a bench-openai, run or monitor result)"};
}

}  // namespace joulebench::models
