#include "storage/backup.hpp"

#include <sqlite3.h>

#include <memory>

#include "storage/migrations.hpp"
#include "storage/store.hpp"

namespace vraagbaak::storage {

namespace {

struct Closer {
    void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
using Handle = std::unique_ptr<sqlite3, Closer>;

Handle open(const std::string& path, int flags) {
    sqlite3* db = nullptr;
    int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
    Handle handle(db);
    if (rc != SQLITE_OK)
        throw StorageError("cannot open '" + path + "': " + (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc)));
    sqlite3_busy_timeout(db, 5000);
    return handle;
}

std::string single_text(sqlite3* db, const char* sql) {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr) != SQLITE_OK)
        throw StorageError(std::string("not a database: ") + sqlite3_errmsg(db));
    std::string out;
    const int rc = sqlite3_step(stmt);
    if (rc == SQLITE_ROW) {
        const unsigned char* text = sqlite3_column_text(stmt, 0);
        out = text ? reinterpret_cast<const char*>(text) : "";
    }
    sqlite3_finalize(stmt);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) throw StorageError(std::string("not a database: ") + sqlite3_errstr(rc));
    return out;
}

int number(const std::string& text) {
    if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos)
        throw StorageError("not a database: no schema version");
    return std::stoi(text);
}

void copy(sqlite3* from, sqlite3* to, const std::string& what) {
    sqlite3_backup* backup = sqlite3_backup_init(to, "main", from, "main");
    if (!backup) throw StorageError(what + ": " + sqlite3_errmsg(to));
    // All pages in one step: the copy is one consistent snapshot of the source.
    int rc = sqlite3_backup_step(backup, -1);
    sqlite3_backup_finish(backup);
    if (rc != SQLITE_DONE) throw StorageError(what + ": " + sqlite3_errstr(rc));
}

}  // namespace

int schema_version_of(const std::string& path) {
    auto db = open(path, SQLITE_OPEN_READONLY);
    return number(single_text(db.get(), "PRAGMA user_version"));
}

void backup_database(const std::string& from, const std::string& to) {
    auto source = open(from, SQLITE_OPEN_READONLY);
    auto target = open(to, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    copy(source.get(), target.get(), "backup to '" + to + "'");
}

void restore_database(const std::string& backup, const std::string& target) {
    {
        auto copy_db = open(backup, SQLITE_OPEN_READONLY);
        const std::string integrity = single_text(copy_db.get(), "PRAGMA integrity_check");
        if (integrity != "ok") throw StorageError("'" + backup + "' fails the integrity check: " + integrity);
        const int version = number(single_text(copy_db.get(), "PRAGMA user_version"));
        if (version > latest_schema_version())
            throw StorageError("'" + backup + "' has schema version " + std::to_string(version) +
                               ", newer than this server knows (" + std::to_string(latest_schema_version()) + ")");
        if (version == 0) throw StorageError("'" + backup + "' is not a vraagbaak database");
    }
    auto source = open(backup, SQLITE_OPEN_READONLY);
    auto destination = open(target, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    copy(source.get(), destination.get(), "restore into '" + target + "'");
}

}  // namespace vraagbaak::storage
