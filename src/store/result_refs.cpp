#include "store/result_refs.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "store/results_store.hpp"

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

namespace {

ResultDocument from_store(StoredRun run, const std::string& reference) {
  return ResultDocument{run.summary.id, "store", reference, std::move(run.document), std::move(run.trace_csv)};
}

// A run id (or unique prefix) in the store, else a label filter matching one or more runs.
Expected<std::vector<ResultDocument>> resolve_in_store(ResultsStore& store, const std::string& reference) {
  auto run = store.get(reference);
  if (run) return std::vector<ResultDocument>{from_store(std::move(*run), reference)};
  if (reference.find('=') == std::string::npos) return run.error();
  auto labels = parse_label_filter(reference);
  if (!labels) return labels.error();
  auto runs = store.list(RunFilter{*labels, "", 0});
  if (!runs) return runs.error();
  if (runs->empty()) return Error{"label filter '" + reference + "' matches no stored run in " + store.path()};
  std::vector<ResultDocument> documents;
  for (const auto& summary : *runs) {
    auto stored = store.get(summary.id);
    if (!stored) return stored.error();
    documents.push_back(from_store(std::move(*stored), reference));
  }
  return documents;
}

}  // namespace

Expected<std::vector<ResultDocument>> resolve_result_refs(const std::vector<std::string>& references,
                                                          const ResolveOptions& options) {
  std::vector<ResultDocument> documents;
  std::unique_ptr<ResultsStore> store;  // opened on the first reference that is not a file
  const std::string db_path = options.db_path.empty() ? default_results_db_path() : options.db_path;
  for (const auto& reference : references) {
    std::error_code ignored;
    if (std::filesystem::is_regular_file(reference, ignored)) {
      auto document = load_result_file(reference);
      if (!document) return document.error();
      documents.push_back(std::move(*document));
      continue;
    }
    if (!store) {
      auto opened = ResultsStore::open(db_path, false);
      if (!opened) {
        return Error{"unknown run '" + reference + "' (not a file, and " + opened.error().what_line() + ")"};
      }
      store = std::move(*opened);
    }
    auto found = resolve_in_store(*store, reference);
    if (!found) return found.error();
    for (auto& document : *found) documents.push_back(std::move(document));
  }
  return documents;
}

}  // namespace joulebench
