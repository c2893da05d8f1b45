#include "store/results_store.hpp"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <random>
#include <set>
#include <utility>

#include "results/json_fields.hpp"
#include "results/result_keys.hpp"
#include "store/idle_baselines.hpp"
#include "store/run_rows.hpp"
#include "store/schema.hpp"

namespace joulebench {
namespace {

using nlohmann::json;

// "20261125-062301-3f2a": sortable by time, unique enough for one user's runs, easy to type.
std::string new_run_id() {
  static thread_local std::mt19937 random(std::random_device{}());
  const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  return fmt::format("{:%Y%m%d-%H%M%S}-{:04x}", now, random() & 0xffffu);
}

std::string now_iso8601() {
  const auto now = std::chrono::floor<std::chrono::milliseconds>(std::chrono::system_clock::now());
  return fmt::format("{:%Y-%m-%dT%H:%M:%S}Z", now);
}

StoredRunSummary summary_from(const store::Statement& row) {
  StoredRunSummary out;
  out.id = row.text(0);
  out.kind = row.text(1);
  out.status = row.text(2);
  out.created_at = row.text(3);
  out.subject = row.text(4);
  out.j_per_output_token = row.number(5);
  out.tokens_per_j = row.number(6);
  out.energy_j = row.number(7);
  out.verdict = row.text(8);
  return out;
}

constexpr const char* kSummaryColumns =
    "id, kind, status, created_at, subject, j_per_output_token, tokens_per_j, energy_j, verdict";

}  // namespace

std::string default_results_db_path() {
  if (const char* path = std::getenv("JOULEBENCH_DB"); path != nullptr && *path != '\0')
    return path;
  // Beside the idle baselines: the same data directory.
  return (std::filesystem::path(default_idle_baseline_path()).parent_path() / "results.db")
      .string();
}

Expected<std::unique_ptr<ResultsStore>> ResultsStore::open(const std::string& path,
                                                           store::OpenMode mode) {
  std::error_code ignored;
  if (mode != store::OpenMode::create && !std::filesystem::exists(path, ignored)) {
    return Error{"no results database", path};
  }
  if (mode == store::OpenMode::create) {
    const auto directory = std::filesystem::path(path).parent_path();
    if (!directory.empty()) std::filesystem::create_directories(directory, ignored);
  }
  auto db = store::Database::open(path, mode);
  if (!db) return db.error();
  if (mode == store::OpenMode::read_only) {
    if (auto readable = store::check_readable(**db); !readable) return readable.error();
    return std::unique_ptr<ResultsStore>(new ResultsStore(std::move(*db)));
  }
  // Another application's file is refused before its journal mode is touched.
  if (auto ours = store::check_ownership(**db); !ours) return ours.error();
  if (auto wal = (*db)->use_wal(); !wal) return wal.error();
  if (auto migrated = store::migrate(**db); !migrated) return migrated.error();
  return std::unique_ptr<ResultsStore>(new ResultsStore(std::move(*db)));
}

Expected<std::string> ResultsStore::insert(const json& document, const std::string& trace_csv,
                                           const std::string& id) {
  const auto result = results::decode_result(document);
  if (!result) return Error{"not a joulebench result document: " + result.error().message};
  const store::Headline head = store::headline(*result);
  const std::string run_id = id.empty() ? unused_run_id() : id;
  auto statement = db_->prepare(
      "INSERT INTO runs (id, kind, status, created_at, host, tool_version, subject, document, "
      "j_per_output_token, tokens_per_j, energy_j, verdict) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, "
      "?8, ?9, ?10, ?11, ?12)");
  if (!statement) return statement.error();
  const std::string start_time = result->start_time;
  const std::string created = start_time.empty() ? now_iso8601() : start_time;
  statement->bind(1, run_id)
      .bind(2, head.kind)
      .bind(3, head.status)
      .bind(4, created)
      .bind(5, head.host);
  statement->bind(6, head.tool_version).bind(7, head.subject).bind(8, store::stored_text(document));
  statement->bind(9, head.j_per_output_token)
      .bind(10, head.tokens_per_j)
      .bind(11, head.energy_j)
      .bind(12, head.verdict);
  if (auto done = statement->run(); !done) return done.error();
  auto label = db_->prepare("INSERT INTO labels (run_id, key, value) VALUES (?1, ?2, ?3)");
  if (!label) return label.error();
  for (const auto& [key, value] : head.labels) {
    label->bind(1, run_id).bind(2, key).bind(3, value);
    if (auto done = label->run(); !done) return done.error();
    label->reset();
  }
  auto entry = db_->prepare(
      "INSERT INTO entries (run_id, position, what, load, j_per_output_token, tokens_per_j, "
      "output_tokens_per_s, "
      "avg_power_w) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
  if (!entry) return entry.error();
  std::int64_t position = 0;
  for (const auto& row : store::entries(*result)) {
    entry->bind(1, run_id)
        .bind(2, position++)
        .bind(3, row.what)
        .bind(4, row.load)
        .bind(5, row.j_per_output_token);
    entry->bind(6, row.tokens_per_j).bind(7, row.output_tokens_per_s).bind(8, row.avg_power_w);
    if (auto done = entry->run(); !done) return done.error();
    entry->reset();
  }
  if (!trace_csv.empty()) {
    auto trace = db_->prepare("INSERT INTO traces (run_id, csv) VALUES (?1, ?2)");
    if (!trace) return trace.error();
    trace->bind(1, run_id).bind(2, trace_csv);
    if (auto done = trace->run(); !done) return done.error();
  }
  return run_id;
}

Expected<std::string> ResultsStore::save(const json& document, const std::string& trace_csv,
                                         const std::string& id) {
  store::Transaction transaction(*db_);
  if (!transaction.begun()) return Error{transaction.begun().error().message, path()};
  auto run_id = insert(document, trace_csv, id);
  if (!run_id) return Error{run_id.error().message, path()};
  if (auto committed = transaction.commit(); !committed)
    return Error{committed.error().message, path()};
  return run_id;
}

bool ResultsStore::contains(const std::string& id) {
  auto statement = db_->prepare("SELECT 1 FROM runs WHERE id = ?1");
  if (!statement) return false;
  statement->bind(1, id);
  return statement->next_row();
}

std::string ResultsStore::unused_run_id() {
  std::string id = new_run_id();
  for (int attempt = 0; attempt < 64 && contains(id); ++attempt) id = new_run_id();
  return id;
}

Expected<bool> ResultsStore::remember_runs(const std::vector<json>& documents, RunsByText& known) {
  // Only runs that could be one of the documents: the same kind and, where the document has
  // one, the same start time (the (kind, created_at) index). One pass per import, not one per
  // document: an import of thousands of runs into thousands stays linear.
  std::set<std::pair<std::string, std::string>> keys;
  for (const auto& document : documents)
    keys.emplace(text_at(document, results::keys::kind),
                 text_at(document, results::keys::start_time));
  auto statement = db_->prepare(
      "SELECT id, document FROM runs WHERE kind = ?1 AND (?2 = '' OR created_at = ?2)");
  if (!statement) return statement.error();
  for (const auto& [kind, start_time] : keys) {
    statement->bind(1, kind).bind(2, start_time);
    while (true) {
      auto row = statement->step();
      if (!row) return row.error();
      if (!*row) break;
      known.emplace(std::hash<std::string>{}(statement->text(1)), statement->text(0));
    }
    statement->reset();
  }
  return true;
}

std::optional<std::string> ResultsStore::find_same_run(const std::string& stored_text,
                                                       const std::string& preferred_id,
                                                       const RunsByText& known) {
  auto statement = db_->prepare("SELECT document FROM runs WHERE id = ?1");
  if (!statement) return std::nullopt;
  std::optional<std::string> found;
  const auto [begin, end] = known.equal_range(std::hash<std::string>{}(stored_text));
  for (auto candidate = begin; candidate != end; ++candidate) {
    statement->bind(1, candidate->second);
    const bool same = statement->next_row() && statement->text(0) == stored_text;
    statement->reset();
    if (!same) continue;  // a hash collision
    if (candidate->second == preferred_id) return preferred_id;
    if (!found) found = candidate->second;
  }
  return found;
}

Expected<std::vector<ResultsStore::ImportedRun>> ResultsStore::import_runs(
    const std::vector<json>& documents) {
  store::Transaction transaction(*db_);
  if (!transaction.begun()) return Error{transaction.begun().error().message, path()};
  RunsByText known;
  if (auto remembered = remember_runs(documents, known); !remembered) {
    return Error{remembered.error().message, path()};
  }
  std::vector<ImportedRun> imported;
  for (const auto& document : documents) {
    const std::string where = "document " + std::to_string(imported.size() + 1) + ": ";
    if (auto checked = store::check_result_document(document); !checked) {
      return Error{where + checked.error().message, path()};
    }
    ImportedRun run;
    run.given_id = text_at(document, results::keys::run_id);
    const std::string text = store::stored_text(document);
    if (auto same = find_same_run(text, run.given_id, known)) {
      run.id = *same;
      run.already_stored = true;
      imported.push_back(std::move(run));
      continue;
    }
    // An exported document carries its id; keep it unless another run holds it.
    auto id = insert(document, "", contains(run.given_id) ? "" : run.given_id);
    if (!id) return Error{where + id.error().message, path()};
    known.emplace(std::hash<std::string>{}(text), *id);
    run.id = *id;
    imported.push_back(std::move(run));
  }
  if (auto committed = transaction.commit(); !committed)
    return Error{committed.error().message, path()};
  return imported;
}

Expected<std::vector<StoredRunSummary>> ResultsStore::list(const RunFilter& filter) {
  std::string sql =
      fmt::format("SELECT {} FROM runs WHERE (?1 = '' OR kind = ?1)", kSummaryColumns);
  for (std::size_t i = 0; i < filter.labels.size(); ++i) {
    sql += fmt::format(" AND id IN (SELECT run_id FROM labels WHERE key = ?{} AND value = ?{})",
                       2 + 2 * i, 3 + 2 * i);
  }
  sql += " ORDER BY created_at, id";
  if (filter.limit > 0) sql += " LIMIT " + std::to_string(filter.limit);
  auto statement = db_->prepare(sql);
  if (!statement) return statement.error();
  statement->bind(1, filter.kind);
  int index = 2;
  for (const auto& [key, value] : filter.labels) {
    statement->bind(index, key).bind(index + 1, value);
    index += 2;
  }
  std::vector<StoredRunSummary> runs;
  while (true) {
    auto row = statement->step();
    if (!row) return row.error();
    if (!*row) break;
    runs.push_back(summary_from(*statement));
  }
  auto labels = db_->prepare("SELECT key, value FROM labels WHERE run_id = ?1 ORDER BY key");
  if (!labels) return labels.error();
  for (auto& run : runs) {
    labels->bind(1, run.id);
    while (labels->next_row()) run.labels[labels->text(0)] = labels->text(1);
    labels->reset();
  }
  return runs;
}

Expected<std::string> ResultsStore::resolve_id(const std::string& id_or_prefix) {
  // A range on the primary key (ids are ASCII, so every id starting with the prefix sorts
  // between it and prefix + 0xFF): an index lookup, not a scan of every run.
  auto statement =
      db_->prepare("SELECT id FROM runs WHERE id >= ?1 AND id < ?2 ORDER BY id LIMIT 3");
  if (!statement) return statement.error();
  statement->bind(1, id_or_prefix).bind(2, id_or_prefix + '\xff');
  std::vector<std::string> ids;
  while (statement->next_row()) ids.push_back(statement->text(0));
  for (const auto& id : ids) {
    if (id == id_or_prefix) return id;
  }
  if (ids.empty())
    return Error{"unknown run '" + id_or_prefix + "' (not a file, not a run id in " + path() + ")"};
  if (ids.size() > 1)
    return Error{"run id prefix '" + id_or_prefix + "' is ambiguous (" + ids[0] + ", " + ids[1] +
                 ", ...)"};
  return ids.front();
}

Expected<StoredRun> ResultsStore::get(const std::string& id_or_prefix,
                                      const DocumentFilter* filter) {
  auto id = resolve_id(id_or_prefix);
  if (!id) return id.error();
  return get_exact(*id, filter);
}

Expected<StoredRun> ResultsStore::get_exact(const std::string& id, const DocumentFilter* filter) {
  auto statement =
      db_->prepare(fmt::format("SELECT {}, document, (SELECT csv FROM traces WHERE run_id = "
                               "runs.id) FROM runs WHERE id = ?1",
                               kSummaryColumns));
  if (!statement) return statement.error();
  statement->bind(1, id);
  auto row = statement->step();
  if (!row) return row.error();
  if (!*row) return Error{"unknown run '" + id + "'"};
  StoredRun run{summary_from(*statement), parse_document(statement->text(9), filter),
                statement->text(10)};
  // A stored document was decoded when it was kept; one from an older store that no longer
  // decodes keeps its columns, without labels.
  if (auto result = results::decode_result(run.document)) run.summary.labels = result->labels;
  return run;
}

Expected<bool> ResultsStore::remove(const std::string& id) {
  auto resolved = resolve_id(id);
  if (!resolved) return resolved.error();
  auto statement = db_->prepare("DELETE FROM runs WHERE id = ?1");
  if (!statement) return statement.error();
  statement->bind(1, *resolved);
  return statement->run();
}

Expected<bool> ResultsStore::save_calibration(const std::string& device_uuid,
                                              const std::string& meter,
                                              const std::string& created_at,
                                              const std::string& document) {
  auto statement = db_->prepare(
      "INSERT OR REPLACE INTO calibrations (device_uuid, meter, created_at, document) "
      "VALUES (?1, ?2, ?3, ?4)");
  if (!statement) return statement.error();
  statement->bind(1, device_uuid).bind(2, meter).bind(3, created_at).bind(4, document);
  return statement->run();
}

Expected<std::vector<std::string>> ResultsStore::calibration_documents() {
  auto statement = db_->prepare("SELECT document FROM calibrations ORDER BY created_at");
  if (!statement) return statement.error();
  std::vector<std::string> out;
  for (;;) {
    auto row = statement->step();
    if (!row) return row.error();
    if (!*row) break;
    out.push_back(statement->text(0));
  }
  return out;
}

Expected<std::map<std::string, std::string>> parse_label_filter(const std::string& text) {
  std::map<std::string, std::string> labels;
  std::size_t start = 0;
  while (start <= text.size()) {
    const auto comma = text.find(',', start);
    const std::string pair =
        text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    const auto equals = pair.find('=');
    if (equals == std::string::npos || equals == 0)
      return Error{"label filter '" + text + "': expected key=value[,key=value]"};
    labels[pair.substr(0, equals)] = pair.substr(equals + 1);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return labels;
}

}  // namespace joulebench
