// A small RAII layer over the SQLite C API: one connection, prepared statements with typed
// binds and columns, errors as values. Only what the results store needs.
// Thread-safety: one Database per thread (SQLite's default serialized mode is not relied on).
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "joulebench/error.hpp"

namespace joulebench::store {

class Statement {
 public:
  Statement(sqlite3* db, sqlite3_stmt* statement) : db_(db), statement_(statement) {}
  Statement(Statement&& other) noexcept : db_(other.db_), statement_(other.statement_) {
    other.statement_ = nullptr;
  }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement() { sqlite3_finalize(statement_); }

  // 1-based parameter index, as in SQL's ?1.
  Statement& bind(int index, std::string_view text);
  Statement& bind(int index, std::optional<double> value);
  Statement& bind(int index, std::int64_t value);

  // true: a row is ready; false: done. An error aborts with the database's message.
  Expected<bool> step();
  // step() for loops over rows of a read that already succeeded once: an error ends the rows.
  bool next_row() {
    auto row = step();
    return row && *row;
  }
  // Runs to completion (for statements without rows).
  Expected<bool> run();
  void reset();

  std::string text(int column) const;
  std::optional<double> number(int column) const;
  std::int64_t integer(int column) const;

 private:
  sqlite3* db_;
  sqlite3_stmt* statement_;
};

// How a database file is opened. `read_only` never writes to the file (no journal mode
// change, no migration): what reading commands use, so that a database they may not write
// (a read-only file, directory or mount) can still be read.
enum class OpenMode { read_only, read_write, create };

class Database {
 public:
  // Opens the file (creating it with OpenMode::create) with foreign keys and a 5 s busy
  // timeout; a file that is not SQLite is an error. Writes nothing: the journal mode is the
  // caller's choice (use_wal()), once it knows the file is its own.
  static Expected<std::unique_ptr<Database>> open(const std::string& path, OpenMode mode);
  // Switches the file to WAL, so that readers never wait for a writer.
  Expected<bool> use_wal();
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  Expected<bool> exec(const std::string& sql);
  Expected<Statement> prepare(const std::string& sql);
  const std::string& path() const { return path_; }
  std::string last_error() const;
  int last_code() const;  // sqlite3_extended_errcode

 private:
  static Expected<std::unique_ptr<Database>> open_with(const std::string& path,
                                                       const std::string& uri, int flags);
  Database(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  sqlite3* db_;
  std::string path_;
};

// Begins a transaction and rolls it back unless commit() was called.
class Transaction {
 public:
  explicit Transaction(Database& db);
  ~Transaction();
  Expected<bool> begun() const { return begun_; }
  Expected<bool> commit();

 private:
  Database& db_;
  Expected<bool> begun_;
  bool done_ = false;
};

}  // namespace joulebench::store
