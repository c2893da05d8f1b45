#include "results/result_decoder.hpp"

#include <string>

#include "results/json_fields.hpp"
#include "results/result_keys.hpp"
#include "results/result_parts.hpp"

namespace joulebench::results {
namespace {

using nlohmann::json;

std::string quoted(const char* key) { return std::string("\"") + key + "\""; }

// A value as it appears in the input, shortened to keep the error on one line.
std::string shown(const json& value) {
  std::string text = value.dump();
  if (text.size() > 40) text = text.substr(0, 37) + "...";
  return text;
}

std::string kind_names() {
  std::string out;
  for (const ResultKind kind : kAllResultKinds)
    out += (out.empty() ? "" : ", ") + std::string(kind_name(kind));
  return out;
}

Expected<std::int64_t> schema_version_of(const json& document) {
  const json& version = member_or_null(document, keys::schema_version);
  if (version.is_null())
    return Error{quoted(keys::schema_version) + ": missing (not a joulebench result document)"};
  if (!version.is_number_integer())
    return Error{quoted(keys::schema_version) + ": " + shown(version) + " is not an integer"};
  const auto number = version.get<std::int64_t>();
  if (number < 1 || number > kResultSchemaVersion) {
    return Error{quoted(keys::schema_version) + ": " + shown(version) +
                 " is not supported (this joulebench reads 1 to " +
                 std::to_string(kResultSchemaVersion) + ")"};
  }
  return number;
}

Expected<ResultKind> kind_of(const json& document) {
  const json& kind = member_or_null(document, keys::kind);
  if (kind.is_null()) return Error{quoted(keys::kind) + ": missing"};
  if (auto parsed = kind.is_string() ? parse_kind(kind.get<std::string>()) : std::nullopt)
    return *parsed;
  return Error{quoted(keys::kind) + ": " + shown(kind) + " is not a kind of result (" +
               kind_names() + ")"};
}

// A command is an array of words (monitor, run) or, from older writers, one string.
std::optional<std::vector<std::string>> command_of(const json& document) {
  const json& command = member_or_null(document, keys::command);
  if (command.is_array()) return parts::strings(command);
  if (command.is_string()) return std::vector<std::string>{command.get<std::string>()};
  return std::nullopt;
}

ProvenanceView provenance_of(const json& document) {
  const json& provenance = member_or_null(document, keys::provenance);
  const json& simulated = member_or_null(provenance, keys::simulated);
  return {text_at(provenance, keys::host), text_at(provenance, keys::tool_version),
          text_at(provenance, keys::start_time), simulated.is_boolean() && simulated.get<bool>(),
          parts::strings(member_or_null(provenance, keys::devices_measured))};
}

// A run's summary keeps, per figure, the statistics over its measured iterations.
RunSummaryView summary_of(const json& document) {
  const json& summary = member_or_null(document, keys::summary);
  auto mean_of = [&](const char* figure) {
    return number_at(member_or_null(summary, figure), keys::mean);
  };
  return {mean_of(keys::j_per_output_token), mean_of(keys::j_per_output_token_net),
          mean_of(keys::tokens_per_j), mean_of(keys::output_tokens_per_s)};
}

void add_bench_members(const json& document, ResultView& view) {
  view.levels = parts::levels(document);
  const json& slo = member_or_null(document, keys::slo);
  view.slo = {number_at(slo, keys::ttft_p90_ms), number_at(slo, keys::itl_p90_ms)};
  view.prompt_tokens = number_at(document, keys::prompt_tokens);
  view.output_tokens = number_at(document, keys::output_tokens);
  view.most_efficient = parts::level_ref(member_or_null(document, keys::most_efficient));
  view.most_efficient_within_slo =
      parts::level_ref(member_or_null(document, keys::most_efficient_within_slo));
}

}  // namespace

Expected<ResultView> decode_result(const json& document) {
  if (!document.is_object())
    return Error{"not a JSON object (expected a joulebench result document)"};
  auto version = schema_version_of(document);
  if (!version) return version.error();
  auto kind = kind_of(document);
  if (!kind) return kind.error();
  ResultView view;
  view.kind = *kind;
  view.schema_version = *version;
  view.labels = parts::labels(member_or_null(document, keys::labels));
  view.start_time = text_at(document, keys::start_time);
  view.provenance = provenance_of(document);
  view.command = command_of(document);
  view.model = text_at(document, keys::model);
  view.url = text_at(document, keys::url);
  view.failed_because = parts::optional_text(document, keys::failed_because);
  view.interrupted_by = parts::optional_text(document, keys::interrupted_by);
  view.trace = parts::optional_text(document, keys::trace);
  view.figures = parts::figures(document);
  view.devices = parts::measurement(document).devices;
  if (auto energy = number_at(member_or_null(document, keys::whole_run), keys::energy_j))
    view.whole_run_energy_j = Joules(*energy);
  view.summary = summary_of(document);
  view.validity = parts::validity(document);
  view.iterations = parts::iterations(document);
  add_bench_members(document, view);
  return view;
}

std::optional<Joules> device_energy_j(const json& device) {
  if (auto energy = number_at(device, keys::energy_j)) return Joules(*energy);
  return std::nullopt;
}

const DocumentFilter& view_document_filter() {
  using namespace keys;
  using keys::j_per_output_token;  // not results::j_per_output_token(figures, basis)
  static const DocumentFilter filter{{schema_version,
                                      kind,
                                      command,
                                      model,
                                      url,
                                      start_time,
                                      failed_because,
                                      interrupted_by,
                                      trace,
                                      provenance,
                                      host,
                                      tool_version,
                                      simulated,
                                      whole_run,
                                      summary,
                                      mean,
                                      energy_j,
                                      avg_power_w,
                                      duration_s,
                                      start_s,
                                      j_per_output_token,
                                      j_per_output_token_net,
                                      tokens_per_j,
                                      output_tokens_per_s,
                                      validity,
                                      verdict,
                                      checks,
                                      status,
                                      message,
                                      iterations,
                                      index,
                                      warmup,
                                      exit_code,
                                      windows,
                                      name,
                                      measurement,
                                      levels,
                                      concurrency,
                                      rate,
                                      slo_met,
                                      slo,
                                      ttft_p90_ms,
                                      itl_p90_ms,
                                      ttft_ms,
                                      itl_ms,
                                      p50,
                                      p90,
                                      p99,
                                      most_efficient,
                                      most_efficient_within_slo,
                                      prompt_tokens,
                                      output_tokens},
                                     {labels, devices_measured}};
  return filter;
}

}  // namespace joulebench::results
