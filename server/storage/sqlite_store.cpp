#include "storage/sqlite_store.hpp"

#include <algorithm>

#include "storage/migrations.hpp"
#include "storage/sqlite_db.hpp"

namespace vraagbaak::storage {

using sqlite::Statement;
using sqlite::Transaction;

namespace {

// Statements are cached by the address of their text, so queries are built from literals.
#define VB_ACCOUNT_SELECT                                                                    \
    "SELECT id, handle, display_name, organisation_id, password_hash, disabled, created_ms " \
    "FROM accounts "

Account read_account(Statement& s) {
    Account a;
    a.id = s.int64(0);
    a.handle = s.text(1);
    a.display_name = s.text(2);
    if (!s.is_null(3)) a.organisation_id = s.int64(3);
    a.password_hash = s.text(4);
    a.disabled = s.int64(5) != 0;
    a.created_ms = s.int64(6);
    return a;
}

// Room columns followed by membership of the viewer (?1, may be NULL).
#define VB_ROOM_SELECT                                                                     \
    "SELECT r.id, r.name, r.topic, r.last_seq,"                                            \
    " (SELECT COUNT(*) FROM room_members m WHERE m.room_id = r.id),"                       \
    " EXISTS(SELECT 1 FROM room_members m WHERE m.room_id = r.id AND m.account_id = ?1)" \
    " FROM rooms r "

Room read_room(Statement& s) {
    Room r;
    r.id = s.int64(0);
    r.name = s.text(1);
    r.topic = s.text(2);
    r.last_seq = s.int64(3);
    r.member_count = s.int64(4);
    r.viewer_is_member = s.int64(5) != 0;
    return r;
}

#define VB_MESSAGE_SELECT                                                      \
    "SELECT m.id, m.room_id, m.seq, m.author_id, a.handle, a.display_name, " \
    "m.body, m.created_ms FROM messages m JOIN accounts a ON a.id = m.author_id "

Message read_message(Statement& s) {
    Message m;
    m.id = s.int64(0);
    m.room_id = s.int64(1);
    m.seq = s.int64(2);
    m.author = Author{s.int64(3), s.text(4), s.text(5)};
    m.body = s.text(6);
    m.created_ms = s.int64(7);
    return m;
}

}  // namespace

SqliteStore::SqliteStore(const SqliteOptions& options)
    : db_(std::make_unique<sqlite::Database>(options.path)) {
    db_->exec("PRAGMA busy_timeout = " + std::to_string(options.busy_timeout_ms));
    {
        // journal_mode answers with the mode in force; anything but WAL means the file system
        // does not support it, and the durability reasoning of this class would not hold.
        auto q = db_->query("PRAGMA journal_mode = WAL");
        if (!q->step() || q->text(0) != "wal")
            throw StorageError("cannot switch '" + options.path + "' to WAL journal mode");
    }
    db_->exec("PRAGMA synchronous = FULL");
    db_->exec("PRAGMA foreign_keys = ON");
    migrate(*db_);
}

SqliteStore::~SqliteStore() = default;

int SqliteStore::schema_version() {
    std::lock_guard lock(mutex_);
    auto q = db_->query("PRAGMA user_version");
    return q->step() ? static_cast<int>(q->int64(0)) : 0;
}

std::optional<Organisation> SqliteStore::create_organisation(std::string_view name,
                                                             std::string_view code,
                                                             TimestampMs now) {
    std::lock_guard lock(mutex_);
    Transaction tx(*db_);
    {
        auto q = db_->query("SELECT 1 FROM organisations WHERE name = ?1 OR code = ?2");
        q->bind(1, name).bind(2, code);
        if (q->step()) return std::nullopt;
    }
    {
        auto q = db_->query("INSERT INTO organisations(name, code, created_ms) VALUES (?1, ?2, ?3)");
        q->bind(1, name).bind(2, code).bind(3, now);
        q->step();
    }
    Organisation org{db_->last_insert_rowid(), std::string(name), std::string(code)};
    tx.commit();
    return org;
}

std::vector<Organisation> SqliteStore::list_organisations() {
    std::lock_guard lock(mutex_);
    std::vector<Organisation> out;
    auto q = db_->query("SELECT id, name, code FROM organisations ORDER BY id");
    while (q->step()) out.push_back({q->int64(0), q->text(1), q->text(2)});
    return out;
}

std::optional<Account> SqliteStore::create_account(const NewAccount& account) {
    std::lock_guard lock(mutex_);
    Transaction tx(*db_);
    {
        auto q = db_->query("SELECT 1 FROM accounts WHERE handle = ?1");
        q->bind(1, account.handle);
        if (q->step()) return std::nullopt;
    }
    {
        auto q = db_->query(
            "INSERT INTO accounts(handle, display_name, organisation_id, password_hash, "
            "created_ms) VALUES (?1, ?2, ?3, ?4, ?5)");
        q->bind(1, account.handle)
            .bind(2, account.display_name)
            .bind(3, account.organisation_id)
            .bind(4, account.password_hash)
            .bind(5, account.created_ms);
        q->step();
    }
    Account created{db_->last_insert_rowid(), account.handle,        account.display_name,
                    account.organisation_id,  account.password_hash, false,
                    account.created_ms};
    tx.commit();
    return created;
}

std::optional<Account> SqliteStore::find_account(AccountId id) {
    std::lock_guard lock(mutex_);
    auto q = db_->query(VB_ACCOUNT_SELECT "WHERE id = ?1");
    q->bind(1, id);
    if (!q->step()) return std::nullopt;
    return read_account(*q);
}

std::optional<Account> SqliteStore::find_account_by_handle(std::string_view handle) {
    std::lock_guard lock(mutex_);
    auto q = db_->query(VB_ACCOUNT_SELECT "WHERE handle = ?1");
    q->bind(1, handle);
    if (!q->step()) return std::nullopt;
    return read_account(*q);
}

std::vector<Account> SqliteStore::list_accounts() {
    std::lock_guard lock(mutex_);
    std::vector<Account> out;
    auto q = db_->query(VB_ACCOUNT_SELECT "ORDER BY id");
    while (q->step()) out.push_back(read_account(*q));
    return out;
}

std::int64_t SqliteStore::count_accounts() {
    std::lock_guard lock(mutex_);
    auto q = db_->query("SELECT COUNT(*) FROM accounts");
    return q->step() ? q->int64(0) : 0;
}

std::optional<Room> SqliteStore::create_room(const NewRoom& room) {
    std::lock_guard lock(mutex_);
    Transaction tx(*db_);
    {
        auto q = db_->query("SELECT 1 FROM rooms WHERE name = ?1");
        q->bind(1, room.name);
        if (q->step()) return std::nullopt;
    }
    {
        auto q = db_->query(
            "INSERT INTO rooms(name, topic, created_by, created_ms) VALUES (?1, ?2, ?3, ?4)");
        q->bind(1, room.name).bind(2, room.topic).bind(3, room.created_by).bind(4, room.created_ms);
        q->step();
    }
    Room created{db_->last_insert_rowid(), room.name, room.topic, 0, 0, false};
    tx.commit();
    return created;
}

std::optional<Room> SqliteStore::find_room(RoomId id, std::optional<AccountId> viewer) {
    std::lock_guard lock(mutex_);
    auto q = db_->query(VB_ROOM_SELECT "WHERE r.id = ?2");
    q->bind(1, viewer).bind(2, id);
    if (!q->step()) return std::nullopt;
    return read_room(*q);
}

std::vector<Room> SqliteStore::list_rooms(std::optional<AccountId> viewer) {
    std::lock_guard lock(mutex_);
    std::vector<Room> out;
    auto q = db_->query(VB_ROOM_SELECT "ORDER BY r.name COLLATE NOCASE");
    q->bind(1, viewer);
    while (q->step()) out.push_back(read_room(*q));
    return out;
}

bool SqliteStore::add_member(RoomId room, AccountId account, TimestampMs now) {
    std::lock_guard lock(mutex_);
    auto q = db_->query(
        "INSERT OR IGNORE INTO room_members(room_id, account_id, joined_ms) VALUES (?1, ?2, ?3)");
    q->bind(1, room).bind(2, account).bind(3, now);
    q->step();
    return db_->changes() > 0;
}

bool SqliteStore::remove_member(RoomId room, AccountId account) {
    std::lock_guard lock(mutex_);
    auto q = db_->query("DELETE FROM room_members WHERE room_id = ?1 AND account_id = ?2");
    q->bind(1, room).bind(2, account);
    q->step();
    return db_->changes() > 0;
}

bool SqliteStore::is_member(RoomId room, AccountId account) {
    std::lock_guard lock(mutex_);
    auto q = db_->query("SELECT 1 FROM room_members WHERE room_id = ?1 AND account_id = ?2");
    q->bind(1, room).bind(2, account);
    return q->step();
}

std::vector<RoomId> SqliteStore::rooms_of(AccountId account) {
    std::lock_guard lock(mutex_);
    std::vector<RoomId> out;
    auto q = db_->query("SELECT room_id FROM room_members WHERE account_id = ?1 ORDER BY room_id");
    q->bind(1, account);
    while (q->step()) out.push_back(q->int64(0));
    return out;
}

Message SqliteStore::append_message(const NewMessage& message) {
    std::lock_guard lock(mutex_);
    Transaction tx(*db_);
    Seq seq = 0;
    {
        auto q = db_->query(
            "UPDATE rooms SET last_seq = last_seq + 1 WHERE id = ?1 RETURNING last_seq");
        q->bind(1, message.room_id);
        if (!q->step()) throw StorageError("append_message: no room " + std::to_string(message.room_id));
        seq = q->int64(0);
    }
    {
        auto q = db_->query(
            "INSERT INTO messages(room_id, seq, author_id, body, created_ms) "
            "VALUES (?1, ?2, ?3, ?4, ?5)");
        q->bind(1, message.room_id)
            .bind(2, seq)
            .bind(3, message.author_id)
            .bind(4, message.body)
            .bind(5, message.created_ms);
        q->step();
    }
    MessageId id = db_->last_insert_rowid();
    Author author;
    {
        auto q = db_->query("SELECT id, handle, display_name FROM accounts WHERE id = ?1");
        q->bind(1, message.author_id);
        if (q->step()) author = Author{q->int64(0), q->text(1), q->text(2)};
    }
    tx.commit();
    return Message{id, message.room_id, seq, std::move(author), message.body, message.created_ms};
}

HistoryPage SqliteStore::history(RoomId room, const HistoryQuery& query) {
    std::lock_guard lock(mutex_);
    HistoryPage page;
    const std::int64_t fetch = static_cast<std::int64_t>(query.limit) + 1;  // one more tells has_more
    bool ascending = query.after.has_value();
    if (ascending) {
        auto q = db_->query(VB_MESSAGE_SELECT
                            "WHERE m.room_id = ?1 AND m.seq > ?2 ORDER BY m.seq ASC LIMIT ?3");
        q->bind(1, room).bind(2, *query.after).bind(3, fetch);
        while (q->step()) page.messages.push_back(read_message(*q));
    } else {
        auto q = db_->query(VB_MESSAGE_SELECT
                            "WHERE m.room_id = ?1 AND m.seq < ?2 ORDER BY m.seq DESC LIMIT ?3");
        q->bind(1, room).bind(2, query.before.value_or(INT64_MAX)).bind(3, fetch);
        while (q->step()) page.messages.push_back(read_message(*q));
    }
    if (static_cast<std::int64_t>(page.messages.size()) == fetch) {
        page.has_more = true;
        page.messages.pop_back();
    }
    if (!ascending) std::reverse(page.messages.begin(), page.messages.end());
    return page;
}

bool SqliteStore::healthy() {
    try {
        std::lock_guard lock(mutex_);
        auto q = db_->query("SELECT 1");
        return q->step();
    } catch (const StorageError&) {
        return false;
    }
}

}  // namespace vraagbaak::storage
