// The results database's schema, as numbered migrations (PRAGMA user_version). A database of
// an older version is migrated in one transaction per step; a newer one is refused untouched.
#pragma once

#include <string>
#include <vector>

#include "store/sqlite_db.hpp"

namespace joulebench::store {

// migrations()[i] takes a database from version i to i + 1.
const std::vector<std::string>& migrations();
int current_schema_version();

// Brings the database to current_schema_version(); errors name the file.
Expected<bool> migrate(Database& db);

}  // namespace joulebench::store
