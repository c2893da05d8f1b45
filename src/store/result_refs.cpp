#include "store/result_refs.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>

namespace joulebench {

Expected<ResultDocument> load_result_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Error{"cannot read result file", path};
  std::stringstream text;
  text << in.rdbuf();
  nlohmann::json document = nlohmann::json::parse(text.str(), nullptr, false);
  if (document.is_discarded() || !document.is_object()) {
    return Error{"not a JSON object (expected a result written by joulebench --output)", path};
  }
  if (!document.contains("schema_version") || !document.contains("kind")) {
    return Error{"not a joulebench result document (no schema_version or kind)", path};
  }
  return ResultDocument{path, "file", path, std::move(document)};
}

Expected<std::vector<ResultDocument>> resolve_result_refs(const std::vector<std::string>& references,
                                                          const ResolveOptions&) {
  std::vector<ResultDocument> documents;
  for (const auto& reference : references) {
    std::error_code ignored;
    if (!std::filesystem::is_regular_file(reference, ignored)) {
      return Error{"'" + reference + "' is not a result file (run ids and label filters need the results store)"};
    }
    auto document = load_result_file(reference);
    if (!document) return document.error();
    documents.push_back(std::move(*document));
  }
  return documents;
}

}  // namespace joulebench
