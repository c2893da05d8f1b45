#include "store/sqlite_db.hpp"

#include <filesystem>
#include <utility>

namespace joulebench::store {

Statement& Statement::bind(int index, std::string_view text) {
  sqlite3_bind_text(statement_, index, text.data(), static_cast<int>(text.size()),
                    SQLITE_TRANSIENT);
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
  return {reinterpret_cast<const char*>(bytes),
          static_cast<std::size_t>(sqlite3_column_bytes(statement_, column))};
}

std::optional<double> Statement::number(int column) const {
  if (sqlite3_column_type(statement_, column) == SQLITE_NULL) return std::nullopt;
  return sqlite3_column_double(statement_, column);
}

std::int64_t Statement::integer(int column) const {
  return sqlite3_column_int64(statement_, column);
}

namespace {

// "file:" URI of a path, for the query parameters only URIs can carry.
std::string file_uri(const std::string& path) {
  std::error_code ignored;
  std::string uri = "file:";
  for (const char c : std::filesystem::absolute(path, ignored).lexically_normal().string()) {
    if (c == '%' || c == '?' || c == '#') {
      static constexpr char kHex[] = "0123456789ABCDEF";
      uri += '%';
      uri += kHex[(static_cast<unsigned char>(c) >> 4) & 0xF];
      uri += kHex[static_cast<unsigned char>(c) & 0xF];
    } else {
      uri += c;
    }
  }
  return uri;
}

// A reader of a WAL database needs its -shm index, which it creates when there is none; in a
// directory it may not write (a read-only mount, another user's files) it cannot, and SQLite
// says "attempt to write a readonly database". With no -wal file (or an empty one) every
// committed row is in the database file itself, so reading it as immutable is exact.
bool can_read_as_immutable(const std::string& path, int rc) {
  if ((rc & 0xFF) != SQLITE_READONLY && (rc & 0xFF) != SQLITE_CANTOPEN) return false;
  std::error_code error;
  const auto wal_size = std::filesystem::file_size(path + "-wal", error);
  return error || wal_size == 0;
}

}  // namespace

Expected<std::unique_ptr<Database>> Database::open(const std::string& path, OpenMode mode) {
  int flags = SQLITE_OPEN_NOMUTEX;
  if (mode == OpenMode::read_only) {
    flags |= SQLITE_OPEN_READONLY;
  } else {
    flags |= SQLITE_OPEN_READWRITE | (mode == OpenMode::create ? SQLITE_OPEN_CREATE : 0);
  }
  auto db = open_with(path, path, flags);
  if (!db) return db;
  // The first real read: a file that is not SQLite fails here, before anything is written.
  auto checked = (*db)->exec("SELECT count(*) FROM sqlite_master");
  if (!checked && mode == OpenMode::read_only && can_read_as_immutable(path, (*db)->last_code())) {
    db = open_with(path, file_uri(path) + "?immutable=1", flags | SQLITE_OPEN_URI);
    if (!db) return db;
    checked = (*db)->exec("SELECT count(*) FROM sqlite_master");
  }
  if (!checked)
    return Error{"not a joulebench results database (" + checked.error().message + ")", path};
  // A connection setting, not written to the file.
  if (auto keys = (*db)->exec("PRAGMA foreign_keys=ON"); !keys)
    return Error{keys.error().message, path};
  return db;
}

Expected<std::unique_ptr<Database>> Database::open_with(const std::string& path,
                                                        const std::string& uri, int flags) {
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(uri.c_str(), &raw, flags, nullptr);
  std::unique_ptr<Database> db(new Database(raw, path));
  if (rc != SQLITE_OK)
    return Error{std::string("cannot open the results database: ") + sqlite3_errstr(rc), path};
  sqlite3_busy_timeout(raw, 5000);
  return db;
}

Expected<bool> Database::use_wal() {
  if (auto wal = exec("PRAGMA journal_mode=WAL"); !wal) return Error{wal.error().message, path_};
  return true;
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

int Database::last_code() const { return sqlite3_extended_errcode(db_); }

Transaction::Transaction(Database& db) : db_(db), begun_(db.exec("BEGIN IMMEDIATE")) {}

Transaction::~Transaction() {
  if (begun_ && !done_) db_.exec("ROLLBACK");
}

Expected<bool> Transaction::commit() {
  done_ = true;
  return db_.exec("COMMIT");
}

}  // namespace joulebench::store
