// Turns what a user names on the command line (`compare A B`, `report RUN...`, `cost RUN`)
// into result documents: the JSON that `monitor`, `run` and `bench openai` write (see
// docs/trace-format.md and src/report/). Each reference is one of
//   - a path to a result file written with --output;
//   - a run id in the results store (see results_store.hpp once it exists);
//   - a label filter `key=value` matching stored runs (several runs).
// Thread-safety: plain functions.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "joulebench/error.hpp"
#include "results/document_filter.hpp"
#include "results/result_document.hpp"

namespace joulebench {

struct ResolveOptions {
  std::string db_path;  // the results store; empty = default path
  // Only these parts of each document are parsed (must keep "schema_version" and "kind");
  // nullptr: whole documents.
  const DocumentFilter* filter = nullptr;
};

// Loads one result file; a file that is not a joulebench result document is an error naming it.
Expected<ResultDocument> load_result_file(const std::string& path,
                                          const DocumentFilter* filter = nullptr);

// Each document is handed to the visitor as soon as it is read (and dropped after), so a
// reader of thousands of runs holds one document at a time; an error from the visitor stops.
using ResultVisitor = std::function<Expected<bool>(ResultDocument&&)>;
Expected<bool> visit_result_refs(const std::vector<std::string>& references,
                                 const ResolveOptions& options, const ResultVisitor& visit);

// Refuses documents of which two are the same run: the same run id given twice (directly or
// through label filters), or a result file and the stored run it was stored as (a file of
// `runs export` included). Two documents are the same run when their text is the same, run_id
// aside: no two measurements write the same document. For pooling commands (compare).
Expected<bool> check_distinct_runs(const std::vector<const ResultDocument*>& documents);

// Resolves every reference in order; the first that names nothing is an error naming it.
Expected<std::vector<ResultDocument>> resolve_result_refs(
    const std::vector<std::string>& references, const ResolveOptions& options);

}  // namespace joulebench
