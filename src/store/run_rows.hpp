// What of a result document goes into the store's columns: the headline figures of the run
// and one row per bench level or measured run iteration. Pure functions over the JSON the
// report writers produce.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "joulebench/error.hpp"
#include "results/result_decoder.hpp"

namespace joulebench::store {

struct Headline {
  std::string kind;
  std::string status;   // "interrupted" when the document says so, else "complete"
  std::string subject;  // the command, or "model @ url"
  std::string host;
  std::string tool_version;
  std::optional<double> j_per_output_token;  // bench: the most efficient level; run: the mean
  std::optional<double> tokens_per_j;
  std::optional<double> energy_j;
  std::string verdict;  // "valid" / "invalid" / "" when none
  std::map<std::string, std::string> labels;
};

struct Entry {
  std::string what;            // "level" or "iteration"
  std::optional<double> load;  // concurrency or rate; iteration index
  std::optional<double> j_per_output_token;
  std::optional<double> tokens_per_j;
  std::optional<double> output_tokens_per_s;
  std::optional<double> avg_power_w;
};

// The newest result document schema this store reads: the decoder's.
inline constexpr int kResultSchemaVersion = results::kResultSchemaVersion;

// Checks a document from outside (runs import) as every other input is checked: an object
// with a supported integer "schema_version", a "kind" the store keeps (monitor, run,
// bench-openai) and that kind's required fields. The error names the field and the value.
Expected<bool> check_result_document(const nlohmann::json& document);

// The text a document is stored as, which also says whether two documents are the same run:
// the document without the "run_id" that `runs export` adds, in canonical form.
std::string stored_text(const nlohmann::json& document);

// The columns of a decoded result (results/result_decoder.hpp).
Headline headline(const results::ResultView& result);
std::vector<Entry> entries(const results::ResultView& result);

}  // namespace joulebench::store
