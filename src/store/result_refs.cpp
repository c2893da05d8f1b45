#include "store/result_refs.hpp"

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "results/result_keys.hpp"
#include "store/results_store.hpp"
#include "store/run_rows.hpp"

namespace joulebench {

namespace {

// The trace a result file names ("trace": relative to the result file's folder, or absolute),
// when it is still there; empty otherwise (the report then says none was recorded).
std::string recorded_trace(const nlohmann::json& document, const std::string& result_path) {
  const auto found = document.find(results::keys::trace);
  if (found == document.end() || !found->is_string()) return "";
  std::filesystem::path trace = found->get<std::string>();
  if (trace.is_relative()) trace = std::filesystem::path(result_path).parent_path() / trace;
  std::ifstream in(trace);
  if (!in) return "";
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

Expected<ResultDocument> load_result_file(const std::string& path, const DocumentFilter* filter) {
  std::ifstream in(path);
  if (!in) return Error{"cannot read result file", path};
  std::stringstream text;
  text << in.rdbuf();
  nlohmann::json document = parse_document(text.str(), filter);
  if (document.is_discarded() || !document.is_object()) {
    return Error{"not a JSON object (expected a result written by joulebench --output)", path};
  }
  if (!document.contains(results::keys::schema_version) ||
      !document.contains(results::keys::kind)) {
    return Error{"not a joulebench result document (no schema_version or kind)", path};
  }
  std::string trace_csv = recorded_trace(document, path);
  return ResultDocument{path, "file", path, std::move(document), std::move(trace_csv)};
}

namespace {

ResultDocument from_store(StoredRun run, const std::string& reference) {
  return ResultDocument{run.summary.id, "store", reference, std::move(run.document),
                        std::move(run.trace_csv)};
}

// A run id (or unique prefix) in the store, else a label filter matching one or more runs.
Expected<bool> resolve_in_store(ResultsStore& store, const std::string& reference,
                                const DocumentFilter* filter, const ResultVisitor& visit) {
  auto run = store.get(reference, filter);
  if (run) return visit(from_store(std::move(*run), reference));
  if (reference.find('=') == std::string::npos) return run.error();
  auto labels = parse_label_filter(reference);
  if (!labels) return labels.error();
  auto runs = store.list(RunFilter{*labels, "", 0});
  if (!runs) return runs.error();
  if (runs->empty())
    return Error{"label filter '" + reference + "' matches no stored run in " + store.path()};
  for (const auto& summary : *runs) {
    auto stored = store.get_exact(summary.id, filter);
    if (!stored) return stored.error();
    if (auto visited = visit(from_store(std::move(*stored), reference)); !visited) return visited;
  }
  return true;
}

}  // namespace

Expected<bool> visit_result_refs(const std::vector<std::string>& references,
                                 const ResolveOptions& options, const ResultVisitor& visit) {
  std::unique_ptr<ResultsStore> store;  // opened on the first reference that is not a file
  const std::string db_path = options.db_path.empty() ? default_results_db_path() : options.db_path;
  for (const auto& reference : references) {
    std::error_code ignored;
    if (std::filesystem::is_regular_file(reference, ignored)) {
      auto document = load_result_file(reference, options.filter);
      if (!document) return document.error();
      if (auto visited = visit(std::move(*document)); !visited) return visited;
      continue;
    }
    if (!store) {
      auto opened = ResultsStore::open(db_path, store::OpenMode::read_only);
      if (!opened) {
        return Error{"unknown run '" + reference + "' (not a file, and " +
                     opened.error().what_line() + ")"};
      }
      store = std::move(*opened);
    }
    if (auto found = resolve_in_store(*store, reference, options.filter, visit); !found)
      return found;
  }
  return true;
}

Expected<bool> check_distinct_runs(const std::vector<const ResultDocument*>& documents) {
  std::map<std::string, const ResultDocument*> seen;  // stored text -> where it came from first
  for (const auto* document : documents) {
    auto [first, inserted] = seen.emplace(store::stored_text(document->document), document);
    if (inserted) continue;
    const auto named = [](const ResultDocument& d) {
      return d.reference == d.id ? "'" + d.id + "'" : "'" + d.reference + "' (" + d.id + ")";
    };
    return Error{"the same run is given twice, as " + named(*first->second) + " and as " +
                 named(*document) + "; counting its samples twice would invent data"};
  }
  return true;
}

Expected<std::vector<ResultDocument>> resolve_result_refs(
    const std::vector<std::string>& references, const ResolveOptions& options) {
  std::vector<ResultDocument> documents;
  auto visited =
      visit_result_refs(references, options, [&](ResultDocument&& document) -> Expected<bool> {
        documents.push_back(std::move(document));
        return true;
      });
  if (!visited) return visited.error();
  return documents;
}

}  // namespace joulebench
