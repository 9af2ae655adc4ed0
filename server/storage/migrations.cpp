#include "storage/migrations.hpp"

#include <array>
#include <string>

#include "storage/store.hpp"

namespace vraagbaak::storage {
namespace {

// Never edit a released migration: add a new one. Index i brings version i to i + 1.
constexpr std::array<const char*, 1> kMigrations{
    // 1: organisations, accounts, rooms, membership, messages.
    R"sql(
CREATE TABLE organisations (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    code        TEXT NOT NULL UNIQUE COLLATE NOCASE,
    created_ms  INTEGER NOT NULL
);
CREATE TABLE accounts (
    id               INTEGER PRIMARY KEY,
    handle           TEXT NOT NULL UNIQUE,
    display_name     TEXT NOT NULL,
    organisation_id  INTEGER REFERENCES organisations(id),
    password_hash    TEXT NOT NULL,
    disabled         INTEGER NOT NULL DEFAULT 0,
    created_ms       INTEGER NOT NULL
);
CREATE TABLE rooms (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE COLLATE NOCASE,
    topic       TEXT NOT NULL DEFAULT '',
    last_seq    INTEGER NOT NULL DEFAULT 0,
    created_by  INTEGER REFERENCES accounts(id),
    created_ms  INTEGER NOT NULL
);
CREATE TABLE room_members (
    room_id     INTEGER NOT NULL REFERENCES rooms(id),
    account_id  INTEGER NOT NULL REFERENCES accounts(id),
    joined_ms   INTEGER NOT NULL,
    PRIMARY KEY (room_id, account_id)
) WITHOUT ROWID;
CREATE INDEX room_members_by_account ON room_members(account_id, room_id);
CREATE TABLE messages (
    id          INTEGER PRIMARY KEY,
    room_id     INTEGER NOT NULL REFERENCES rooms(id),
    seq         INTEGER NOT NULL,
    author_id   INTEGER NOT NULL REFERENCES accounts(id),
    body        TEXT NOT NULL,
    created_ms  INTEGER NOT NULL,
    UNIQUE (room_id, seq)
);
)sql",
};

int user_version(sqlite::Database& db) {
    auto q = db.query("PRAGMA user_version");
    return q->step() ? static_cast<int>(q->int64(0)) : 0;
}

}  // namespace

int latest_schema_version() { return static_cast<int>(kMigrations.size()); }

void migrate(sqlite::Database& db) {
    int version = user_version(db);
    if (version > latest_schema_version())
        throw StorageError("the database has schema version " + std::to_string(version) +
                           ", newer than this server knows (" +
                           std::to_string(latest_schema_version()) +
                           "); run a newer vraagbaak-server");
    for (int v = version; v < latest_schema_version(); ++v) {
        sqlite::Transaction tx(db);
        db.exec(kMigrations[static_cast<std::size_t>(v)]);
        db.exec("PRAGMA user_version = " + std::to_string(v + 1));
        tx.commit();
    }
}

}  // namespace vraagbaak::storage
