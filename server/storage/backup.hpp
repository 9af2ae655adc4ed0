#pragma once
// Online backup and restore of a SQLite database with SQLite's backup API: a consistent copy
// while the server runs and writes keep flowing (WAL lets the copy read a snapshot), and a
// restore that checks the copy before it replaces anything.

#include <string>

namespace vraagbaak::storage {

// Copies the database at `from` to `to` (created or overwritten). Throws StorageError.
void backup_database(const std::string& from, const std::string& to);

// Checks `backup` (integrity_check, a schema this server knows) and copies it over `target`.
// Throws StorageError naming what is wrong; `target` is untouched then.
void restore_database(const std::string& backup, const std::string& target);

// The schema version (PRAGMA user_version) of a database file; throws when it is not one.
int schema_version_of(const std::string& path);

}  // namespace vraagbaak::storage
