#include "storage/sqlite_store.hpp"

#include <algorithm>

#include "storage/backup.hpp"
#include "storage/checkpointer.hpp"
#include "storage/migrations.hpp"
#include "storage/sqlite_db.hpp"
#include "storage/wal_gather_vfs.hpp"
#include "vraagbaak/protocol/text.hpp"

namespace vraagbaak::storage {

using sqlite::Statement;
using sqlite::Transaction;

namespace {

// Statements are cached by the address of their text, so queries are built from literals.
#define VB_ACCOUNT_SELECT                                                                  \
    "SELECT a.id, a.handle, a.display_name, a.organisation_id, a.password_hash, a.disabled, " \
    "a.created_ms, a.role, o.name, o.code, a.banned_until_ms "                              \
    "FROM accounts a LEFT JOIN organisations o ON o.id = a.organisation_id "

Account read_account(Statement& s) {
    Account a;
    a.id = s.int64(0);
    a.handle = s.text(1);
    a.display_name = s.text(2);
    if (!s.is_null(3)) a.organisation_id = s.int64(3);
    a.password_hash = s.text(4);
    a.disabled = s.int64(5) != 0;
    a.created_ms = s.int64(6);
    a.role = protocol::role_from_string(s.text(7)).value_or(Role::member);
    if (a.organisation_id) a.organisation = Organisation{*a.organisation_id, s.text(8), s.text(9)};
    if (!s.is_null(10)) a.banned_until_ms = s.int64(10);
    return a;
}

// Room columns followed by membership of the viewer (?1, may be NULL). The parts that grow with
// the room (read marker and unread count, pins) and the member count are parameters, so that
// VB_ROOM_SETTINGS_SELECT can leave them out with the same columns.
#define VB_ROOM_SELECT_WITH(MEMBER_COUNT, READ_SEQ, UNREAD, PINNED)                        \
    "SELECT r.id, r.name, r.topic, r.last_seq," MEMBER_COUNT ","                           \
    " EXISTS(SELECT 1 FROM room_members m WHERE m.room_id = r.id AND m.account_id = ?1)," \
    " r.allowed_levels," READ_SEQ "," UNREAD ","                                           \
    " r.visibility, r.slow_mode_s, r.locked, r.archived,"                                  \
    " (SELECT COALESCE(group_concat(organisation_id, ','), '') FROM room_organisations g" \
    "   WHERE g.room_id = r.id)," PINNED ","                                               \
    " (SELECT role FROM room_members m WHERE m.room_id = r.id AND m.account_id = ?1),"    \
    " r.created_by, r.privacy_mode, r.retention_days"                                      \
    " FROM rooms r "
#define VB_ROOM_SELECT                                                                                 \
    VB_ROOM_SELECT_WITH(                                                                               \
        " r.member_count",                                                                             \
        " COALESCE((SELECT seq FROM read_markers k WHERE k.room_id = r.id AND k.account_id = ?1), 0)", \
        " (SELECT COUNT(*) FROM messages u WHERE u.room_id = r.id AND u.author_id != ?1 AND u.seq >"    \
        "   COALESCE((SELECT seq FROM read_markers k WHERE k.room_id = r.id AND k.account_id = ?1), 0))", \
        " (SELECT COALESCE(group_concat(id, ','), '') FROM (SELECT id FROM messages p"                 \
        "   WHERE p.room_id = r.id AND p.pinned_ms IS NOT NULL ORDER BY p.pinned_ms, p.id))")
#define VB_ROOM_SETTINGS_SELECT VB_ROOM_SELECT_WITH(" 0", " 0", " 0", " ''")

Room read_room(Statement& s) {
    Room r;
    r.id = s.int64(0);
    r.name = s.text(1);
    r.topic = s.text(2);
    r.last_seq = s.int64(3);
    r.member_count = s.int64(4);
    r.viewer_is_member = s.int64(5) != 0;
    r.allowed_levels = protocol::levels_from_csv(s.text(6)).value_or(std::vector<Anonymity>{});
    r.read_seq = s.int64(7);
    if (r.viewer_is_member) r.unread = s.int64(8);
    r.visibility = protocol::visibility_from_string(s.text(9)).value_or(Visibility::open);
    r.slow_mode_s = s.int64(10);
    r.locked = s.int64(11) != 0;
    r.archived = s.int64(12) != 0;
    for (const auto& id : protocol::split_list(s.text(13))) r.organisations.push_back(std::stoll(id));
    for (const auto& id : protocol::split_list(s.text(14))) r.pinned.push_back(std::stoll(id));
    if (!s.is_null(15)) r.viewer_role = protocol::room_role_from_string(s.text(15));
    if (!s.is_null(16)) r.created_by = s.int64(16);
    r.privacy_mode = protocol::privacy_mode_from_string(s.text(17)).value_or(protocol::PrivacyMode::block);
    r.retention_days = s.int64(18);
    return r;
}

#define VB_MESSAGE_COLUMNS                                                                  \
    "m.id, m.room_id, m.seq, m.author_id, a.handle, a.display_name, m.body, "             \
    "m.created_ms, m.level, m.thread_id, m.pseudonym, a.organisation_id, o.name, o.code, " \
    "m.hidden_reason, m.kind, m.helpful "
#define VB_MESSAGE_JOINS                                  \
    "JOIN accounts a ON a.id = m.author_id "              \
    "LEFT JOIN organisations o ON o.id = a.organisation_id "
#define VB_MESSAGE_SELECT "SELECT " VB_MESSAGE_COLUMNS "FROM messages m " VB_MESSAGE_JOINS
constexpr int kMessageColumns = 17;
// More accounts than this have posted since the cache was last emptied: start it afresh.
constexpr std::size_t kMaxCachedAuthors = 100000;
constexpr std::size_t kMaxKeptRules = 100000;

#define VB_CASE_COLUMNS                                                                         \
    "c.thread_id, c.room_id, c.title, c.status, COALESCE(c.outcome, ''), "                    \
    "COALESCE(c.reflection, ''), c.created_ms, c.last_activity_ms, m.author_id, m.level, "    \
    "(SELECT COUNT(*) FROM messages r WHERE r.thread_id = c.thread_id AND r.id != c.thread_id), " \
    "(SELECT COALESCE(group_concat(tag, ','), '') FROM case_tags t WHERE t.thread_id = c.thread_id) "

Case read_case(Statement& s) {
    Case c;
    c.thread_id = s.int64(0);
    c.room_id = s.int64(1);
    c.title = s.text(2);
    c.status = s.text(3);
    c.outcome = s.text(4);
    c.reflection = s.text(5);
    c.created_ms = s.int64(6);
    c.last_activity_ms = s.int64(7);
    c.asker_id = s.int64(8);
    c.asker_level = protocol::anonymity_from_string(s.text(9)).value_or(Anonymity::named);
    c.replies = s.int64(10);
    c.tags = protocol::split_list(s.text(11));
    return c;
}

Message read_message(Statement& s) {
    Message m;
    m.id = s.int64(0);
    m.room_id = s.int64(1);
    m.seq = s.int64(2);
    m.author = Author{s.int64(3), s.text(4), s.text(5), std::nullopt};
    m.body = s.text(6);
    m.created_ms = s.int64(7);
    m.level = protocol::anonymity_from_string(s.text(8)).value_or(Anonymity::named);
    m.thread_id = s.int64(9);
    m.pseudonym = static_cast<int>(s.int64(10));
    if (!s.is_null(11)) m.author.organisation = Organisation{s.int64(11), s.text(12), s.text(13)};
    if (!s.is_null(14)) m.hidden_reason = s.text(14);
    if (!s.is_null(15)) m.kind = s.text(15);
    m.helpful = s.int64(16) != 0;
    return m;
}

}  // namespace

SqliteStore::SqliteStore(const SqliteOptions& options) {
    // Before a migration changes an existing database, keep a copy of it as it was.
    if (options.backup_before_migration && options.path != ":memory:") {
        std::optional<int> version;
        try {
            version = schema_version_of(options.path);
        } catch (const StorageError&) {
            // Not there yet, or not a database: opening below says which.
        }
        if (version && *version > 0 && *version < latest_schema_version())
            backup_database(options.path, options.path + ".before-v" + std::to_string(latest_schema_version()) + ".bak");
    }
    // The writer gathers each COMMIT's WAL frames into a few large writes; that relies on synchronous=FULL,
    // which is set and checked below (readers never write the WAL and need no such thing).
    db_ = std::make_unique<sqlite::Database>(options.path, sqlite::Database::Mode::read_write,
                                             sqlite::gathering_vfs(options.vfs));
    db_->exec("PRAGMA busy_timeout = " + std::to_string(options.busy_timeout_ms));
    {
        // journal_mode answers with the mode in force; anything but WAL means the file system
        // does not support it, and the durability reasoning of this class would not hold.
        auto q = db_->query("PRAGMA journal_mode = WAL");
        if (!q->step() || q->text(0) != "wal")
            throw StorageError("cannot switch '" + options.path + "' to WAL journal mode");
    }
    db_->exec("PRAGMA synchronous = FULL");
    // Deleted content is overwritten, not just unlinked: the privacy guard's deletions are real.
    db_->exec("PRAGMA secure_delete = ON");
    db_->exec("PRAGMA foreign_keys = ON");
    if (options.check_on_open) check_not_damaged(options.path);
    migrate(*db_);
    // An acknowledgement promises durability only if these hold: read them back (after the
    // migrations, which turn foreign keys off for a while), do not assume.
    for (auto [pragma, wanted] : {std::pair{"synchronous", 2}, std::pair{"foreign_keys", 1}, std::pair{"secure_delete", 1}}) {
        auto q = db_->query(pragma == std::string_view("synchronous")    ? "PRAGMA synchronous"
                            : pragma == std::string_view("foreign_keys") ? "PRAGMA foreign_keys"
                                                                         : "PRAGMA secure_delete");
        if (!q->step() || q->int64(0) != wanted)
            throw StorageError(std::string("PRAGMA ") + pragma + " did not take effect on '" + options.path + "'");
    }
    if (options.max_page_count > 0) db_->exec("PRAGMA max_page_count = " + std::to_string(options.max_page_count));
    if (options.path != ":memory:") {
        for (auto& reader : readers_) {
            reader.db = std::make_unique<sqlite::Database>(options.path, sqlite::Database::Mode::read_only, options.vfs);
            reader.db->exec("PRAGMA busy_timeout = " + std::to_string(options.busy_timeout_ms));
        }
        // A COMMIT leaves copying the log back into the file to a thread of its own (checkpointer.hpp).
        checkpointer_ = std::make_unique<sqlite::Checkpointer>(*db_, options.path, options.vfs, sqlite::Checkpointer::Limits{});
    }
}

SqliteStore::ReadLease SqliteStore::read_lease() {
    if (!readers_[0].db || group_thread_.load(std::memory_order_relaxed) == std::this_thread::get_id())
        return {std::unique_lock(mutex_), *db_};
    for (auto& reader : readers_) {
        std::unique_lock lock(reader.mutex, std::try_to_lock);
        if (lock.owns_lock()) return {std::move(lock), *reader.db};
    }
    auto& reader = readers_[next_reader_.fetch_add(1, std::memory_order_relaxed) % readers_.size()];
    return {std::unique_lock(reader.mutex), *reader.db};
}

void SqliteStore::check_not_damaged(const std::string& path) {
    std::string verdict;
    try {
        auto q = db_->query("PRAGMA quick_check(1)");
        verdict = q->step() ? q->text(0) : "no answer";
    } catch (const StorageError& e) {
        verdict = e.what();
    }
    if (verdict == "ok") return;
    for (auto& c : verdict)
        if (c == '\n') c = ' ';
    throw StorageError("the database '" + path + "' is damaged (" + verdict +
                           "); restore a backup with: vraagbaak-server admin restore --from FILE");
}

SqliteStore::~SqliteStore() = default;

std::int64_t SqliteStore::database_bytes() {
    auto reader = read_lease();
    auto q = reader.db.query("SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()");
    return q->step() ? q->int64(0) : 0;
}

void SqliteStore::begin_group() {
    mutex_.lock();  // held until commit_group()
    try {
        group_ = std::make_unique<Transaction>(*db_);
        group_thread_.store(std::this_thread::get_id(), std::memory_order_relaxed);
    } catch (...) {
        mutex_.unlock();
        throw;
    }
}

void SqliteStore::commit_group() {
    std::lock_guard lock(mutex_, std::adopt_lock);  // begin_group()'s hold, released on return
    group_thread_.store(std::thread::id(), std::memory_order_relaxed);
    auto group = std::move(group_);
    auto index = std::move(group_index_);
    group_index_.clear();
    if (!group) return;
    // A failed write (disk full, I/O error) may have made SQLite roll the whole group back. Either
    // rollback starts a new epoch, which empties what the group read and did not keep.
    if (!db_->in_transaction()) throw StorageError("the commit group was rolled back");
    for (const auto& [id, body] : index) index_message_locked(id, body);
    group->commit();  // on failure its destructor rolls back
}

bool SqliteStore::writable() {
    try {
        std::lock_guard lock(mutex_);
        Transaction tx(*db_);  // BEGIN IMMEDIATE takes the write lock; rolled back unused
        return true;
    } catch (const StorageError&) {
        return false;
    }
}

int SqliteStore::schema_version() {
    auto reader = read_lease();
    auto q = reader.db.query("PRAGMA user_version");
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
    auto reader = read_lease();
    std::vector<Organisation> out;
    auto q = reader.db.query("SELECT id, name, code FROM organisations ORDER BY id");
    while (q->step()) out.push_back({q->int64(0), q->text(1), q->text(2)});
    return out;
}

std::optional<Account> SqliteStore::insert_account(const NewAccount& account) {
    {
        auto q = db_->query("SELECT 1 FROM accounts WHERE handle = ?1");
        q->bind(1, account.handle);
        if (q->step()) return std::nullopt;
    }
    {
        auto q = db_->query(
            "INSERT INTO accounts(handle, display_name, organisation_id, password_hash, "
            "created_ms, role) VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
        q->bind(1, account.handle)
            .bind(2, account.display_name)
            .bind(3, account.organisation_id)
            .bind(4, account.password_hash)
            .bind(5, account.created_ms)
            .bind(6, protocol::to_string(account.role));
        q->step();
    }
    auto q = db_->query(VB_ACCOUNT_SELECT "WHERE a.id = ?1");
    q->bind(1, db_->last_insert_rowid());
    if (!q->step()) throw StorageError("create_account: the new account is not there");
    return read_account(*q);
}

std::optional<Account> SqliteStore::create_account(const NewAccount& account) {
    std::lock_guard lock(mutex_);
    Transaction tx(*db_);
    auto created = insert_account(account);
    if (created) tx.commit();
    return created;
}

std::optional<Organisation> SqliteStore::find_organisation(OrganisationId id) {
    auto reader = read_lease();
    auto q = reader.db.query("SELECT id, name, code FROM organisations WHERE id = ?1");
    q->bind(1, id);
    if (!q->step()) return std::nullopt;
    return Organisation{q->int64(0), q->text(1), q->text(2)};
}

std::optional<Organisation> SqliteStore::find_organisation_by_code(std::string_view code) {
    auto reader = read_lease();
    auto q = reader.db.query("SELECT id, name, code FROM organisations WHERE code = ?1");
    q->bind(1, code);
    if (!q->step()) return std::nullopt;
    return Organisation{q->int64(0), q->text(1), q->text(2)};
}

bool SqliteStore::set_role(AccountId account, Role role) {
    std::lock_guard lock(mutex_);
    auto q = db_->query("UPDATE accounts SET role = ?2 WHERE id = ?1");
    q->bind(1, account).bind(2, protocol::to_string(role));
    q->step();
    return db_->changes() > 0;
}

bool SqliteStore::set_disabled(AccountId account, bool disabled) {
    std::lock_guard lock(mutex_);
    auto q = db_->query("UPDATE accounts SET disabled = ?2 WHERE id = ?1");
    q->bind(1, account).bind(2, std::int64_t{disabled ? 1 : 0});
    q->step();
    return db_->changes() > 0;
}

bool SqliteStore::set_password_hash(AccountId account, const std::string& hash) {
    std::lock_guard lock(mutex_);
    auto q = db_->query("UPDATE accounts SET password_hash = ?2 WHERE id = ?1");
    q->bind(1, account).bind(2, hash);
    q->step();
    return db_->changes() > 0;
}

void SqliteStore::create_session(AccountId account, const std::string& token_hash,
                                 TimestampMs created_ms, TimestampMs expires_ms) {
    std::lock_guard lock(mutex_);
    auto q = db_->query(
        "INSERT INTO auth_sessions(account_id, token_hash, created_ms, expires_ms) "
        "VALUES (?1, ?2, ?3, ?4)");
    q->bind(1, account).bind(2, token_hash).bind(3, created_ms).bind(4, expires_ms);
    q->step();
}

std::optional<AuthSession> SqliteStore::find_session(const std::string& token_hash) {
    auto reader = read_lease();
    auto q = reader.db.query(
        "SELECT id, account_id, expires_ms, revoked FROM auth_sessions WHERE token_hash = ?1");
    q->bind(1, token_hash);
    if (!q->step()) return std::nullopt;
    return AuthSession{q->int64(0), q->int64(1), q->int64(2), q->int64(3) != 0};
}

bool SqliteStore::revoke_session(const std::string& token_hash) {
    std::lock_guard lock(mutex_);
    auto q = db_->query("UPDATE auth_sessions SET revoked = 1 WHERE token_hash = ?1 AND revoked = 0");
    q->bind(1, token_hash);
    q->step();
    return db_->changes() > 0;
}

int SqliteStore::revoke_sessions_of(AccountId account) {
    std::lock_guard lock(mutex_);
    auto q = db_->query("UPDATE auth_sessions SET revoked = 1 WHERE account_id = ?1 AND revoked = 0");
    q->bind(1, account);
    q->step();
    return db_->changes();
}

namespace {
Invite read_invite(Statement& s) {
    Invite i;
    i.id = s.int64(0);
    i.organisation_id = s.int64(1);
    if (!s.is_null(2)) i.created_by = s.int64(2);
    i.max_uses = static_cast<int>(s.int64(3));
    i.uses = static_cast<int>(s.int64(4));
    i.expires_ms = s.int64(5);
    i.revoked = s.int64(6) != 0;
    i.created_ms = s.int64(7);
    return i;
}
#define VB_INVITE_SELECT \
    "SELECT id, organisation_id, created_by, max_uses, uses, expires_ms, revoked, created_ms FROM invites "
}  // namespace

Invite SqliteStore::create_invite(OrganisationId organisation, const std::string& code_hash,
                                  int max_uses, TimestampMs expires_ms,
                                  std::optional<AccountId> created_by, TimestampMs now) {
    std::lock_guard lock(mutex_);
    auto q = db_->query(
        "INSERT INTO invites(code_hash, organisation_id, created_by, max_uses, expires_ms, "
        "created_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
    q->bind(1, code_hash)
        .bind(2, organisation)
        .bind(3, created_by)
        .bind(4, std::int64_t{max_uses})
        .bind(5, expires_ms)
        .bind(6, now);
    q->step();
    return Invite{db_->last_insert_rowid(), organisation, created_by, max_uses, 0, expires_ms, false, now};
}

std::vector<Invite> SqliteStore::list_invites() {
    auto reader = read_lease();
    std::vector<Invite> out;
    auto q = reader.db.query(VB_INVITE_SELECT "ORDER BY id");
    while (q->step()) out.push_back(read_invite(*q));
    return out;
}

bool SqliteStore::revoke_invite(std::int64_t invite_id) {
    std::lock_guard lock(mutex_);
    auto q = db_->query("UPDATE invites SET revoked = 1 WHERE id = ?1 AND revoked = 0");
    q->bind(1, invite_id);
    q->step();
    return db_->changes() > 0;
}

std::variant<Account, InviteProblem> SqliteStore::redeem_invite(const std::string& code_hash,
                                                                NewAccount account,
                                                                TimestampMs now) {
    std::lock_guard lock(mutex_);
    Transaction tx(*db_);
    std::optional<Invite> invite;
    {
        auto q = db_->query(VB_INVITE_SELECT "WHERE code_hash = ?1");
        q->bind(1, code_hash);
        if (q->step()) invite = read_invite(*q);
    }
    if (!invite || invite->revoked) return InviteProblem::invalid;
    if (invite->expires_ms <= now) return InviteProblem::expired;
    if (invite->uses >= invite->max_uses) return InviteProblem::used_up;
    account.organisation_id = invite->organisation_id;
    auto created = insert_account(account);
    if (!created) return InviteProblem::handle_taken;
    {
        auto q = db_->query("UPDATE invites SET uses = uses + 1 WHERE id = ?1");
        q->bind(1, invite->id);
        q->step();
    }
    tx.commit();
    return *created;
}

std::optional<Account> SqliteStore::find_account(AccountId id) {
    auto reader = read_lease();
    auto q = reader.db.query(VB_ACCOUNT_SELECT "WHERE a.id = ?1");
    q->bind(1, id);
    if (!q->step()) return std::nullopt;
    return read_account(*q);
}

std::optional<Account> SqliteStore::find_account_by_handle(std::string_view handle) {
    auto reader = read_lease();
    auto q = reader.db.query(VB_ACCOUNT_SELECT "WHERE a.handle = ?1");
    q->bind(1, handle);
    if (!q->step()) return std::nullopt;
    return read_account(*q);
}

std::vector<Account> SqliteStore::list_accounts() {
    auto reader = read_lease();
    std::vector<Account> out;
    auto q = reader.db.query(VB_ACCOUNT_SELECT "ORDER BY a.id");
    while (q->step()) out.push_back(read_account(*q));
    return out;
}

std::int64_t SqliteStore::count_accounts() {
    auto reader = read_lease();
    auto q = reader.db.query("SELECT COUNT(*) FROM accounts");
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
            "INSERT INTO rooms(name, topic, created_by, created_ms, allowed_levels) "
            "VALUES (?1, ?2, ?3, ?4, ?5)");
        q->bind(1, room.name)
            .bind(2, room.topic)
            .bind(3, room.created_by)
            .bind(4, room.created_ms)
            .bind(5, protocol::levels_to_csv(room.allowed_levels));
        q->step();
    }
    Room created;
    created.id = db_->last_insert_rowid();
    created.name = room.name;
    created.topic = room.topic;
    created.allowed_levels = room.allowed_levels;
    created.created_by = room.created_by;
    tx.commit();
    return created;
}

std::optional<Room> SqliteStore::find_room(RoomId id, std::optional<AccountId> viewer) {
    auto reader = read_lease();
    auto q = reader.db.query(VB_ROOM_SELECT "WHERE r.id = ?2");
    q->bind(1, viewer).bind(2, id);
    if (!q->step()) return std::nullopt;
    return read_room(*q);
}

std::optional<Room> SqliteStore::find_room_settings(RoomId id, AccountId viewer) {
    auto reader = read_lease();
    auto q = reader.db.query(VB_ROOM_SETTINGS_SELECT "WHERE r.id = ?2");
    q->bind(1, viewer).bind(2, id);
    if (!q->step()) return std::nullopt;
    return read_room(*q);
}

std::optional<PostingRules> SqliteStore::posting_rules(RoomId id, AccountId account) {
    auto reader = read_lease();
    const bool keep = &reader.db == db_.get();  // then under mutex_, which every write holds
    if (keep) {
        check_kept_locked();
        if (auto kept = rules_.find({id, account}); kept != rules_.end()) return kept->second;
    }
    auto q = reader.db.query(
        "SELECT r.archived, r.locked, r.allowed_levels, r.slow_mode_s, r.privacy_mode,"
        " (SELECT role FROM room_members m WHERE m.room_id = r.id AND m.account_id = ?2),"
        " (SELECT until_ms FROM mutes u WHERE u.room_id = r.id AND u.account_id = ?2)"
        " FROM rooms r WHERE r.id = ?1");
    q->bind(1, id).bind(2, account);
    if (!q->step()) return std::nullopt;
    PostingRules rules;
    rules.archived = q->int64(0) != 0;
    rules.locked = q->int64(1) != 0;
    rules.allowed_levels = protocol::levels_from_csv(q->text(2)).value_or(std::vector<Anonymity>{});
    rules.slow_mode_s = q->int64(3);
    rules.privacy_mode = protocol::privacy_mode_from_string(q->text(4)).value_or(protocol::PrivacyMode::block);
    if (!q->is_null(5)) rules.viewer_role = protocol::room_role_from_string(q->text(5));
    if (!q->is_null(6)) rules.muted_until = q->int64(6);
    if (keep) {
        if (rules_.size() >= kMaxKeptRules) rules_.clear();
        rules_.emplace(std::pair{id, account}, rules);
    }
    return rules;
}

std::vector<Room> SqliteStore::list_rooms(std::optional<AccountId> viewer) {
    auto reader = read_lease();
    std::vector<Room> out;
    auto q = reader.db.query(VB_ROOM_SELECT "ORDER BY r.name COLLATE NOCASE");
    q->bind(1, viewer);
    while (q->step()) out.push_back(read_room(*q));
    return out;
}

bool SqliteStore::remove_member(RoomId room, AccountId account) {
    std::lock_guard lock(mutex_);
    forget_rules_locked();
    auto q = db_->query("DELETE FROM room_members WHERE room_id = ?1 AND account_id = ?2");
    q->bind(1, room).bind(2, account);
    q->step();
    return db_->changes() > 0;
}

bool SqliteStore::is_member(RoomId room, AccountId account) {
    auto reader = read_lease();
    auto q = reader.db.query("SELECT 1 FROM room_members WHERE room_id = ?1 AND account_id = ?2");
    q->bind(1, room).bind(2, account);
    return q->step();
}

std::vector<RoomId> SqliteStore::rooms_of(AccountId account) {
    auto reader = read_lease();
    std::vector<RoomId> out;
    auto q = reader.db.query("SELECT room_id FROM room_members WHERE account_id = ?1 ORDER BY room_id");
    q->bind(1, account);
    while (q->step()) out.push_back(q->int64(0));
    return out;
}

std::optional<Message> SqliteStore::append_message(const NewMessage& message) {
    std::lock_guard lock(mutex_);
    const bool defer_index = group_ != nullptr;
    const std::size_t indexed_before = group_index_.size();
    try {
        Transaction tx(*db_);
        auto stored = append_locked(message, defer_index);
        if (stored && !stored->duplicate) tx.commit();
        return stored;
    } catch (...) {
        group_index_.resize(indexed_before);  // rolled back: nothing of it is to be indexed
        throw;
    }
}

void SqliteStore::index_message_locked(MessageId id, const std::string& body) {
    auto q = db_->query("INSERT INTO message_fts(rowid, title, body) VALUES (?1, '', ?2)");
    q->bind(1, id).bind(2, body);
    q->step();
}

std::optional<Message> SqliteStore::append_locked(const NewMessage& message, bool defer_index) {
    if (message.client_msg_id) {
        auto q = db_->query(VB_MESSAGE_SELECT "WHERE m.author_id = ?1 AND m.client_msg_id = ?2");
        q->bind(1, message.author_id).bind(2, *message.client_msg_id);
        if (q->step()) {
            auto earlier = read_message(*q);
            earlier.duplicate = true;
            return earlier;
        }
    }
    AccountId asker = message.author_id;
    if (message.thread_id) {
        auto q = db_->query("SELECT room_id, thread_id, author_id FROM messages WHERE id = ?1");
        q->bind(1, *message.thread_id);
        if (!q->step() || q->int64(0) != message.room_id || q->int64(1) != *message.thread_id)
            return std::nullopt;  // no such thread in this room
        asker = q->int64(2);
    }
    const Seq seq = next_seq_locked(message.room_id);
    int pseudonym = 0;
    if (message.thread_id && message.level != Anonymity::named && asker != message.author_id) {
        auto find = db_->query(
            "SELECT number FROM thread_pseudonyms WHERE thread_id = ?1 AND account_id = ?2");
        find->bind(1, *message.thread_id).bind(2, message.author_id);
        if (find->step()) {
            pseudonym = static_cast<int>(find->int64(0));
        } else {
            auto add = db_->query(
                "INSERT INTO thread_pseudonyms(thread_id, account_id, number) "
                "SELECT ?1, ?2, COALESCE(MAX(number), 0) + 1 FROM thread_pseudonyms "
                "WHERE thread_id = ?1 RETURNING number");
            add->bind(1, *message.thread_id).bind(2, message.author_id);
            add->step();
            pseudonym = static_cast<int>(add->int64(0));
        }
    }
    // The id is the one SQLite would choose (the largest plus one: an INTEGER PRIMARY KEY without
    // AUTOINCREMENT), taken first so that a new thread can name itself in its INSERT instead of a
    // second UPDATE. Read once per epoch (every post is inserted here), not with the INSERT:
    // an INSERT that selects from its own table has SQLite copy the selected row first.
    if (next_message_id_ == 0) {
        auto q = db_->query("SELECT COALESCE(MAX(id), 0) + 1 FROM messages");
        q->step();
        next_message_id_ = q->int64(0);
    }
    const MessageId id = next_message_id_;
    {
        auto q = db_->query(
            "INSERT INTO messages(id, room_id, seq, author_id, body, created_ms, level, thread_id, "
            "pseudonym, client_msg_id, kind) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, COALESCE(?8, ?1), ?9, ?10, ?11)");
        q->bind(1, id)
            .bind(2, message.room_id)
            .bind(3, seq)
            .bind(4, message.author_id)
            .bind(5, message.body)
            .bind(6, message.created_ms)
            .bind(7, protocol::to_string(message.level))
            .bind(8, message.thread_id)
            .bind(9, std::int64_t{pseudonym});
        if (message.client_msg_id) q->bind(10, *message.client_msg_id);
        else q->bind(10, std::nullopt);
        if (message.kind) q->bind(11, *message.kind);
        else q->bind(11, std::nullopt);
        q->step();
        next_message_id_ = id + 1;
    }
    bool answered_now = false;
    if (message.thread_id) {
        // A reply in a case: the case is active again, and answered once someone else replied.
        const bool by_other = asker != message.author_id;
        {
            auto q = db_->query("SELECT status FROM cases WHERE thread_id = ?1");
            q->bind(1, *message.thread_id);
            answered_now = by_other && q->step() && q->text(0) == "open";
        }
        auto q = db_->query(
            "UPDATE cases SET last_activity_ms = ?2, status = CASE WHEN ?3 THEN 'answered' ELSE status END "
            "WHERE thread_id = ?1");
        q->bind(1, *message.thread_id).bind(2, message.created_ms).bind(3, std::int64_t{answered_now});
        q->step();
    }
    if (defer_index) group_index_.emplace_back(id, message.body);
    else index_message_locked(id, message.body);
    if (message.session_id) {
        auto q = db_->query("INSERT INTO session_posts(message_id, session_id, step) VALUES (?1, ?2, ?3)");
        q->bind(1, id).bind(2, *message.session_id).bind(3, message.session_step);
        q->step();
    }
    // What reading the row back would give (a new post is not hidden, not marked helpful).
    std::optional<Message> stored;
    if (auto author = author_locked(message.author_id)) {
        Message m;
        m.id = id;
        m.room_id = message.room_id;
        m.seq = seq;
        m.author = std::move(*author);
        m.body = message.body;
        m.created_ms = message.created_ms;
        m.level = message.level;
        m.thread_id = message.thread_id.value_or(id);
        m.pseudonym = pseudonym;
        m.kind = message.kind;
        stored = std::move(m);
    }
    if (stored && answered_now)
        stored->events.push_back(record_event_locked(
            {message.room_id, 0, RoomEventKind::case_updated, std::nullopt, stored->thread_id, 0, "answered",
             message.created_ms}));
    return stored;
}

std::optional<Author> SqliteStore::author_locked(AccountId id) {
    check_kept_locked();
    if (auto it = authors_.find(id); it != authors_.end()) return it->second;
    auto q = db_->query(
        "SELECT a.handle, a.display_name, a.organisation_id, o.name, o.code FROM accounts a "
        "LEFT JOIN organisations o ON o.id = a.organisation_id WHERE a.id = ?1");
    q->bind(1, id);
    if (!q->step()) return std::nullopt;
    Author author{id, q->text(0), q->text(1), std::nullopt};
    if (!q->is_null(2)) author.organisation = Organisation{q->int64(2), q->text(3), q->text(4)};
    if (authors_.size() >= kMaxCachedAuthors) authors_.clear();
    authors_.emplace(id, author);
    return author;
}

std::optional<std::pair<Message, Case>> SqliteStore::create_case(const NewCase& c) {
    std::lock_guard lock(mutex_);
    Transaction tx(*db_);
    auto first = append_locked(c.first);
    if (!first) return std::nullopt;
    if (first->duplicate) {  // a retry: the case exists already
        auto existing = find_case_locked(first->thread_id);
        if (!existing) return std::nullopt;
        return std::pair{*first, *existing};
    }
    {
        auto q = db_->query(
            "INSERT INTO cases(thread_id, room_id, title, created_ms, last_activity_ms) "
            "VALUES (?1, ?2, ?3, ?4, ?4)");
        q->bind(1, first->id).bind(2, first->room_id).bind(3, c.title).bind(4, first->created_ms);
        q->step();
    }
    for (const auto& tag : c.tags) {
        auto q = db_->query("INSERT OR IGNORE INTO case_tags(thread_id, tag) VALUES (?1, ?2)");
        q->bind(1, first->id).bind(2, tag);
        q->step();
    }
    {
        auto q = db_->query("UPDATE message_fts SET title = ?2 WHERE rowid = ?1");
        q->bind(1, first->id).bind(2, c.title);
        q->step();
    }
    first->events.push_back(record_event_locked(
        {first->room_id, 0, RoomEventKind::case_updated, std::nullopt, first->id, 0, "open", first->created_ms}));
    auto created = find_case_locked(first->id);
    tx.commit();
    return std::pair{*first, *created};
}

std::optional<Case> SqliteStore::find_case_locked(MessageId thread_id) {
    auto q = db_->query("SELECT " VB_CASE_COLUMNS
                        "FROM cases c JOIN messages m ON m.id = c.thread_id WHERE c.thread_id = ?1");
    q->bind(1, thread_id);
    if (!q->step()) return std::nullopt;
    return read_case(*q);
}

std::optional<Case> SqliteStore::find_case(MessageId thread_id) {
    std::lock_guard lock(mutex_);
    return find_case_locked(thread_id);
}

std::vector<Case> SqliteStore::list_cases(const CaseQuery& query) {
    auto reader = read_lease();
    std::vector<Case> out;
    auto q = reader.db.query(
        "SELECT " VB_CASE_COLUMNS
        ", (SELECT COUNT(*) FROM messages u WHERE u.thread_id = c.thread_id AND u.author_id != ?9 AND u.seq > "
        "COALESCE((SELECT seq FROM read_markers k WHERE k.account_id = ?9 AND k.room_id = c.room_id), 0)) "
        "FROM cases c JOIN messages m ON m.id = c.thread_id "
        "WHERE c.room_id = ?1 AND (?2 IS NULL OR c.status = ?2) "
        "AND (?3 IS NULL OR EXISTS (SELECT 1 FROM case_tags t WHERE t.thread_id = c.thread_id AND t.tag = ?3)) "
        "AND (?4 IS NULL OR m.author_id = ?4) AND (?5 = 0 OR c.status = 'open') "
        "ORDER BY CASE WHEN ?6 THEN c.last_activity_ms ELSE c.created_ms END DESC, c.thread_id DESC "
        "LIMIT ?7 OFFSET ?8");
    q->bind(1, query.room_id);
    if (query.status) q->bind(2, *query.status);
    else q->bind(2, std::nullopt);
    if (query.tag) q->bind(3, *query.tag);
    else q->bind(3, std::nullopt);
    q->bind(4, query.asked_by)
        .bind(5, std::int64_t{query.unanswered})
        .bind(6, std::int64_t{query.by_activity})
        .bind(7, std::int64_t{query.limit})
        .bind(8, std::int64_t{query.offset})
        .bind(9, query.viewer);
    while (q->step()) {
        out.push_back(read_case(*q));
        out.back().unread = q->int64(12);
    }
    return out;
}

std::vector<Message> SqliteStore::thread_messages(MessageId thread_id) {
    auto reader = read_lease();
    std::vector<Message> out;
    auto q = reader.db.query(VB_MESSAGE_SELECT "WHERE m.thread_id = ?1 ORDER BY m.seq");
    q->bind(1, thread_id);
    while (q->step()) out.push_back(read_message(*q));
    return out;
}

std::vector<SessionPost> SqliteStore::session_posts(SessionId session) {
    auto reader = read_lease();
    std::vector<SessionPost> out;
    auto q = reader.db.query("SELECT " VB_MESSAGE_COLUMNS ", sp.step FROM session_posts sp JOIN messages m ON m.id = sp.message_id "
                        VB_MESSAGE_JOINS "WHERE sp.session_id = ?1 ORDER BY m.seq");
    q->bind(1, session);
    while (q->step()) out.push_back({read_message(*q), q->int64(kMessageColumns)});
    return out;
}

std::vector<SearchHit> SqliteStore::search(AccountId viewer, const std::string& match,
                                           std::optional<RoomId> room, int limit, int offset) {
    auto reader = read_lease();
    std::vector<SearchHit> out;
    auto q = reader.db.query(
        "SELECT " VB_MESSAGE_COLUMNS ", c.title, snippet(message_fts, 1, '[', ']', '…', 12) "
        "FROM message_fts JOIN messages m ON m.id = message_fts.rowid " VB_MESSAGE_JOINS
        "LEFT JOIN cases c ON c.thread_id = m.thread_id "
        "WHERE message_fts MATCH ?1 AND m.hidden_reason IS NULL "
        "AND m.room_id IN (SELECT room_id FROM room_members WHERE account_id = ?2) "
        "AND (?3 IS NULL OR m.room_id = ?3) "
        "ORDER BY bm25(message_fts, 2.0, 1.0) LIMIT ?4 OFFSET ?5");
    q->bind(1, match).bind(2, viewer).bind(3, room).bind(4, std::int64_t{limit}).bind(5, std::int64_t{offset});
    while (q->step()) {
        SearchHit hit{read_message(*q), std::nullopt, q->text(kMessageColumns + 1)};
        if (!q->is_null(kMessageColumns)) hit.case_title = q->text(kMessageColumns);
        out.push_back(std::move(hit));
    }
    return out;
}

std::vector<Case> SqliteStore::similar_cases(AccountId viewer, const std::string& match,
                                             std::optional<RoomId> room, int limit) {
    auto reader = read_lease();
    std::vector<Case> out;
    auto q = reader.db.query(
        "SELECT " VB_CASE_COLUMNS
        "FROM message_fts JOIN cases c ON c.thread_id = message_fts.rowid "
        "JOIN messages m ON m.id = c.thread_id "
        "WHERE message_fts MATCH ?1 AND m.hidden_reason IS NULL "
        "AND c.room_id IN (SELECT room_id FROM room_members WHERE account_id = ?2) "
        "AND (?3 IS NULL OR c.room_id = ?3) "
        "ORDER BY bm25(message_fts, 2.0, 1.0) LIMIT ?4");
    q->bind(1, match).bind(2, viewer).bind(3, room).bind(4, std::int64_t{limit});
    while (q->step()) out.push_back(read_case(*q));
    return out;
}

std::optional<Message> SqliteStore::find_by_client_msg_id(AccountId author, const std::string& client_msg_id) {
    auto reader = read_lease();
    auto q = reader.db.query(VB_MESSAGE_SELECT "WHERE m.author_id = ?1 AND m.client_msg_id = ?2");
    q->bind(1, author).bind(2, client_msg_id);
    if (!q->step()) return std::nullopt;
    return read_message(*q);
}

std::optional<AccountExport> SqliteStore::export_account(AccountId account) {
    auto reader = read_lease();
    AccountExport out;
    {
        auto q = reader.db.query(VB_ACCOUNT_SELECT "WHERE a.id = ?1");
        q->bind(1, account);
        if (!q->step()) return std::nullopt;
        out.account = read_account(*q);
    }
    {
        auto q = reader.db.query(VB_MESSAGE_SELECT "WHERE m.author_id = ?1 ORDER BY m.id");
        q->bind(1, account);
        while (q->step()) out.messages.push_back(read_message(*q));
    }
    auto q = reader.db.query("SELECT " VB_CASE_COLUMNS
                        "FROM cases c JOIN messages m ON m.id = c.thread_id WHERE m.author_id = ?1 ORDER BY c.thread_id");
    q->bind(1, account);
    while (q->step()) out.cases.push_back(read_case(*q));
    return out;
}

std::optional<Message> SqliteStore::find_message(MessageId id) {
    auto reader = read_lease();
    auto q = reader.db.query(VB_MESSAGE_SELECT "WHERE m.id = ?1");
    q->bind(1, id);
    if (!q->step()) return std::nullopt;
    return read_message(*q);
}

void SqliteStore::set_read(AccountId account, RoomId room, Seq seq) {
    std::lock_guard lock(mutex_);
    auto q = db_->query(
        "INSERT INTO read_markers(account_id, room_id, seq) "
        "SELECT ?1, ?2, MIN(?3, last_seq) FROM rooms WHERE id = ?2 "
        "ON CONFLICT(account_id, room_id) DO UPDATE SET seq = MAX(seq, excluded.seq)");
    q->bind(1, account).bind(2, room).bind(3, seq);
    q->step();
}

std::vector<std::pair<AccountId, std::string>> SqliteStore::members_by_handle(
    RoomId room, const std::vector<std::string>& handles) {
    auto reader = read_lease();
    std::vector<std::pair<AccountId, std::string>> out;
    for (const auto& handle : handles) {
        auto q = reader.db.query(
            "SELECT a.id FROM accounts a JOIN room_members m ON m.account_id = a.id "
            "WHERE a.handle = ?1 AND m.room_id = ?2 AND a.disabled = 0");
        q->bind(1, handle).bind(2, room);
        if (q->step()) out.emplace_back(q->int64(0), handle);
    }
    return out;
}

void SqliteStore::set_mute(RoomId room, AccountId account, TimestampMs until_ms) {
    std::lock_guard lock(mutex_);
    forget_rules_locked();
    auto q = db_->query(
        "INSERT INTO mutes(room_id, account_id, until_ms) VALUES (?1, ?2, ?3) "
        "ON CONFLICT(room_id, account_id) DO UPDATE SET until_ms = excluded.until_ms");
    q->bind(1, room).bind(2, account).bind(3, until_ms);
    q->step();
}

void SqliteStore::set_ban(RoomId room, AccountId account, TimestampMs until_ms) {
    std::lock_guard lock(mutex_);
    auto q = db_->query(
        "INSERT INTO room_bans(room_id, account_id, until_ms) VALUES (?1, ?2, ?3) "
        "ON CONFLICT(room_id, account_id) DO UPDATE SET until_ms = excluded.until_ms");
    q->bind(1, room).bind(2, account).bind(3, until_ms);
    q->step();
}

std::optional<TimestampMs> SqliteStore::ban_until(RoomId room, AccountId account) {
    auto reader = read_lease();
    auto q = reader.db.query("SELECT until_ms FROM room_bans WHERE room_id = ?1 AND account_id = ?2");
    q->bind(1, room).bind(2, account);
    if (!q->step()) return std::nullopt;
    return q->int64(0);
}

Reveal SqliteStore::create_reveal(MessageId message, AccountId requested_by,
                                  const std::string& reason, TimestampMs now) {
    std::lock_guard lock(mutex_);
    auto q = db_->query(
        "INSERT INTO reveal_requests(message_id, requested_by, reason, created_ms) "
        "VALUES (?1, ?2, ?3, ?4)");
    q->bind(1, message).bind(2, requested_by).bind(3, reason).bind(4, now);
    q->step();
    return Reveal{db_->last_insert_rowid(), message, requested_by, reason, now, std::nullopt};
}

std::optional<Reveal> SqliteStore::find_reveal(std::int64_t id) {
    auto reader = read_lease();
    auto q = reader.db.query(
        "SELECT id, message_id, requested_by, reason, created_ms, approved_by "
        "FROM reveal_requests WHERE id = ?1");
    q->bind(1, id);
    if (!q->step()) return std::nullopt;
    Reveal r{q->int64(0), q->int64(1), q->int64(2), q->text(3), q->int64(4), std::nullopt};
    if (!q->is_null(5)) r.approved_by = q->int64(5);
    return r;
}

bool SqliteStore::approve_reveal(std::int64_t id, AccountId approver, TimestampMs now) {
    std::lock_guard lock(mutex_);
    auto q = db_->query(
        "UPDATE reveal_requests SET approved_by = ?2, approved_ms = ?3 "
        "WHERE id = ?1 AND approved_by IS NULL");
    q->bind(1, id).bind(2, approver).bind(3, now);
    q->step();
    return db_->changes() > 0;
}

void SqliteStore::add_notice(AccountId account, const StoredNotice& notice) {
    std::lock_guard lock(mutex_);
    auto q = db_->query(
        "INSERT INTO notices(account_id, kind, message_id, reason, created_ms) "
        "VALUES (?1, ?2, ?3, ?4, ?5)");
    q->bind(1, account)
        .bind(2, notice.kind)
        .bind(3, notice.message_id)
        .bind(4, notice.reason)
        .bind(5, notice.created_ms);
    q->step();
}

std::vector<StoredNotice> SqliteStore::take_notices(AccountId account) {
    std::lock_guard lock(mutex_);
    Transaction tx(*db_);
    std::vector<StoredNotice> out;
    {
        auto q = db_->query(
            "SELECT kind, message_id, reason, created_ms FROM notices "
            "WHERE account_id = ?1 AND delivered = 0 ORDER BY id");
        q->bind(1, account);
        while (q->step()) out.push_back({q->text(0), q->int64(1), q->text(2), q->int64(3)});
    }
    if (!out.empty()) {
        auto q = db_->query("UPDATE notices SET delivered = 1 WHERE account_id = ?1 AND delivered = 0");
        q->bind(1, account);
        q->step();
    }
    tx.commit();
    return out;
}

void SqliteStore::append_audit(const AuditEntry& entry) {
    std::lock_guard lock(mutex_);
    auto q = db_->query(
        "INSERT INTO audit_log(ts_ms, actor_id, action, target, reason, room_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
    q->bind(1, entry.ts_ms)
        .bind(2, entry.actor_id)
        .bind(3, entry.action)
        .bind(4, entry.target)
        .bind(5, entry.reason)
        .bind(6, entry.room_id);
    q->step();
}

std::vector<AuditEntry> SqliteStore::list_audit(const AuditQuery& query) {
    auto reader = read_lease();
    std::vector<AuditEntry> out;
    auto q = reader.db.query(
        "SELECT id, ts_ms, actor_id, action, target, reason, room_id FROM audit_log "
        "WHERE (?2 IS NULL OR room_id = ?2) AND (?3 IS NULL OR id < ?3) ORDER BY id DESC LIMIT ?1");
    q->bind(1, std::int64_t{query.limit}).bind(2, query.room_id).bind(3, query.before);
    while (q->step()) {
        AuditEntry e{q->int64(0), q->int64(1), std::nullopt, q->text(3), q->text(4), q->text(5)};
        if (!q->is_null(2)) e.actor_id = q->int64(2);
        if (!q->is_null(6)) e.room_id = q->int64(6);
        out.push_back(std::move(e));
    }
    return out;
}

HistoryPage SqliteStore::history(RoomId room, const HistoryQuery& query) {
    auto reader = read_lease();
    HistoryPage page;
    const std::int64_t fetch = static_cast<std::int64_t>(query.limit) + 1;  // one more tells has_more
    bool ascending = query.after.has_value();
    if (ascending) {
        auto q = reader.db.query(VB_MESSAGE_SELECT
                            "WHERE m.room_id = ?1 AND m.seq > ?2 ORDER BY m.seq ASC LIMIT ?3");
        q->bind(1, room).bind(2, *query.after).bind(3, fetch);
        while (q->step()) page.messages.push_back(read_message(*q));
    } else {
        auto q = reader.db.query(VB_MESSAGE_SELECT
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
        auto reader = read_lease();
        auto q = reader.db.query("SELECT 1");
        return q->step();
    } catch (const StorageError&) {
        return false;
    }
}

}  // namespace vraagbaak::storage
