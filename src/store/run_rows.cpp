#include "store/run_rows.hpp"

#include <fmt/format.h>

#include "results/json_fields.hpp"
#include "results/priced_level.hpp"
#include "results/result_decoder.hpp"
#include "results/result_keys.hpp"

namespace joulebench::store {
namespace {

using nlohmann::json;
using results::ResultKind;
using results::ResultView;
namespace keys = results::keys;

std::string joined(const std::vector<std::string>& words) {
  std::string text;
  for (const auto& word : words) text += (text.empty() ? "" : " ") + word;
  return text;
}

std::string subject_of(const ResultView& result) {
  if (result.command) return joined(*result.command);
  return result.model.empty() && result.url.empty() ? "" : result.model + " @ " + result.url;
}

// A result says it failed with "failed_because" (the command's exit status or signal, a load
// whose every level failed); that outranks an interruption, which outranks "complete".
std::string status_of(const ResultView& result) {
  if (result.failed_because) return "failed";
  if (result.interrupted_by) return "interrupted";
  return "complete";
}

Entry entry_from(const results::FiguresView& figures, const char* what,
                 std::optional<double> load) {
  return {what,
          load,
          figures.j_per_output_token,
          figures.tokens_per_j,
          figures.output_tokens_per_s,
          figures.avg_power_w ? std::optional<double>(figures.avg_power_w->value) : std::nullopt};
}

// The member each stored kind cannot do without, and what it holds.
struct RequiredField {
  ResultKind kind;
  const char* field;
  json::value_t type;
  const char* what;
};
constexpr RequiredField kRequiredFields[] = {
    {ResultKind::monitor, keys::command, json::value_t::array, "the command measured, an array"},
    {ResultKind::run, keys::iterations, json::value_t::array, "an array of iterations"},
    {ResultKind::bench_openai, keys::levels, json::value_t::array, "an array of load levels"},
};

std::string quoted(const char* field) { return std::string("\"") + field + "\""; }

// A value as it appears in the input, shortened to keep the error on one line.
std::string shown(const json& value) {
  std::string text = value.dump();
  if (text.size() > 40) text = text.substr(0, 37) + "...";
  return text;
}

const RequiredField* required_field(ResultKind kind) {
  for (const auto& field : kRequiredFields) {
    if (field.kind == kind) return &field;
  }
  return nullptr;
}

std::string stored_kind_names() {
  std::string out;
  for (const auto& field : kRequiredFields)
    out += (out.empty() ? "" : ", ") + std::string(results::kind_name(field.kind));
  return out;
}

Expected<bool> check_required(const json& document, const RequiredField& required) {
  const json& value = member_or_null(document, required.field);
  if (value.type() == required.type) return true;
  return Error{quoted(required.field) + ": " +
               (value.is_null() ? std::string("missing") : shown(value)) + " (a " +
               results::kind_name(required.kind) + " result has " + required.what + ")"};
}

Expected<bool> check_optional(const json& document, const char* field, json::value_t type,
                              const char* what) {
  const json& value = member_or_null(document, field);
  if (value.is_null() || value.type() == type) return true;
  return Error{quoted(field) + ": " + shown(value) + " is not " + what};
}

}  // namespace

Expected<bool> check_result_document(const json& document) {
  auto decoded = results::decode_result(document);
  if (!decoded) return decoded.error();
  const RequiredField* required = required_field(decoded->kind);
  if (required == nullptr) {
    return Error{quoted(keys::kind) + ": " + shown(member_or_null(document, keys::kind)) +
                 " is not a kind of result the store keeps (" + stored_kind_names() + ")"};
  }
  if (auto checked = check_required(document, *required); !checked) return checked;
  for (auto checked :
       {check_optional(document, keys::run_id, json::value_t::string, "a run id (a string)"),
        check_optional(document, keys::start_time, json::value_t::string, "a time (a string)"),
        check_optional(document, keys::labels, json::value_t::object, "an object of labels")}) {
    if (!checked) return checked;
  }
  return true;
}

std::string stored_text(const json& document) {
  if (!document.is_object() || !document.contains(keys::run_id)) return document.dump();
  json plain = document;
  plain.erase(keys::run_id);
  return plain.dump();
}

namespace {

// bench-openai: the level `cost` would price, with its verdict and how many levels are valid.
void add_bench_headline(const ResultView& result, Headline& out) {
  const results::PricedLevel choice = results::priced_level(result);
  if (choice.level) {
    out.j_per_output_token = choice.level->figures.j_per_output_token;
    out.tokens_per_j = choice.level->figures.tokens_per_j;
  }
  out.verdict = fmt::format("{}, {}/{} levels valid", choice.level ? "valid" : "none usable",
                            choice.valid_levels, choice.levels);
}

void add_run_headline(const ResultView& result, Headline& out) {
  out.j_per_output_token = result.summary.j_per_output_token;
  out.tokens_per_j = result.summary.tokens_per_j;
  out.energy_j = result.whole_run_energy_j ? std::optional<double>(result.whole_run_energy_j->value)
                                           : std::nullopt;
  out.verdict = result.validity.verdict;
}

}  // namespace

Headline headline(const ResultView& result) {
  Headline out;
  out.kind = results::kind_name(result.kind);
  out.status = status_of(result);
  out.subject = subject_of(result);
  out.host = result.provenance.host;
  out.tool_version = result.provenance.tool_version;
  if (result.figures.energy_j) out.energy_j = result.figures.energy_j->value;
  out.labels = result.labels;
  if (result.kind == ResultKind::bench_openai) add_bench_headline(result, out);
  if (result.kind == ResultKind::run) add_run_headline(result, out);
  return out;
}

std::vector<Entry> entries(const ResultView& result) {
  std::vector<Entry> out;
  if (result.kind == ResultKind::bench_openai && result.levels) {
    for (const auto& level : *result.levels)
      out.push_back(entry_from(level.figures, "level", level.load));
  } else if (result.kind == ResultKind::run && result.iterations) {
    for (const auto& iteration : *result.iterations) {
      const auto index = iteration.index
                             ? std::optional<double>(static_cast<double>(*iteration.index))
                             : std::nullopt;
      out.push_back(entry_from(iteration.figures, "iteration", index));
    }
  }
  return out;
}

}  // namespace joulebench::store
