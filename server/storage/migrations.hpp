#pragma once
// Versioned, forward-only schema migrations. The schema version lives in PRAGMA user_version;
// each migration runs in its own transaction and bumps it.

#include "storage/sqlite_db.hpp"

namespace vraagbaak::storage {

// The schema version this build knows.
int latest_schema_version();

// Brings the database up to `target` (tests stop at an older version to build an old database).
// Throws StorageError when the database is newer than this build (it refuses to guess) or when a
// migration fails; a failed migration leaves the database at the version before it.
void migrate(sqlite::Database& db, int target = latest_schema_version());

}  // namespace vraagbaak::storage
