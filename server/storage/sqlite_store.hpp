#pragma once
// The SQLite implementation of Store in WAL mode with synchronous=FULL, so a returned write
// survives a crash of the process or the machine. One writer connection takes every write (and
// the reads inside a write transaction), serialised by a mutex. Plain reads go to read-only
// connections of their own, each with its own mutex: WAL lets them read committed data while the
// writer works or waits for a lock, so a health probe, /metrics or a history page never queue
// behind a write. Connections are opened with SQLITE_OPEN_NOMUTEX because of the mutexes.

#include <array>
#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>

#include "storage/store.hpp"

namespace vraagbaak::storage {

namespace sqlite {
class Database;
class Transaction;
class Checkpointer;
}

struct SqliteOptions {
    std::string path;
    int busy_timeout_ms = 5000;
    // Copy the file to PATH.before-vN.bak before migrating it to schema N.
    bool backup_before_migration = true;
    // Run quick_check when opening and refuse a damaged database.
    bool check_on_open = true;
    // A cap on the file's size in pages (0: none): writes beyond it fail as a full disk would.
    std::int64_t max_page_count = 0;
    // A registered SQLite VFS to use instead of the default (tests inject I/O errors this way).
    std::string vfs;
};

class SqliteStore final : public Store {
public:
    // Opens (creating if needed) and migrates. Throws StorageError when the file cannot be
    // opened, is not a database, or has a newer schema.
    explicit SqliteStore(const SqliteOptions& options);
    ~SqliteStore() override;

    void begin_group() override;
    void commit_group() override;

    std::optional<Organisation> create_organisation(std::string_view name, std::string_view code,
                                                    TimestampMs now) override;
    std::vector<Organisation> list_organisations() override;
    std::optional<Account> create_account(const NewAccount& account) override;
    std::optional<Account> find_account(AccountId id) override;
    std::optional<Account> find_account_by_handle(std::string_view handle) override;
    std::vector<Account> list_accounts() override;
    std::int64_t count_accounts() override;
    std::optional<Organisation> find_organisation(OrganisationId id) override;
    std::optional<Organisation> find_organisation_by_code(std::string_view code) override;
    bool set_role(AccountId account, Role role) override;
    bool set_disabled(AccountId account, bool disabled) override;
    bool set_password_hash(AccountId account, const std::string& hash) override;

    void create_session(AccountId account, const std::string& token_hash, TimestampMs created_ms,
                        TimestampMs expires_ms) override;
    std::optional<AuthSession> find_session(const std::string& token_hash) override;
    bool revoke_session(const std::string& token_hash) override;
    int revoke_sessions_of(AccountId account) override;

    Invite create_invite(OrganisationId organisation, const std::string& code_hash, int max_uses,
                         TimestampMs expires_ms, std::optional<AccountId> created_by,
                         TimestampMs now) override;
    std::vector<Invite> list_invites() override;
    bool revoke_invite(std::int64_t invite_id) override;
    std::variant<Account, InviteProblem> redeem_invite(const std::string& code_hash,
                                                       NewAccount account,
                                                       TimestampMs now) override;

    std::optional<Room> create_room(const NewRoom& room) override;
    std::optional<Room> find_room(RoomId id, std::optional<AccountId> viewer) override;
    std::optional<Room> find_room_settings(RoomId id, AccountId viewer) override;
    std::optional<PostingRules> posting_rules(RoomId id, AccountId account) override;
    std::vector<Room> list_rooms(std::optional<AccountId> viewer) override;

    std::optional<RoomEvent> add_member(RoomId room, AccountId account, TimestampMs now,
                                        RoomRole role = RoomRole::member) override;
    std::optional<RoomEvent> leave_room(RoomId room, AccountId account, TimestampMs now) override;
    bool remove_member(RoomId room, AccountId account) override;
    bool is_member(RoomId room, AccountId account) override;
    std::vector<RoomId> rooms_of(AccountId account) override;

    std::optional<Message> append_message(const NewMessage& message) override;
    std::optional<Message> find_message(MessageId id) override;
    std::optional<Message> find_by_client_msg_id(AccountId author, const std::string& client_msg_id) override;
    HistoryPage history(RoomId room, const HistoryQuery& query) override;
    std::vector<RoomEvent> room_events(RoomId room, Seq after, Seq up_to) override;

    std::optional<std::pair<Message, Case>> create_case(const NewCase& c) override;
    std::optional<Case> find_case(MessageId thread_id) override;
    std::vector<Case> list_cases(const CaseQuery& query) override;
    std::vector<Message> thread_messages(MessageId thread_id) override;
    std::optional<RoomEvent> set_case_status(MessageId thread_id, const std::string& status,
                                             const std::string& outcome, const std::string& reflection,
                                             TimestampMs now) override;
    std::optional<RoomEvent> set_helpful(MessageId message, bool helpful, TimestampMs now) override;
    std::vector<SearchHit> search(AccountId viewer, const std::string& match,
                                  std::optional<RoomId> room, int limit, int offset) override;
    std::vector<Case> similar_cases(AccountId viewer, const std::string& match,
                                    std::optional<RoomId> room, int limit) override;

    void set_read(AccountId account, RoomId room, Seq seq) override;
    std::vector<std::pair<AccountId, std::string>> members_by_handle(
        RoomId room, const std::vector<std::string>& handles) override;

    void set_mute(RoomId room, AccountId account, TimestampMs until_ms) override;

    std::optional<RoomEvent> hide_message(MessageId message, const std::string& reason,
                                          TimestampMs now) override;
    void set_ban(RoomId room, AccountId account, TimestampMs until_ms) override;
    std::optional<TimestampMs> ban_until(RoomId room, AccountId account) override;

    std::optional<RoomEvent> update_room(RoomId room, const RoomChanges& changes, TimestampMs now) override;
    std::optional<RoomEvent> set_pinned(MessageId message, bool pinned, TimestampMs now) override;
    std::optional<RoomEvent> unhide_message(MessageId message, TimestampMs now) override;
    std::optional<RoomEvent> delete_message(MessageId message, TimestampMs now) override;
    std::optional<RoomRole> room_role(RoomId room, AccountId account) override;
    std::optional<RoomEvent> set_room_role(RoomId room, AccountId account, RoomRole role, TimestampMs now) override;
    RoomInvite create_room_invite(RoomId room, const std::string& code_hash, int max_uses, TimestampMs expires_ms,
                                  AccountId created_by, TimestampMs now) override;
    std::optional<InviteProblem> use_room_invite(RoomId room, const std::string& code_hash, TimestampMs now) override;
    StoredReport create_report(const StoredReport& report) override;
    std::optional<StoredReport> find_report(std::int64_t id) override;
    std::vector<StoredReport> list_reports(const std::optional<std::vector<RoomId>>& rooms,
                                           const std::optional<std::string>& status) override;
    void update_report(std::int64_t id, const std::string& status, std::optional<AccountId> claimed_by,
                       const std::string& outcome, TimestampMs now) override;
    bool set_banned_until(AccountId account, std::optional<TimestampMs> until_ms) override;
    int purge_expired_cases(TimestampMs now) override;
    std::optional<AccountExport> export_account(AccountId account) override;
    bool erase_account(AccountId account, bool delete_posts, TimestampMs now) override;

    Reveal create_reveal(MessageId message, AccountId requested_by, const std::string& reason,
                         TimestampMs now) override;
    std::optional<Reveal> find_reveal(std::int64_t id) override;
    bool approve_reveal(std::int64_t id, AccountId approver, TimestampMs now) override;

    void add_notice(AccountId account, const StoredNotice& notice) override;
    std::vector<StoredNotice> take_notices(AccountId account) override;

    void append_audit(const AuditEntry& entry) override;
    std::vector<AuditEntry> list_audit(const AuditQuery& query) override;

    std::pair<StoredSession, RoomEvent> create_session(const NewSession& session) override;
    std::optional<StoredSession> find_session(SessionId id) override;
    std::vector<StoredSession> list_sessions(RoomId room, bool include_ended) override;
    std::vector<StoredSession> running_sessions() override;
    std::optional<StoredSession> last_ended_session(RoomId room) override;
    std::vector<AccountId> signed_up_accounts(SessionId session) override;
    void set_signed_up(SessionId session, AccountId account, bool signed_up, TimestampMs now) override;
    std::optional<RoomEvent> set_session_progress(SessionId session, const SessionProgress& progress,
                                                  TimestampMs now) override;
    std::pair<std::int64_t, bool> add_sealed_post(const NewMessage& message) override;
    bool has_sealed_post(AccountId author, const std::string& client_msg_id) override;
    std::vector<Message> reveal_sealed_posts(SessionId session, std::int64_t step) override;
    std::vector<SessionPost> session_posts(SessionId session) override;
    std::vector<AttendanceRow> attendance(SessionId session) override;
    void set_summary(SessionId session, MessageId case_id, const std::string& markdown) override;
    std::optional<std::string> summary(SessionId session, MessageId case_id) override;

    bool healthy() override;

    int schema_version();
    // Whether a write transaction can be taken now (readiness).
    bool writable();
    // The database file's size in bytes (page count × page size).
    std::int64_t database_bytes();

private:
    struct Reader {
        std::recursive_mutex mutex;
        std::unique_ptr<sqlite::Database> db;
    };
    // A read connection for one call: a free one if there is, else the next in turn. An
    // in-memory database has no second connection: reads then share the writer's.
    struct ReadLease {
        std::unique_lock<std::recursive_mutex> lock;  // a reader's, or the writer's for :memory:
        sqlite::Database& db;
    };
    ReadLease read_lease();

    std::optional<Account> insert_account(const NewAccount& account);  // caller holds the lock
    // append_message's work; the caller holds the lock and a transaction.
    // `defer_index`: the full-text row is added at the group's COMMIT (group_index_) instead.
    std::optional<Message> append_locked(const NewMessage& message, bool defer_index = false);
    // An account as its posts show it (lock held); from authors_ when it is there.
    std::optional<Author> author_locked(AccountId id);
    // Adds a message's body to the full-text index (lock held, in a transaction).
    void index_message_locked(MessageId id, const std::string& body);
    std::optional<Case> find_case_locked(MessageId thread_id);
    // Takes the room's next seq and stores the event; the caller holds the lock and a
    // transaction. Fills in seq, thread_id and member.
    RoomEvent record_event_locked(RoomEvent event);
    // One change and its room event in one transaction: `change` runs the statement and returns
    // the room it touched (nullopt: nothing changed, nothing is recorded).
    std::optional<RoomEvent> change_and_record(const std::function<std::optional<RoomId>()>& change, RoomEvent event);
    Seq next_seq_locked(RoomId room);
    // Sessions a statement selects (a literal with one parameter, ?1 = arg), with their agenda;
    // lock held.
    std::vector<StoredSession> sessions_where_locked(const char* sql, std::int64_t arg);
    void fill_session_cases_locked(StoredSession& session);
    RoomEvent record_session_event_locked(const StoredSession& session, TimestampMs now);
    // After a deletion: rebuild the full-text index and truncate the WAL (lock held, no
    // transaction open).
    void scrub_locked();
    // Throws a StorageError that says what to do when quick_check finds damage.
    void check_not_damaged(const std::string& path);

    // Recursive: a commit group holds it from begin_group() to commit_group(), across the
    // write methods its thread calls in between.
    std::recursive_mutex mutex_;
    std::unique_ptr<sqlite::Database> db_;
    std::unique_ptr<sqlite::Checkpointer> checkpointer_;  // of db_'s log, off the writer's thread
    std::unique_ptr<sqlite::Transaction> group_;  // the open commit group, if any
    // The thread that holds the open group (none while there is none). Its reads use the writer:
    // that connection is in a transaction already, where a reader would open one per query
    // (a few microseconds each, several per post), and it sees the group's own posts.
    std::atomic<std::thread::id> group_thread_{};
    // The group's posts still to be added to the full-text index, added just before its COMMIT.
    // FTS5 writes out its pending terms at every savepoint it takes part in; a post indexed
    // inside its own savepoint cost a new index segment per post (about 25 µs of a post's ~45 µs
    // of SQLite time), one batch per COMMIT costs one segment per group.
    std::vector<std::pair<MessageId, std::string>> group_index_;
    // Authors by account, as append_locked returns them with each new post (reading the post
    // back for them was about a fifteenth of the store's work per post). Names and organisation
    // change only when erase_account erases them, which empties this, as does a new epoch (a
    // rolled-back group's posts may have read an erasure that did not happen). Under mutex_.
    std::unordered_map<AccountId, Author> authors_;
    // Each room's last seq and the next message id, as this connection last read or wrote them
    // (taking a seq was an UPDATE and a SELECT, the id a SELECT, for every post). Good while
    // db_'s epoch is kept_epoch_: a rollback or another process's write empties them, and
    // authors_ and rules_ with them. Under mutex_.
    std::unordered_map<RoomId, Seq> last_seqs_;
    MessageId next_message_id_ = 0;  // 0: not known
    std::uint64_t kept_epoch_ = 0;
    // The rules a post is checked against, by room and account, as read through the writer
    // (inside a commit group, or for an in-memory database), under mutex_ as every write is: each
    // post of a group read them anew (a twelfth of a durable post's CPU). Emptied with the kept
    // seqs and by every write to a room's settings, its members and their roles, or its mutes.
    struct RoomAccountHash {
        std::size_t operator()(const std::pair<RoomId, AccountId>& key) const noexcept {
            return std::hash<std::uint64_t>()(static_cast<std::uint64_t>(key.first) * 1000003u ^
                                              static_cast<std::uint64_t>(key.second));
        }
    };
    std::unordered_map<std::pair<RoomId, AccountId>, PostingRules, RoomAccountHash> rules_;
    // Empties what is kept above when db_'s epoch has moved on (lock held).
    void check_kept_locked();
    void forget_rules_locked() { rules_.clear(); }
    std::array<Reader, 2> readers_;
    std::atomic<unsigned> next_reader_{0};
};

}  // namespace vraagbaak::storage
