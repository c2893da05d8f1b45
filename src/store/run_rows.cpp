#include "store/run_rows.hpp"

#include <fmt/format.h>

#include "store/json_fields.hpp"
#include "store/priced_level.hpp"

namespace joulebench::store {
namespace {

using nlohmann::json;
using joulebench::number_at;
using joulebench::text_at;

const json& member(const json& document, const char* key) {
  static const json kNull;
  if (!document.is_object()) return kNull;
  const auto found = document.find(key);
  return found == document.end() ? kNull : *found;
}

std::string subject_of(const json& document) {
  const json& command = member(document, "command");
  if (command.is_array()) {
    std::string text;
    for (const auto& word : command) {
      if (word.is_string()) text += (text.empty() ? "" : " ") + word.get<std::string>();
    }
    return text;
  }
  if (command.is_string()) return command.get<std::string>();
  const std::string model = text_at(document, "model");
  const std::string url = text_at(document, "url");
  return model.empty() && url.empty() ? "" : model + " @ " + url;
}

// A result says it failed with "failed_because" (the command's exit status or signal, a load
// whose every level failed); that outranks an interruption, which outranks "complete".
std::string status_of(const json& document) {
  if (member(document, "failed_because").is_string()) return "failed";
  if (member(document, "interrupted_by").is_string()) return "interrupted";
  return "complete";
}

Entry entry_from(const json& source, const char* what, std::optional<double> load) {
  return {what, load, number_at(source, "j_per_output_token"), number_at(source, "tokens_per_j"),
          number_at(source, "output_tokens_per_s"), number_at(source, "avg_power_w")};
}

}  // namespace

Headline headline(const json& document) {
  Headline out;
  out.kind = text_at(document, "kind");
  out.status = status_of(document);
  out.subject = subject_of(document);
  out.host = text_at(member(document, "provenance"), "host");
  out.tool_version = text_at(member(document, "provenance"), "tool_version");
  out.energy_j = number_at(document, "energy_j");
  const json& labels = member(document, "labels");
  if (labels.is_object()) {
    for (const auto& [key, value] : labels.items()) {
      if (value.is_string()) out.labels[key] = value.get<std::string>();
    }
  }
  if (out.kind == "bench-openai") {
    // The level `cost` would price, with its verdict and how many levels are valid.
    const PricedLevel choice = priced_level(document);
    if (choice.level) {
      out.j_per_output_token = number_at(*choice.level, "j_per_output_token");
      out.tokens_per_j = number_at(*choice.level, "tokens_per_j");
    }
    out.verdict = fmt::format("{}, {}/{} levels valid", choice.level ? "valid" : "none usable",
                              choice.valid_levels, choice.levels);
  } else if (out.kind == "run") {
    const json& summary = member(document, "summary");
    out.j_per_output_token = number_at(member(summary, "j_per_output_token"), "mean");
    out.tokens_per_j = number_at(member(summary, "tokens_per_j"), "mean");
    out.energy_j = number_at(member(document, "whole_run"), "energy_j");
    out.verdict = text_at(member(document, "validity"), "verdict");
  }
  return out;
}

std::vector<Entry> entries(const json& document) {
  std::vector<Entry> out;
  const std::string kind = text_at(document, "kind");
  if (kind == "bench-openai" && member(document, "levels").is_array()) {
    for (const auto& level : member(document, "levels")) {
      auto load = number_at(level, "concurrency");
      if (!load) load = number_at(level, "rate");
      out.push_back(entry_from(level, "level", load));
    }
  } else if (kind == "run" && member(document, "iterations").is_array()) {
    for (const auto& iteration : member(document, "iterations")) {
      out.push_back(entry_from(iteration, "iteration", number_at(iteration, "index")));
    }
  }
  return out;
}

}  // namespace joulebench::store
