// The results database's schema, as numbered migrations (PRAGMA user_version), and the marker
// that says a file is joulebench's (PRAGMA application_id). A database of an older version is
// migrated by a writer in one exclusive transaction; a newer one, or another application's
// database, is refused untouched. Readers never migrate.
#pragma once

#include <string>
#include <vector>

#include "store/sqlite_db.hpp"

namespace joulebench::store {

// PRAGMA application_id of a joulebench results database: "JBRS".
inline constexpr int kApplicationId = 0x4a425253;

// migrations()[i] takes a database from version i to i + 1.
const std::vector<std::string>& migrations();
int current_schema_version();

// Refuses, without writing anything, a database that is neither empty nor joulebench's: one
// with tables and without joulebench's marker. A database written before the marker existed
// (user_version >= 1, a `runs` table, no application id) is joulebench's.
Expected<bool> check_ownership(Database& db);

// For writers: brings the database to current_schema_version() and marks it as joulebench's,
// all in one BEGIN IMMEDIATE transaction, so that processes setting up the same new file at
// once wait for each other (busy timeout) instead of creating the tables twice. Errors name
// the file.
Expected<bool> migrate(Database& db);

// For readers: the database is joulebench's and at current_schema_version(); one that needs
// a migration is an error that says so. Writes nothing.
Expected<bool> check_readable(Database& db);

}  // namespace joulebench::store
