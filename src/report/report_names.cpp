#include "report/report_names.hpp"

#include <algorithm>
#include <set>

namespace joulebench::report {
namespace {

bool is_load_key(const std::string& key) {
  return key == "concurrency" || key == "batch" || key == "rate";
}

std::vector<std::string> differing_keys(const std::vector<ReportConfig>& configs) {
  std::set<std::string> keys;
  for (const auto& config : configs) {
    for (const auto& [key, value] : config.labels) keys.insert(key);
  }
  std::vector<std::string> differing;
  for (const auto& key : keys) {
    std::set<std::string> values;
    for (const auto& config : configs) {
      const auto found = config.labels.find(key);
      // A missing label counts as its own value, distinct from every text.
      values.insert(found == config.labels.end() ? std::string("\x01") : found->second);
    }
    if (values.size() > 1) differing.push_back(key);
  }
  // The load goes last: it is the x of the J/token-vs-load chart, the rest name its series.
  std::stable_partition(differing.begin(), differing.end(),
                        [](const auto& key) { return !is_load_key(key); });
  return differing;
}

}  // namespace

void name_configs(Report& report) {
  report.label_keys = differing_keys(report.configs);
  for (auto& config : report.configs) {
    std::string name;
    for (const auto& key : report.label_keys) {
      const auto found = config.labels.find(key);
      if (found != config.labels.end())
        name += (name.empty() ? "" : " ") + key + "=" + found->second;
    }
    if (name.empty()) {
      for (const auto& [key, value] : config.labels)
        name += (name.empty() ? "" : " ") + key + "=" + value;
    }
    if (name.empty() && !config.result_ids.empty()) name = config.result_ids.front();
    config.name = name;
    config.samples.name = name;
  }
}

}  // namespace joulebench::report
