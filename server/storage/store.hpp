#pragma once
// The storage interface: the operations the core needs, in domain types. Nothing of SQLite
// shows here, so the core can be tested against a fake and the engine could be swapped.
//
// Contract for every implementation:
// - Expected outcomes (not found, name taken, already a member) are return values.
// - Unexpected failures (I/O error, disk full, database busy past its timeout, corruption) throw
//   StorageError; the operation then had no effect. The core turns it into a typed reply.
// - Every member function may be called from any thread; implementations serialise internally.
// - A write has been committed durably when the call returns.

#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "storage/records.hpp"

namespace vraagbaak::storage {

class StorageError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

class Store {
public:
    virtual ~Store() = default;

    // Group commit, for the core thread: every write between begin_group() and commit_group()
    // joins one transaction, so one COMMIT (one fsync) makes them all durable. commit_group()
    // throws StorageError when that COMMIT fails, and then none of them happened. Writes from
    // other threads wait until the group is committed.
    virtual void begin_group() {}
    virtual void commit_group() {}

    // Organisations and accounts.
    virtual std::optional<Organisation> create_organisation(std::string_view name,
                                                            std::string_view code,
                                                            TimestampMs now) = 0;
    virtual std::vector<Organisation> list_organisations() = 0;
    // nullopt when the handle is taken.
    virtual std::optional<Account> create_account(const NewAccount& account) = 0;
    virtual std::optional<Account> find_account(AccountId id) = 0;
    virtual std::optional<Account> find_account_by_handle(std::string_view handle) = 0;
    virtual std::vector<Account> list_accounts() = 0;
    virtual std::int64_t count_accounts() = 0;
    virtual std::optional<Organisation> find_organisation(OrganisationId id) = 0;
    virtual std::optional<Organisation> find_organisation_by_code(std::string_view code) = 0;
    // Each returns false when there is no such account.
    virtual bool set_role(AccountId account, Role role) = 0;
    virtual bool set_disabled(AccountId account, bool disabled) = 0;
    virtual bool set_password_hash(AccountId account, const std::string& hash) = 0;

    // Session tokens; only their hashes are stored.
    virtual void create_session(AccountId account, const std::string& token_hash,
                                TimestampMs created_ms, TimestampMs expires_ms) = 0;
    virtual std::optional<AuthSession> find_session(const std::string& token_hash) = 0;
    virtual bool revoke_session(const std::string& token_hash) = 0;
    // Returns how many live sessions were revoked.
    virtual int revoke_sessions_of(AccountId account) = 0;

    // Invites; only code hashes are stored.
    virtual Invite create_invite(OrganisationId organisation, const std::string& code_hash,
                                 int max_uses, TimestampMs expires_ms,
                                 std::optional<AccountId> created_by, TimestampMs now) = 0;
    virtual std::vector<Invite> list_invites() = 0;
    virtual bool revoke_invite(std::int64_t invite_id) = 0;
    // Checks the invite and the handle and creates the account in the invite's organisation,
    // all in one transaction. The account's organisation_id is taken from the invite.
    virtual std::variant<Account, InviteProblem> redeem_invite(const std::string& code_hash,
                                                               NewAccount account,
                                                               TimestampMs now) = 0;

    // Rooms. Names are unique regardless of ASCII case; nullopt when taken.
    virtual std::optional<Room> create_room(const NewRoom& room) = 0;
    virtual std::optional<Room> find_room(RoomId id, std::optional<AccountId> viewer) = 0;
    // The room's settings and the viewer's membership and role, without the parts that grow with
    // the room (member_count, read_seq, unread and pinned are left empty): what a history page needs.
    virtual std::optional<Room> find_room_settings(RoomId id, AccountId viewer) = 0;
    // Everything that decides whether the account may post in the room now, in one lookup (every
    // post asks); nullopt when there is no such room.
    virtual std::optional<PostingRules> posting_rules(RoomId id, AccountId account) = 0;
    virtual std::vector<Room> list_rooms(std::optional<AccountId> viewer) = 0;

    // Membership is persistent: it outlives connections. add_member and leave_room record a
    // member_joined / member_left event and return it; nullopt when nothing changed.
    // remove_member records nothing (a ban: the room must not learn who was removed) and
    // returns whether anything changed.
    virtual std::optional<RoomEvent> add_member(RoomId room, AccountId account, TimestampMs now,
                                                RoomRole role = RoomRole::member) = 0;
    virtual std::optional<RoomEvent> leave_room(RoomId room, AccountId account, TimestampMs now) = 0;
    virtual bool remove_member(RoomId room, AccountId account) = 0;
    virtual bool is_member(RoomId room, AccountId account) = 0;
    virtual std::vector<RoomId> rooms_of(AccountId account) = 0;

    // Appends a message and assigns the room's next sequence number in the same transaction,
    // so sequence numbers are strictly increasing without gaps. The room must exist.
    // Also assigns the thread and the author's pseudonym in it. When thread_id names no first
    // message of the room, nothing is stored and nullopt returned. When the author already
    // posted with the same client_msg_id, nothing is stored and that message is returned with
    // `duplicate` set (the check and the insert share one transaction).
    virtual std::optional<Message> append_message(const NewMessage& message) = 0;
    virtual std::optional<Message> find_message(MessageId id) = 0;
    // The author's message with this client-chosen id, if one was stored.
    virtual std::optional<Message> find_by_client_msg_id(AccountId author, const std::string& client_msg_id) = 0;
    virtual HistoryPage history(RoomId room, const HistoryQuery& query) = 0;
    // The room events with after < seq <= up_to, ascending.
    virtual std::vector<RoomEvent> room_events(RoomId room, Seq after, Seq up_to) = 0;

    // Cases. create_case stores the first message, the case and its case_updated event (in the
    // message's `events`) in one transaction.
    virtual std::optional<std::pair<Message, Case>> create_case(const NewCase& c) = 0;
    virtual std::optional<Case> find_case(MessageId thread_id) = 0;
    virtual std::vector<Case> list_cases(const CaseQuery& query) = 0;
    virtual std::vector<Message> thread_messages(MessageId thread_id) = 0;
    // Both record a room event (case_updated, helpful_marked) and return it; nullopt when there
    // is no such case or message.
    virtual std::optional<RoomEvent> set_case_status(MessageId thread_id, const std::string& status,
                                                     const std::string& outcome,
                                                     const std::string& reflection, TimestampMs now) = 0;
    virtual std::optional<RoomEvent> set_helpful(MessageId message, bool helpful, TimestampMs now) = 0;

    // Full-text search over messages in rooms the account is a member of, best first; hidden
    // messages are left out. `match` is an FTS5 expression built by the caller from quoted terms.
    virtual std::vector<SearchHit> search(AccountId viewer, const std::string& match,
                                          std::optional<RoomId> room, int limit, int offset) = 0;
    // Cases whose title and first message match best, for "asked before?".
    virtual std::vector<Case> similar_cases(AccountId viewer, const std::string& match,
                                            std::optional<RoomId> room, int limit) = 0;

    // Read markers. set_read only moves forward and never past the room's newest seq.
    virtual void set_read(AccountId account, RoomId room, Seq seq) = 0;
    // The handles among `handles` that belong to members of the room, with their ids.
    virtual std::vector<std::pair<AccountId, std::string>> members_by_handle(
        RoomId room, const std::vector<std::string>& handles) = 0;

    // Mutes: an account may not post in a room until a time (posting_rules tells).
    virtual void set_mute(RoomId room, AccountId account, TimestampMs until_ms) = 0;

    // Hides a message from everyone but its author and records message_hidden; nullopt when
    // there is no such message.
    virtual std::optional<RoomEvent> hide_message(MessageId message, const std::string& reason,
                                                  TimestampMs now) = 0;
    // Bans: an account may not join a room until a time (INT64_MAX: for good).
    virtual void set_ban(RoomId room, AccountId account, TimestampMs until_ms) = 0;
    virtual std::optional<TimestampMs> ban_until(RoomId room, AccountId account) = 0;

    // Moderation (sqlite_moderation.cpp). Each change that the room can see records a room
    // event and returns it; nullopt when there is no such room or message (or, for update_room,
    // when the new name is taken).
    virtual std::optional<RoomEvent> update_room(RoomId room, const RoomChanges& changes, TimestampMs now) = 0;
    virtual std::optional<RoomEvent> set_pinned(MessageId message, bool pinned, TimestampMs now) = 0;
    virtual std::optional<RoomEvent> unhide_message(MessageId message, TimestampMs now) = 0;
    // Clears the text for good (and from search); a tombstone stays.
    virtual std::optional<RoomEvent> delete_message(MessageId message, TimestampMs now) = 0;
    // nullopt when the account is not a member.
    virtual std::optional<RoomRole> room_role(RoomId room, AccountId account) = 0;
    // Makes the account a member if needed (returning that member_joined) and sets its role.
    virtual std::optional<RoomEvent> set_room_role(RoomId room, AccountId account, RoomRole role, TimestampMs now) = 0;
    virtual RoomInvite create_room_invite(RoomId room, const std::string& code_hash, int max_uses,
                                          TimestampMs expires_ms, AccountId created_by, TimestampMs now) = 0;
    // Counts one use of a valid invite of this room; the problem otherwise.
    virtual std::optional<InviteProblem> use_room_invite(RoomId room, const std::string& code_hash, TimestampMs now) = 0;
    virtual StoredReport create_report(const StoredReport& report) = 0;
    virtual std::optional<StoredReport> find_report(std::int64_t id) = 0;
    // Newest first; `rooms` absent: every room. `status` absent: open and claimed.
    virtual std::vector<StoredReport> list_reports(const std::optional<std::vector<RoomId>>& rooms,
                                                   const std::optional<std::string>& status) = 0;
    virtual void update_report(std::int64_t id, const std::string& status, std::optional<AccountId> claimed_by,
                               const std::string& outcome, TimestampMs now) = 0;
    // Privacy (sqlite_privacy.cpp). Each deletion is real: secure_delete overwrites freed pages,
    // the full-text index is optimized and the WAL checkpointed and truncated, so the text is in
    // no database file afterwards.
    // Deletes closed cases whose room's retention has passed, with their replies; returns how
    // many cases went.
    virtual int purge_expired_cases(TimestampMs now) = 0;
    virtual std::optional<AccountExport> export_account(AccountId account) = 0;
    // Removes the identity: handle, name, organisation, password, sessions, memberships and
    // notices go; the row stays as an erased placeholder so posts keep a (nameless) author. With
    // delete_posts, their posts' text is deleted too (tombstones stay). False: no such account.
    virtual bool erase_account(AccountId account, bool delete_posts, TimestampMs now) = 0;

    // A ban from the whole service; nullopt lifts it. False when there is no such account.
    virtual bool set_banned_until(AccountId account, std::optional<TimestampMs> until_ms) = 0;

    // Four-eyes reveals.
    virtual Reveal create_reveal(MessageId message, AccountId requested_by,
                                 const std::string& reason, TimestampMs now) = 0;
    virtual std::optional<Reveal> find_reveal(std::int64_t id) = 0;
    // False when already approved.
    virtual bool approve_reveal(std::int64_t id, AccountId approver, TimestampMs now) = 0;

    // Notices waiting for an account's next login; take_notices marks them delivered.
    virtual void add_notice(AccountId account, const StoredNotice& notice) = 0;
    virtual std::vector<StoredNotice> take_notices(AccountId account) = 0;

    // The append-only audit log.
    virtual void append_audit(const AuditEntry& entry) = 0;
    virtual std::vector<AuditEntry> list_audit(const AuditQuery& query) = 0;

    // Network meetings (sqlite_sessions.cpp). Each change of a session records a session_updated
    // room event in the same transaction.
    virtual std::pair<StoredSession, RoomEvent> create_session(const NewSession& session) = 0;
    virtual std::optional<StoredSession> find_session(SessionId id) = 0;
    // Scheduled and running sessions of a room by start time (ended ones too when asked).
    virtual std::vector<StoredSession> list_sessions(RoomId room, bool include_ended) = 0;
    virtual std::vector<StoredSession> running_sessions() = 0;
    // The room's most recently ended session.
    virtual std::optional<StoredSession> last_ended_session(RoomId room) = 0;
    virtual std::vector<AccountId> signed_up_accounts(SessionId session) = 0;
    virtual void set_signed_up(SessionId session, AccountId account, bool signed_up, TimestampMs now) = 0;
    // Moves the session to `progress`; nullopt when the session is gone.
    virtual std::optional<RoomEvent> set_session_progress(SessionId session, const SessionProgress& progress,
                                                          TimestampMs now) = 0;
    // A post in a sealed step: kept until the step ends. The id, and whether it is a retry of
    // an earlier sealed post with the same client id.
    virtual std::pair<std::int64_t, bool> add_sealed_post(const NewMessage& message) = 0;
    virtual bool has_sealed_post(AccountId author, const std::string& client_msg_id) = 0;
    // Turns the sealed posts of a step into messages, in the order they were written, all at
    // once (consecutive seqs, one transaction).
    virtual std::vector<Message> reveal_sealed_posts(SessionId session, std::int64_t step) = 0;
    // What was said in the session so far, by seq.
    virtual std::vector<SessionPost> session_posts(SessionId session) = 0;
    virtual std::vector<AttendanceRow> attendance(SessionId session) = 0;
    virtual void set_summary(SessionId session, MessageId case_id, const std::string& markdown) = 0;
    virtual std::optional<std::string> summary(SessionId session, MessageId case_id) = 0;

    // Whether the database answers a trivial query.
    virtual bool healthy() = 0;
};

}  // namespace vraagbaak::storage
