#include "store/run_rows.hpp"

#include <fmt/format.h>

#include "store/json_fields.hpp"
#include "store/priced_level.hpp"

namespace joulebench::store {
namespace {

using joulebench::number_at;
using joulebench::text_at;
using nlohmann::json;

const json& member(const json& object, const char* key) { return member_or_null(object, key); }

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
  return {what,
          load,
          number_at(source, "j_per_output_token"),
          number_at(source, "tokens_per_j"),
          number_at(source, "output_tokens_per_s"),
          number_at(source, "avg_power_w")};
}

// The field each stored kind cannot do without, and what it holds.
struct RequiredField {
  const char* kind;
  const char* field;
  json::value_t type;
  const char* what;
};
constexpr RequiredField kRequiredFields[] = {
    {"monitor", "command", json::value_t::array, "the command measured, an array"},
    {"run", "iterations", json::value_t::array, "an array of iterations"},
    {"bench-openai", "levels", json::value_t::array, "an array of load levels"},
};

std::string quoted(const char* field) { return std::string("\"") + field + "\""; }

// A value as it appears in the input, shortened to keep the error on one line.
std::string shown(const json& value) {
  std::string text = value.dump();
  if (text.size() > 40) text = text.substr(0, 37) + "...";
  return text;
}

Expected<bool> check_optional(const json& document, const char* field, json::value_t type,
                              const char* what) {
  const json& value = member(document, field);
  if (value.is_null() || value.type() == type) return true;
  return Error{quoted(field) + ": " + shown(value) + " is not " + what};
}

}  // namespace

Expected<bool> check_result_document(const json& document) {
  if (!document.is_object())
    return Error{"not a JSON object (expected a joulebench result document)"};
  const json& version = member(document, "schema_version");
  if (version.is_null())
    return Error{quoted("schema_version") + ": missing (not a joulebench result document)"};
  if (!version.is_number_integer())
    return Error{quoted("schema_version") + ": " + shown(version) + " is not an integer"};
  if (version.get<std::int64_t>() < 1 || version.get<std::int64_t>() > kResultSchemaVersion) {
    return Error{quoted("schema_version") + ": " + shown(version) +
                 " is not supported (this joulebench reads 1 to " +
                 std::to_string(kResultSchemaVersion) + ")"};
  }
  const json& kind = member(document, "kind");
  if (kind.is_null()) return Error{quoted("kind") + ": missing"};
  const RequiredField* required = nullptr;
  for (const auto& field : kRequiredFields) {
    if (kind.is_string() && kind.get<std::string>() == field.kind) required = &field;
  }
  if (required == nullptr) {
    return Error{quoted("kind") + ": " + shown(kind) +
                 " is not a kind of result the store keeps (monitor, run, bench-openai)"};
  }
  if (member(document, required->field).type() != required->type) {
    const json& value = member(document, required->field);
    return Error{quoted(required->field) + ": " +
                 (value.is_null() ? std::string("missing") : shown(value)) + " (a " +
                 required->kind + " result has " + required->what + ")"};
  }
  for (auto checked :
       {check_optional(document, "run_id", json::value_t::string, "a run id (a string)"),
        check_optional(document, "start_time", json::value_t::string, "a time (a string)"),
        check_optional(document, "labels", json::value_t::object, "an object of labels")}) {
    if (!checked) return checked;
  }
  return true;
}

std::string stored_text(const json& document) {
  if (!document.is_object() || !document.contains("run_id")) return document.dump();
  json plain = document;
  plain.erase("run_id");
  return plain.dump();
}

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
