#include "store/schema.hpp"

#include <cstdint>

namespace joulebench::store {

const std::vector<std::string>& migrations() {
  static const std::vector<std::string> steps = {
      // 1: runs with their whole result document, and labels to filter them by.
      R"sql(
        CREATE TABLE runs (
          id TEXT PRIMARY KEY,
          kind TEXT NOT NULL,
          status TEXT NOT NULL CHECK (status IN ('complete', 'interrupted', 'failed')),
          created_at TEXT NOT NULL,
          host TEXT,
          tool_version TEXT,
          subject TEXT,
          document TEXT NOT NULL
        );
        CREATE INDEX runs_by_time ON runs (created_at);
        CREATE INDEX runs_by_kind ON runs (kind, created_at);
        CREATE TABLE labels (
          run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
          key TEXT NOT NULL,
          value TEXT NOT NULL,
          PRIMARY KEY (run_id, key)
        );
        CREATE INDEX labels_by_value ON labels (key, value);
      )sql",
      // 2: headline figures on the run, one row per level or iteration, and raw traces.
      R"sql(
        ALTER TABLE runs ADD COLUMN j_per_output_token REAL;
        ALTER TABLE runs ADD COLUMN tokens_per_j REAL;
        ALTER TABLE runs ADD COLUMN energy_j REAL;
        ALTER TABLE runs ADD COLUMN verdict TEXT;
        CREATE TABLE entries (
          run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
          position INTEGER NOT NULL,
          what TEXT NOT NULL,
          load REAL,
          j_per_output_token REAL,
          tokens_per_j REAL,
          output_tokens_per_s REAL,
          avg_power_w REAL,
          PRIMARY KEY (run_id, position)
        );
        CREATE TABLE traces (
          run_id TEXT PRIMARY KEY REFERENCES runs (id) ON DELETE CASCADE,
          csv TEXT NOT NULL
        );
      )sql",
      // 3: each GPU's default reference-meter calibration (joulebench calibrate --store),
      // keyed by its UUID; `document` is one entry of a calibration file.
      R"sql(
        CREATE TABLE calibrations (
          device_uuid TEXT PRIMARY KEY,
          meter TEXT NOT NULL,
          created_at TEXT NOT NULL,
          document TEXT NOT NULL
        );
      )sql",
  };
  return steps;
}

int current_schema_version() { return static_cast<int>(migrations().size()); }

namespace {

// What the file says about itself.
struct FileState {
  int user_version = 0;
  int application_id = 0;
  std::vector<std::string> tables;  // sqlite_master's tables, sqlite_* excluded
};

Expected<std::int64_t> pragma(Database& db, const std::string& name) {
  auto statement = db.prepare("PRAGMA " + name);
  if (!statement) return statement.error();
  auto row = statement->step();
  if (!row) return row.error();
  return statement->integer(0);
}

Expected<FileState> file_state(Database& db) {
  FileState state;
  auto version = pragma(db, "user_version");
  if (!version) return Error{version.error().message, db.path()};
  auto application = pragma(db, "application_id");
  if (!application) return Error{application.error().message, db.path()};
  state.user_version = static_cast<int>(*version);
  state.application_id = static_cast<int>(*application);
  auto tables = db.prepare(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE "
      "'\\' "
      "ORDER BY name");
  if (!tables) return Error{tables.error().message, db.path()};
  while (true) {
    auto row = tables->step();
    if (!row) return Error{row.error().message, db.path()};
    if (!*row) break;
    state.tables.push_back(tables->text(0));
  }
  return state;
}

// file_state outside a write transaction, as one read transaction: the pragmas and the table
// list then come from the same version of the file. Read one by one, they could straddle
// another process's migration (user_version 0 and no marker, then its tables) and make a
// joulebench file being set up look like another application's.
Expected<FileState> snapshot_state(Database& db) {
  if (auto begun = db.exec("BEGIN"); !begun) return Error{begun.error().message, db.path()};
  auto state = file_state(db);
  (void)db.exec(state ? "COMMIT" : "ROLLBACK");
  return state;
}

bool has_table(const FileState& state, const std::string& name) {
  for (const auto& table : state.tables) {
    if (table == name) return true;
  }
  return false;
}

Expected<bool> check_ownership(const FileState& state, const std::string& path) {
  if (state.application_id == kApplicationId) return true;
  if (state.application_id == 0 && state.tables.empty()) return true;  // new or empty
  const bool before_the_marker =
      state.application_id == 0 && state.user_version >= 1 && has_table(state, "runs");
  if (before_the_marker) return true;
  std::string tables;
  for (std::size_t i = 0; i < state.tables.size() && i < 3; ++i)
    tables += (i == 0 ? "" : ", ") + state.tables[i];
  if (state.tables.size() > 3) tables += ", ...";
  return Error{"not a joulebench results database (another application's SQLite file: tables " +
                   tables + "); not touched",
               path};
}

Expected<bool> check_version(const FileState& state, const std::string& path) {
  if (state.user_version > current_schema_version()) {
    return Error{"written by a newer joulebench (schema " + std::to_string(state.user_version) +
                     ", this one knows " + std::to_string(current_schema_version()) +
                     "); not touched",
                 path};
  }
  return true;
}

bool up_to_date(const FileState& state) {
  return state.user_version == current_schema_version() && state.application_id == kApplicationId;
}

}  // namespace

Expected<bool> check_ownership(Database& db) {
  auto state = snapshot_state(db);
  if (!state) return state.error();
  return check_ownership(*state, db.path());
}

Expected<bool> migrate(Database& db) {
  auto before = snapshot_state(db);
  if (!before) return before.error();
  if (auto ours = check_ownership(*before, db.path()); !ours) return ours;
  if (auto version = check_version(*before, db.path()); !version) return version;
  if (up_to_date(*before)) return true;  // the common case takes no write lock
  Transaction transaction(db);
  if (!transaction.begun()) return Error{transaction.begun().error().message, db.path()};
  // Read again under the lock: another process may have set the file up in the meantime.
  auto state = file_state(db);
  if (!state) return state.error();
  if (auto ours = check_ownership(*state, db.path()); !ours) return ours;
  if (auto version = check_version(*state, db.path()); !version) return version;
  for (int step = state->user_version; step < current_schema_version(); ++step) {
    if (auto applied = db.exec(migrations()[static_cast<std::size_t>(step)]); !applied) {
      return Error{
          "migration to schema " + std::to_string(step + 1) + ": " + applied.error().message,
          db.path()};
    }
  }
  const std::string mark = "PRAGMA user_version = " + std::to_string(current_schema_version()) +
                           "; PRAGMA application_id = " + std::to_string(kApplicationId);
  if (auto marked = db.exec(mark); !marked) return Error{marked.error().message, db.path()};
  if (auto committed = transaction.commit(); !committed)
    return Error{committed.error().message, db.path()};
  return true;
}

Expected<bool> check_readable(Database& db) {
  auto state = snapshot_state(db);
  if (!state) return state.error();
  if (auto ours = check_ownership(*state, db.path()); !ours) return ours;
  if (auto version = check_version(*state, db.path()); !version) return version;
  if (state->tables.empty())
    return Error{"holds no joulebench results yet (an empty database)", db.path()};
  if (state->user_version < current_schema_version()) {
    return Error{"schema " + std::to_string(state->user_version) +
                     " of an older joulebench (this one reads " +
                     std::to_string(current_schema_version()) +
                     "); reading commands do not upgrade a database: a command that stores results "
                     "(monitor, run, bench openai, runs import) does",
                 db.path()};
  }
  return true;
}

}  // namespace joulebench::store
