// The results store: every monitor, run and bench result with its labels, headline figures,
// per-level or per-iteration rows and, when recorded, its raw trace, in SQLite (WAL mode).
// Default file: $JOULEBENCH_DB, else $XDG_DATA_HOME/joulebench/results.db, else
// ~/.local/share/joulebench/results.db. Schema and migrations: schema.hpp.
// Thread-safety: one ResultsStore per thread; several processes may share the file.
#pragma once

#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "joulebench/error.hpp"
#include "results/document_filter.hpp"
#include "store/sqlite_db.hpp"

namespace joulebench {

std::string default_results_db_path();

struct StoredRunSummary {
  std::string id;
  std::string kind;
  std::string status;      // complete | interrupted | failed
  std::string created_at;  // ISO 8601 UTC
  std::string subject;     // the command, or model @ endpoint
  std::map<std::string, std::string> labels;
  std::optional<double> j_per_output_token;
  std::optional<double> tokens_per_j;
  std::optional<double> energy_j;
  std::string verdict;
};

struct StoredRun {
  StoredRunSummary summary;
  nlohmann::json document;
  std::string trace_csv;  // empty when no trace was stored
};

struct RunFilter {
  std::map<std::string, std::string> labels;  // all must match
  std::string kind;                           // empty = any
  std::size_t limit = 0;                      // 0 = no limit
};

class ResultsStore {
 public:
  // Opens the database. A file that is not a results database (not SQLite, or another
  // application's SQLite file), or one from a newer version, is an error and is left as it was.
  //   create:     a missing file becomes a new database; an older one is migrated (writers).
  //   read_write: as create, but a missing file is an error (runs rm).
  //   read_only:  a missing file is an error and nothing is ever written: no journal mode
  //               change, no migration (a database that needs one is an error saying so).
  static Expected<std::unique_ptr<ResultsStore>> open(
      const std::string& path, store::OpenMode mode = store::OpenMode::create);

  // Stores a result document (status from its interrupted_by, labels from its labels),
  // returning the new id. `id` keeps a given id (import) when it is free.
  Expected<std::string> save(const nlohmann::json& document, const std::string& trace_csv = "",
                             const std::string& id = "");

  struct ImportedRun {
    std::string id;               // its id in the store
    std::string given_id;         // the run_id the document carried; empty when none
    bool already_stored = false;  // the same run was stored already: nothing was written
  };
  // Documents of `runs export` (or single results) in one transaction, each checked first
  // (check_result_document). A run keeps its identity: it keeps its run_id when that is free,
  // and a document already stored (the same document, whatever its run_id) is skipped, so
  // importing an export twice changes nothing.
  Expected<std::vector<ImportedRun>> import_runs(const std::vector<nlohmann::json>& documents);

  Expected<std::vector<StoredRunSummary>> list(const RunFilter& filter);
  // A whole id or a unique prefix of one.
  // With a filter, only those parts of the document are parsed (see document_filter.hpp).
  Expected<StoredRun> get(const std::string& id_or_prefix, const DocumentFilter* filter = nullptr);
  // Exactly this id (as list() returns them): no prefix lookup.
  Expected<StoredRun> get_exact(const std::string& id, const DocumentFilter* filter = nullptr);
  Expected<bool> remove(const std::string& id);
  // A GPU's default calibration (replacing the one before): `document` is one entry of a
  // calibration file (calibration/calibration_file.hpp), which this layer keeps as text.
  Expected<bool> save_calibration(const std::string& device_uuid, const std::string& meter,
                                  const std::string& created_at, const std::string& document);
  // Every stored calibration's document, oldest first.
  Expected<std::vector<std::string>> calibration_documents();
  const std::string& path() const { return db_->path(); }

 private:
  explicit ResultsStore(std::unique_ptr<store::Database> db) : db_(std::move(db)) {}
  Expected<std::string> insert(const nlohmann::json& document, const std::string& trace_csv,
                               const std::string& id);
  // Exactly this id is stored (no prefix matching).
  bool contains(const std::string& id);
  // Stored runs by the hash of their stored text (store::stored_text), for import.
  using RunsByText = std::unordered_multimap<std::size_t, std::string>;
  Expected<bool> remember_runs(const std::vector<nlohmann::json>& documents, RunsByText& known);
  // The id of a stored run whose document is `stored_text` (preferring `preferred_id`).
  std::optional<std::string> find_same_run(const std::string& stored_text,
                                           const std::string& preferred_id,
                                           const RunsByText& known);
  // A fresh id not yet stored: ids of one second differ only in 16 random bits, so a batch
  // import of thousands of documents needs the retry.
  std::string unused_run_id();
  Expected<std::string> resolve_id(const std::string& id_or_prefix);
  std::unique_ptr<store::Database> db_;
};

// "key=value[,key=value...]" as given to --label filters; errors name the text.
Expected<std::map<std::string, std::string>> parse_label_filter(const std::string& text);

}  // namespace joulebench
