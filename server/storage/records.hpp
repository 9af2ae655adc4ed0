#pragma once
// Domain records as the store keeps them. They carry everything the core needs to decide what
// each viewer may see (author ids included); the core maps them to wire types.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "vraagbaak/protocol/wire_types.hpp"

namespace vraagbaak::storage {

using AccountId = std::int64_t;
using OrganisationId = std::int64_t;
using RoomId = std::int64_t;
using MessageId = std::int64_t;
using Seq = std::int64_t;
using TimestampMs = std::int64_t;
using protocol::Anonymity;
using protocol::Role;
using protocol::RoomRole;
using protocol::Visibility;

struct Organisation {
    OrganisationId id = 0;
    std::string name;
    std::string code;
};

struct Account {
    AccountId id = 0;
    std::string handle;
    std::string display_name;
    std::optional<OrganisationId> organisation_id;
    std::string password_hash;  // libsodium crypto_pwhash_str format
    bool disabled = false;
    TimestampMs created_ms = 0;
    Role role = Role::member;
    std::optional<Organisation> organisation;  // filled when organisation_id is set
    std::optional<TimestampMs> banned_until_ms;  // banned from the service until then
};

struct NewAccount {
    std::string handle;
    std::string display_name;
    std::optional<OrganisationId> organisation_id;
    std::string password_hash;
    TimestampMs created_ms = 0;
    Role role = Role::member;
};

struct Room {
    RoomId id = 0;
    std::string name;
    std::string topic;
    Seq last_seq = 0;
    std::int64_t member_count = 0;
    bool viewer_is_member = false;  // filled when a viewer is given
    std::vector<Anonymity> allowed_levels;
    Seq read_seq = 0;  // the viewer's read marker, when a viewer is given
    // Messages by others after the viewer's read marker, when the viewer is a member.
    std::int64_t unread = 0;
    Visibility visibility = Visibility::open;
    std::vector<OrganisationId> organisations;
    std::int64_t slow_mode_s = 0;
    bool locked = false;
    bool archived = false;
    std::vector<MessageId> pinned;        // oldest pin first
    std::optional<RoomRole> viewer_role;  // when a viewer is given and is a member
    std::optional<AccountId> created_by;
    protocol::PrivacyMode privacy_mode = protocol::PrivacyMode::block;
    std::int64_t retention_days = 90;
};

// What a post is checked against: the room's settings, the poster's role and mute.
struct PostingRules {
    bool archived = false;
    bool locked = false;
    std::vector<Anonymity> allowed_levels;
    std::int64_t slow_mode_s = 0;
    protocol::PrivacyMode privacy_mode = protocol::PrivacyMode::block;
    std::optional<RoomRole> viewer_role;     // when the account is a member
    std::optional<TimestampMs> muted_until;  // when the account was ever muted here
};

// Settings to change; absent ones stay.
struct RoomChanges {
    std::optional<std::string> topic;
    std::optional<std::string> name;  // unique regardless of ASCII case
    std::optional<Visibility> visibility;
    std::optional<std::vector<OrganisationId>> organisations;
    std::optional<std::vector<Anonymity>> allowed_levels;
    std::optional<std::int64_t> slow_mode_s;
    std::optional<bool> locked;
    std::optional<bool> archived;
    std::optional<protocol::PrivacyMode> privacy_mode;
    std::optional<std::int64_t> retention_days;
};

struct NewRoom {
    std::string name;
    std::string topic;
    std::optional<AccountId> created_by;
    TimestampMs created_ms = 0;
    std::vector<Anonymity> allowed_levels{Anonymity::named, Anonymity::organisation,
                                          Anonymity::anonymous};
};

// The real author, always complete here; what others see is decided in the core.
struct Author {
    AccountId id = 0;
    std::string handle;
    std::string display_name;
    std::optional<Organisation> organisation;
};

// Something that happened in a room besides a message. It takes the room's next sequence number
// in the same transaction as the change it records, so messages and events share one order.
enum class RoomEventKind {
    member_joined,
    member_left,
    message_hidden,
    helpful_marked,
    case_updated,
    room_updated,
    message_unhidden,
    message_deleted,
    session_updated,
};

struct RoomEvent {
    RoomId room_id = 0;
    Seq seq = 0;
    RoomEventKind kind = RoomEventKind::member_joined;
    std::optional<Author> member;  // member_joined, member_left: who
    MessageId message_id = 0;       // message_hidden, helpful_marked: the message; case_updated: the case
    MessageId thread_id = 0;        // the thread of message_id
    // message_hidden: the reason; helpful_marked: "1" or "0"; case_updated: the new status.
    std::string detail;
    TimestampMs created_ms = 0;
    std::int64_t session_id = 0;  // session_updated: the session
};

struct Message {
    MessageId id = 0;
    RoomId room_id = 0;
    Seq seq = 0;
    Author author;
    std::string body;
    TimestampMs created_ms = 0;
    Anonymity level = Anonymity::named;
    MessageId thread_id = 0;
    // 0: the thread's asker (author of its first message); n > 0: "colleague n". Only posts that
    // hide their author take a number, so numbers cannot be matched to named posts.
    int pseudonym = 0;
    std::optional<std::string> hidden_reason;  // set when a moderator hid the message
    bool duplicate = false;  // append_message found an earlier copy with the same client id
    std::optional<std::string> kind;  // reply kind inside a case: question, idea, advice, …
    bool helpful = false;             // marked helpful by the case's asker
    // Room events the append caused, after the message in sequence (a case became answered).
    std::vector<RoomEvent> events;
};

struct NewMessage {
    RoomId room_id = 0;
    AccountId author_id = 0;
    std::string body;
    TimestampMs created_ms = 0;
    Anonymity level = Anonymity::named;
    std::optional<MessageId> thread_id;  // must be a first message in the same room
    // Chosen by the client; a second post with the same (author, id) stores nothing new.
    std::optional<std::string> client_msg_id;
    std::optional<std::string> kind;  // for replies in a case
    // Said in a running session, in this step of its plan: recorded with the message.
    std::optional<std::int64_t> session_id;
    std::int64_t session_step = 0;
};

struct Case {
    MessageId thread_id = 0;  // the first message
    RoomId room_id = 0;
    std::string title;
    std::vector<std::string> tags;
    std::string status;  // open, answered, closed
    std::string outcome;
    std::string reflection;
    TimestampMs created_ms = 0;
    TimestampMs last_activity_ms = 0;
    AccountId asker_id = 0;
    Anonymity asker_level = Anonymity::named;
    std::int64_t replies = 0;
    std::int64_t unread = 0;  // for the viewer of list_cases
};

struct NewCase {
    NewMessage first;  // thread_id must be empty
    std::string title;
    std::vector<std::string> tags;
};

struct CaseQuery {
    RoomId room_id = 0;
    std::optional<std::string> status;
    std::optional<std::string> tag;
    std::optional<AccountId> asked_by;  // "mine"
    bool unanswered = false;
    bool by_activity = false;  // sort by last activity instead of newest first
    std::optional<AccountId> viewer;  // for unread counts
    int limit = 20;
    int offset = 0;
};

struct SearchHit {
    Message message;
    std::optional<std::string> case_title;  // when the hit's thread is a case
    std::string snippet;
};

struct HistoryQuery {
    std::optional<Seq> before;
    std::optional<Seq> after;
    int limit = 50;
};

struct HistoryPage {
    std::vector<Message> messages;  // ascending by seq
    bool has_more = false;
};

struct AuthSession {
    std::int64_t id = 0;
    AccountId account_id = 0;
    TimestampMs expires_ms = 0;
    bool revoked = false;
};

struct Invite {
    std::int64_t id = 0;
    OrganisationId organisation_id = 0;
    std::optional<AccountId> created_by;
    int max_uses = 0;
    int uses = 0;
    TimestampMs expires_ms = 0;
    bool revoked = false;
    TimestampMs created_ms = 0;
};

enum class InviteProblem { invalid, expired, used_up, handle_taken };

struct Reveal {
    std::int64_t id = 0;
    MessageId message_id = 0;
    AccountId requested_by = 0;
    std::string reason;
    TimestampMs created_ms = 0;
    std::optional<AccountId> approved_by;
};

struct StoredNotice {
    std::string kind;
    MessageId message_id = 0;
    std::string reason;
    TimestampMs created_ms = 0;
};

struct AuditEntry {
    std::int64_t id = 0;
    TimestampMs ts_ms = 0;
    std::optional<AccountId> actor_id;
    std::string action;  // e.g. "mute", "reveal_requested", "role_changed"
    std::string target;  // e.g. "message:12", "account:4", "invite:3"
    std::string reason;
    std::optional<RoomId> room_id;  // the room the action was about, if any
};

struct AuditQuery {
    std::optional<RoomId> room_id;  // only this room's entries
    std::optional<std::int64_t> before;  // only entries with a lower id
    int limit = 50;
};

struct StoredReport {
    std::int64_t id = 0;
    RoomId room_id = 0;
    MessageId message_id = 0;
    AccountId reporter_id = 0;
    std::string category;
    std::string reason;
    std::string status;  // open, claimed, resolved, dismissed
    std::optional<AccountId> claimed_by;
    std::string outcome;
    TimestampMs created_ms = 0;
};

// Everything stored about one account that is theirs to take away.
struct AccountExport {
    Account account;
    std::vector<Message> messages;  // everything they wrote, oldest first
    std::vector<Case> cases;        // the cases they asked
};

// ---- network meetings (sessions) ----

using SessionId = std::int64_t;

struct NewSession {
    RoomId room_id = 0;
    std::string title;
    std::string method;
    std::string plan;  // the method as it was when the session was planned (JSON)
    AccountId organiser_id = 0;
    TimestampMs starts_ms = 0;
    std::int64_t planned_minutes = 0;
    bool auto_advance = false;
    std::vector<MessageId> agenda;      // case ids, in order
    std::vector<MessageId> follow_ups;  // earlier cases whose owners report back first
    TimestampMs created_ms = 0;
};

struct StoredSession : NewSession {
    SessionId id = 0;
    std::string status;  // scheduled, running, ended
    std::optional<std::int64_t> step;
    TimestampMs step_ends_ms = 0;
    TimestampMs started_ms = 0;
    TimestampMs ended_ms = 0;
    std::vector<MessageId> summaries;  // agenda cases with a stored summary
    std::int64_t signed_up = 0;
};

// Where a session stands after a start, a move, an extension or its end.
struct SessionProgress {
    std::string status;
    std::optional<std::int64_t> step;
    TimestampMs step_ends_ms = 0;
};

// A message said in a session, with the step of the plan it was said in.
struct SessionPost {
    Message message;
    std::int64_t step = 0;
};

struct AttendanceRow {
    Author account;
    bool signed_up = false;
    bool posted_named = false;  // posted under their name at least once
    bool posted = false;
};

struct RoomInvite {
    std::int64_t id = 0;
    RoomId room_id = 0;
    int max_uses = 0;
    TimestampMs expires_ms = 0;
};

}  // namespace vraagbaak::storage
