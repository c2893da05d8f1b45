#include "store/sqlite_db.hpp"

#include <utility>

namespace joulebench::store {

Statement& Statement::bind(int index, std::string_view text) {
  sqlite3_bind_text(statement_, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
  return *this;
}

Statement& Statement::bind(int index, std::optional<double> value) {
  if (value) {
    sqlite3_bind_double(statement_, index, *value);
  } else {
    sqlite3_bind_null(statement_, index);
  }
  return *this;
}

Statement& Statement::bind(int index, std::int64_t value) {
  sqlite3_bind_int64(statement_, index, value);
  return *this;
}

Expected<bool> Statement::step() {
  const int rc = sqlite3_step(statement_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return Error{std::string("database: ") + sqlite3_errmsg(db_)};
}

Expected<bool> Statement::run() {
  while (true) {
    auto more = step();
    if (!more) return more;
    if (!*more) return true;
  }
}

void Statement::reset() {
  sqlite3_reset(statement_);
  sqlite3_clear_bindings(statement_);
}

std::string Statement::text(int column) const {
  const auto* bytes = sqlite3_column_text(statement_, column);
  if (bytes == nullptr) return {};
  return {reinterpret_cast<const char*>(bytes), static_cast<std::size_t>(sqlite3_column_bytes(statement_, column))};
}

std::optional<double> Statement::number(int column) const {
  if (sqlite3_column_type(statement_, column) == SQLITE_NULL) return std::nullopt;
  return sqlite3_column_double(statement_, column);
}

std::int64_t Statement::integer(int column) const { return sqlite3_column_int64(statement_, column); }

Expected<std::unique_ptr<Database>> Database::open(const std::string& path, bool create) {
  sqlite3* raw = nullptr;
  const int flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0) | SQLITE_OPEN_NOMUTEX;
  const int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  std::unique_ptr<Database> db(new Database(raw, path));
  if (rc != SQLITE_OK) return Error{std::string("cannot open the results database: ") + sqlite3_errstr(rc), path};
  sqlite3_busy_timeout(raw, 5000);
  // The first real read: a file that is not SQLite fails here, before anything is written.
  if (auto checked = db->exec("SELECT count(*) FROM sqlite_master"); !checked) {
    return Error{"not a joulebench results database (" + checked.error().message + ")", path};
  }
  if (auto wal = db->exec("PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON"); !wal) {
    return Error{wal.error().message, path};
  }
  return db;
}

Database::~Database() { sqlite3_close(db_); }

Expected<bool> Database::exec(const std::string& sql) {
  char* message = nullptr;
  if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
    std::string text = message != nullptr ? message : sqlite3_errmsg(db_);
    sqlite3_free(message);
    return Error{"database: " + text};
  }
  return true;
}

Expected<Statement> Database::prepare(const std::string& sql) {
  sqlite3_stmt* statement = nullptr;
  if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &statement, nullptr) != SQLITE_OK) {
    return Error{std::string("database: ") + sqlite3_errmsg(db_)};
  }
  return Statement(db_, statement);
}

std::string Database::last_error() const { return sqlite3_errmsg(db_); }

Transaction::Transaction(Database& db) : db_(db), begun_(db.exec("BEGIN IMMEDIATE")) {}

Transaction::~Transaction() {
  if (begun_ && !done_) db_.exec("ROLLBACK");
}

Expected<bool> Transaction::commit() {
  done_ = true;
  return db_.exec("COMMIT");
}

}  // namespace joulebench::store
