#include "models/result_samples.hpp"

#include <map>
#include <set>

#include "store/json_fields.hpp"

namespace joulebench::models {
namespace {

using nlohmann::json;

void add_figures(const json& source, SideSamples& side) {
  for (std::size_t m = 0; m < std::size(kAllMetrics); ++m) {
    if (auto value = number_at(source, metric_key(kAllMetrics[m]))) side.values[m].push_back(*value);
  }
}

const json* chosen_level(const json& document, std::optional<double> level) {
  const auto levels = document.find("levels");
  if (levels == document.end() || !levels->is_array()) return nullptr;
  const json* best = nullptr;
  for (const auto& entry : *levels) {
    const auto j_per_token = number_at(entry, "j_per_output_token");
    if (!j_per_token) continue;
    if (level) {
      const auto load = entry.contains("concurrency") ? number_at(entry, "concurrency") : number_at(entry, "rate");
      if (load == level) return &entry;
    } else if (best == nullptr || *j_per_token < *number_at(*best, "j_per_output_token")) {
      best = &entry;
    }
  }
  return best;
}

}  // namespace

void add_document_samples(const json& document, std::optional<double> level, SideSamples& side) {
  const std::string kind = document.value("kind", "");
  const auto iterations = document.find("iterations");
  if (kind == "run" && iterations != document.end() && iterations->is_array()) {
    for (const auto& iteration : *iterations) {
      if (iteration.value("warmup", false) || iteration.value("exit_code", 1) != 0) continue;
      add_figures(iteration, side);
    }
  } else if (kind == "bench-openai") {
    if (const json* chosen = chosen_level(document, level)) add_figures(*chosen, side);
  } else if (kind == "monitor") {
    const auto power_index = static_cast<std::size_t>(Metric::avg_power_w);
    if (auto power = number_at(document, "avg_power_w")) side.values[power_index].push_back(*power);
  }
}

namespace {

using Labels = std::map<std::string, std::string>;

Labels labels_of(const ResultDocument& result) {
  Labels labels;
  const json& given = result.document.value("labels", json::object());
  if (!given.is_object()) return labels;
  for (const auto& [key, value] : given.items()) {
    if (value.is_string()) labels[key] = value.get<std::string>();
  }
  return labels;
}

// The labels every document of the side shares.
Labels common_labels(const std::vector<ResultDocument>& documents) {
  if (documents.empty()) return {};
  Labels common = labels_of(documents.front());
  for (const auto& result : documents) {
    const Labels labels = labels_of(result);
    for (auto it = common.begin(); it != common.end();) {
      const auto found = labels.find(it->first);
      it = (found == labels.end() || found->second != it->second) ? common.erase(it) : std::next(it);
    }
  }
  return common;
}

std::vector<std::string> side_names(const std::vector<std::vector<ResultDocument>>& sides) {
  std::vector<Labels> labels;
  std::set<std::string> keys;
  for (const auto& side : sides) {
    labels.push_back(common_labels(side));
    for (const auto& [key, value] : labels.back()) keys.insert(key);
  }
  // A key names the sides when not every side has the same value for it.
  std::set<std::string> differing;
  for (const auto& key : keys) {
    std::set<std::string> values;
    for (const auto& side : labels) {
      const auto found = side.find(key);
      values.insert(found == side.end() ? std::string("\x01(none)") : found->second);
    }
    if (values.size() > 1) differing.insert(key);
  }
  std::vector<std::string> names;
  for (std::size_t s = 0; s < sides.size(); ++s) {
    std::string name;
    for (const auto& key : differing) {
      const auto found = labels[s].find(key);
      if (found != labels[s].end()) name += (name.empty() ? "" : " ") + key + "=" + found->second;
    }
    if (name.empty() && !sides[s].empty()) name = sides[s].front().reference;
    names.push_back(name);
  }
  return names;
}

}  // namespace

const char* metric_key(Metric metric) {
  switch (metric) {
    case Metric::j_per_output_token: return "j_per_output_token";
    case Metric::tokens_per_j: return "tokens_per_j";
    case Metric::output_tokens_per_s: return "output_tokens_per_s";
    case Metric::avg_power_w: return "avg_power_w";
  }
  return "";
}

const char* metric_unit(Metric metric) {
  switch (metric) {
    case Metric::j_per_output_token: return "J/token";
    case Metric::tokens_per_j: return "tokens/J";
    case Metric::output_tokens_per_s: return "tokens/s";
    case Metric::avg_power_w: return "W";
  }
  return "";
}

bool lower_is_better(Metric metric) {
  return metric == Metric::j_per_output_token || metric == Metric::avg_power_w;
}

std::vector<SideSamples> side_samples(const std::vector<std::vector<ResultDocument>>& sides,
                                      std::optional<double> level) {
  const auto names = side_names(sides);
  std::vector<SideSamples> out;
  for (std::size_t s = 0; s < sides.size(); ++s) {
    SideSamples side{names[s], {}, std::vector<std::vector<double>>(std::size(kAllMetrics))};
    for (const auto& result : sides[s]) {
      side.result_ids.push_back(result.id);
      add_document_samples(result.document, level, side);
    }
    out.push_back(std::move(side));
  }
  return out;
}

}  // namespace joulebench::models
