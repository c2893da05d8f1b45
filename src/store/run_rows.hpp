// What of a result document goes into the store's columns: the headline figures of the run
// and one row per bench level or measured run iteration. Pure functions over the JSON the
// report writers produce.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace joulebench::store {

struct Headline {
  std::string kind;
  std::string status;    // "interrupted" when the document says so, else "complete"
  std::string subject;   // the command, or "model @ url"
  std::string host;
  std::string tool_version;
  std::optional<double> j_per_output_token;  // bench: the most efficient level; run: the mean
  std::optional<double> tokens_per_j;
  std::optional<double> energy_j;
  std::string verdict;   // "valid" / "invalid" / "" when none
  std::map<std::string, std::string> labels;
};

struct Entry {
  std::string what;  // "level" or "iteration"
  std::optional<double> load;  // concurrency or rate; iteration index
  std::optional<double> j_per_output_token;
  std::optional<double> tokens_per_j;
  std::optional<double> output_tokens_per_s;
  std::optional<double> avg_power_w;
};

Headline headline(const nlohmann::json& document);
std::vector<Entry> entries(const nlohmann::json& document);

}  // namespace joulebench::store
