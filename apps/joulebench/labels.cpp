#include "labels.hpp"

namespace joulebench::cli {

Expected<std::map<std::string, std::string>> parse_labels(const std::vector<std::string>& entries) {
  std::map<std::string, std::string> labels;
  for (const auto& entry : entries) {
    const auto equals = entry.find('=');
    if (equals == std::string::npos || equals == 0) {
      return Error{"--label: '" + entry + "' is not KEY=VALUE"};
    }
    const std::string key = entry.substr(0, equals);
    if (labels.count(key) != 0) return Error{"--label: '" + key + "' given twice"};
    labels[key] = entry.substr(equals + 1);
  }
  return labels;
}

}  // namespace joulebench::cli
