#include "store/schema.hpp"

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
  };
  return steps;
}

int current_schema_version() { return static_cast<int>(migrations().size()); }

namespace {

Expected<int> user_version(Database& db) {
  auto statement = db.prepare("PRAGMA user_version");
  if (!statement) return statement.error();
  auto row = statement->step();
  if (!row) return row.error();
  return static_cast<int>(statement->integer(0));
}

}  // namespace

Expected<bool> migrate(Database& db) {
  auto version = user_version(db);
  if (!version) return Error{version.error().message, db.path()};
  if (*version > current_schema_version()) {
    return Error{"written by a newer joulebench (schema " + std::to_string(*version) + ", this one knows " +
                     std::to_string(current_schema_version()) + "); not touched",
                 db.path()};
  }
  for (int step = *version; step < current_schema_version(); ++step) {
    Transaction transaction(db);
    if (!transaction.begun()) return Error{transaction.begun().error().message, db.path()};
    if (auto applied = db.exec(migrations()[static_cast<std::size_t>(step)]); !applied) {
      return Error{"migration to schema " + std::to_string(step + 1) + ": " + applied.error().message, db.path()};
    }
    if (auto set = db.exec("PRAGMA user_version = " + std::to_string(step + 1)); !set) {
      return Error{set.error().message, db.path()};
    }
    if (auto committed = transaction.commit(); !committed) return Error{committed.error().message, db.path()};
  }
  return true;
}

}  // namespace joulebench::store
