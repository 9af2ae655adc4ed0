// Migrations that rebuild a table are tested on a database built at the version before, with a
// row in every table that refers to the rebuilt one: the rows, the indexes and every reference
// must come through, and the constraints must still hold.

#include "storage/migrations.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <string>
#include <vector>

#include "storage/store.hpp"
#include "support/temp_dir.hpp"

namespace s = vraagbaak::storage;
using vraagbaak::test::TempDir;

namespace {

// Every row of a query, each as its columns joined with '|' (NULL written as "∅").
std::vector<std::string> rows(s::sqlite::Database& db, const std::string& sql) {
    sqlite3_stmt* st = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db.handle(), sql.c_str(), -1, &st, nullptr), SQLITE_OK) << sql;
    std::vector<std::string> out;
    while (st && sqlite3_step(st) == SQLITE_ROW) {
        std::string row;
        for (int c = 0; c < sqlite3_column_count(st); ++c) {
            if (c > 0) row += '|';
            const auto* text = sqlite3_column_text(st, c);
            row += text ? reinterpret_cast<const char*>(text) : "∅";
        }
        out.push_back(row);
    }
    sqlite3_finalize(st);
    return out;
}

// A version-12 database: the messages table as migrations 1 to 12 built it, its IN-list check
// included, and a row in each of the six tables that refer to a message.
void fill_version_12(s::sqlite::Database& db) {
    db.exec(R"sql(
INSERT INTO organisations(id, name, code, created_ms) VALUES (1, 'Buurtteam', 'bt', 1);
INSERT INTO accounts(id, handle, display_name, organisation_id, password_hash, created_ms)
    VALUES (1, 'anna', 'Anna', 1, 'h', 1), (2, 'bram', 'Bram', NULL, 'h', 1);
INSERT INTO rooms(id, name, created_by, created_ms, last_seq) VALUES (1, 'schulden', 1, 1, 4);
INSERT INTO room_members(room_id, account_id, joined_ms, role) VALUES (1, 1, 1, 'owner'), (1, 2, 1, 'member');
INSERT INTO messages(id, room_id, seq, author_id, body, created_ms, level, thread_id, pseudonym,
                     hidden_reason, client_msg_id, kind, helpful, pinned_ms, deleted) VALUES
    (1, 1, 1, 1, 'Een vraagstuk over schulden', 10, 'named', 1, 0, NULL, 'c-1', NULL, 0, 50, 0),
    (2, 1, 2, 2, 'Wat is er al geprobeerd?', 11, 'anonymous', 1, 1, NULL, NULL, 'question', 1, NULL, 0),
    (3, 1, 3, 1, 'Verborgen', 12, 'organisation', 1, 0, 'privacy', 'c-2', 'idea', 0, NULL, 0),
    (4, 1, 4, 2, '', 13, 'named', 4, 0, NULL, NULL, NULL, 0, NULL, 1);
INSERT INTO message_fts(rowid, title, body) VALUES (1, 'Schulden', 'Een vraagstuk over schulden');
INSERT INTO cases(thread_id, room_id, title, created_ms, last_activity_ms) VALUES (1, 1, 'Schulden', 10, 12);
INSERT INTO reveal_requests(message_id, requested_by, reason, created_ms) VALUES (2, 1, 'threat', 20);
INSERT INTO reports(room_id, message_id, reporter_id, category, reason, created_ms, updated_ms)
    VALUES (1, 3, 2, 'privacy', 'a name', 21, 21);
INSERT INTO room_events(room_id, seq, kind, account_id, message_id, created_ms) VALUES (1, 5, 'message_hidden', 1, 3, 22);
INSERT INTO sessions(id, room_id, title, method, plan, organiser_id, starts_ms, planned_minutes, created_ms)
    VALUES (1, 1, 'Netwerkoverleg', 'intervision', '[]', 1, 30, 60, 23);
INSERT INTO session_posts(message_id, session_id, step) VALUES (2, 1, 0);
INSERT INTO sealed_posts(session_id, step, room_id, author_id, thread_id, body, level, kind, created_ms)
    VALUES (1, 3, 1, 2, 1, 'Advies', 'named', 'advice', 24);
)sql");
}

constexpr const char* kAllMessages =
    "SELECT id, room_id, seq, author_id, body, created_ms, level, thread_id, pseudonym, hidden_reason, "
    "client_msg_id, kind, helpful, pinned_ms, deleted FROM messages ORDER BY id";
constexpr const char* kMessageIndexes =
    "SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'messages' ORDER BY name";

// A filled version-12 database, foreign keys enforced as the store has them.
class Version12 : public ::testing::Test {
protected:
    void SetUp() override {
        db.exec("PRAGMA foreign_keys = ON");
        s::migrate(db, 12);
        fill_version_12(db);
    }
    TempDir dir;
    s::sqlite::Database db{dir.file("old.db")};
};

TEST_F(Version12, RebuildingTheMessagesTableKeepsEveryRowIndexAndReference) {
    ASSERT_NE(rows(db, "SELECT sql FROM sqlite_schema WHERE name = 'messages'").at(0).find("level IN ("), std::string::npos)
        << "not the version-12 table this test means to migrate";
    const auto messages = rows(db, kAllMessages);
    const auto columns = rows(db, "PRAGMA table_info(messages)");
    const auto indexes = rows(db, kMessageIndexes);
    ASSERT_EQ(messages.size(), 4u);
    ASSERT_EQ(indexes.size(), 4u);  // the UNIQUE (room_id, seq) one and three of its own

    s::migrate(db);

    EXPECT_EQ(rows(db, "PRAGMA user_version").at(0), std::to_string(s::latest_schema_version()));
    EXPECT_EQ(rows(db, kAllMessages), messages);
    EXPECT_EQ(rows(db, "PRAGMA table_info(messages)"), columns);
    EXPECT_EQ(rows(db, kMessageIndexes), indexes);
    EXPECT_EQ(rows(db, "SELECT sql FROM sqlite_schema WHERE name = 'messages'").at(0).find(" IN ("), std::string::npos);
    EXPECT_TRUE(rows(db, "PRAGMA foreign_key_check").empty());
    EXPECT_EQ(rows(db, "PRAGMA integrity_check"), std::vector<std::string>{"ok"});
    EXPECT_EQ(rows(db, "PRAGMA foreign_keys"), std::vector<std::string>{"1"}) << "left off after migrating";
    // The referring rows still find their messages, and full-text search its row.
    EXPECT_EQ(rows(db, "SELECT COUNT(*) FROM cases c JOIN messages m ON m.id = c.thread_id").at(0), "1");
    EXPECT_EQ(rows(db, "SELECT m.body FROM reveal_requests r JOIN messages m ON m.id = r.message_id").at(0),
              "Wat is er al geprobeerd?");
    EXPECT_EQ(rows(db, "SELECT rowid FROM message_fts WHERE message_fts MATCH 'schulden'"), std::vector<std::string>{"1"});

    // The constraints hold as before: a level outside the three, a seq taken twice, a client
    // message id reused by its author, a message in no room.
    for (const char* bad : {
             "INSERT INTO messages(room_id, seq, author_id, body, created_ms, level, thread_id) VALUES (1, 9, 1, 'x', 1, 'secret', 9)",
             "INSERT INTO messages(room_id, seq, author_id, body, created_ms, thread_id) VALUES (1, 4, 1, 'x', 1, 9)",
             "INSERT INTO messages(room_id, seq, author_id, body, created_ms, thread_id, client_msg_id) VALUES (1, 9, 1, 'x', 1, 9, 'c-1')",
             "INSERT INTO messages(room_id, seq, author_id, body, created_ms, thread_id) VALUES (7, 9, 1, 'x', 1, 9)",
             "DELETE FROM messages WHERE id = 2",  // a reveal request refers to it
         })
        EXPECT_THROW(db.exec(bad), s::StorageError) << bad;
    EXPECT_EQ(rows(db, kAllMessages), messages);
    db.exec("INSERT INTO messages(room_id, seq, author_id, body, created_ms, level, thread_id) VALUES (1, 9, 1, 'x', 1, 'organisation', 9)");
    EXPECT_EQ(rows(db, "SELECT level FROM messages WHERE seq = 9").at(0), "organisation");
}

TEST_F(Version12, AFailedMigrationLeavesTheVersionBeforeItAndForeignKeysOn) {
    // A row that migration 13 cannot copy: the new table's check refuses a level the old one
    // would never have let in, smuggled past it with checks off.
    db.exec("PRAGMA ignore_check_constraints = ON");
    db.exec("INSERT INTO messages(room_id, seq, author_id, body, created_ms, level, thread_id) VALUES (1, 9, 1, 'x', 1, 'secret', 9)");
    db.exec("PRAGMA ignore_check_constraints = OFF");

    EXPECT_THROW(s::migrate(db), s::StorageError);
    EXPECT_EQ(rows(db, "PRAGMA user_version").at(0), "12");
    EXPECT_EQ(rows(db, "SELECT COUNT(*) FROM messages").at(0), "5");
    EXPECT_NE(rows(db, "SELECT sql FROM sqlite_schema WHERE name = 'messages'").at(0).find("level IN ("), std::string::npos);
    EXPECT_EQ(rows(db, "PRAGMA foreign_keys"), std::vector<std::string>{"1"});
}

TEST(Migrations, ASchemaVersionThisBuildDoesNotKnowIsRefused) {
    TempDir dir;
    s::sqlite::Database db(dir.file("new.db"));
    EXPECT_THROW(s::migrate(db, s::latest_schema_version() + 1), s::StorageError);
    EXPECT_EQ(rows(db, "PRAGMA user_version").at(0), "0");
}

}  // namespace
