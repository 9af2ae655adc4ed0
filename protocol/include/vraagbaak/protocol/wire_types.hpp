#pragma once
// Domain values as they appear on the wire. Plain structs, compared member-wise in tests.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vraagbaak::protocol {

using AccountId = std::int64_t;
using RoomId = std::int64_t;
using MessageId = std::int64_t;
using Seq = std::int64_t;        // per-room sequence number: 1, 2, 3, … with no gaps
using TimestampMs = std::int64_t;  // milliseconds since the Unix epoch, UTC

using OrganisationId = std::int64_t;
using InviteId = std::int64_t;
using RevealId = std::int64_t;

// How a post shows its author to others. The author always sees their own identity.
enum class Anonymity { named, organisation, anonymous };
std::string_view to_string(Anonymity level);
std::optional<Anonymity> anonymity_from_string(std::string_view name);
// "named,anonymous" and back; nullopt when a word is not a level or the list is empty.
std::optional<std::vector<Anonymity>> levels_from_csv(std::string_view csv);
std::string levels_to_csv(const std::vector<Anonymity>& levels);

// Global roles, in increasing power.
enum class Role { member, organiser, moderator, admin };
std::string_view to_string(Role role);
std::optional<Role> role_from_string(std::string_view name);

// Roles within one room, in increasing power. Global moderators act as moderators in every
// room; global admins may do everything.
enum class RoomRole { member, organiser, moderator, owner };
std::string_view to_string(RoomRole role);
std::optional<RoomRole> room_role_from_string(std::string_view name);

// Who may see and join a room: every account, accounts of listed organisations, or only those
// with a room invite.
enum class Visibility { open, organisations, invite };
std::string_view to_string(Visibility visibility);
std::optional<Visibility> visibility_from_string(std::string_view name);

// What a room does with a client's personal data in a post: refuse it (block, the default), store
// it with markers instead (redact), or store it and tell the author (warn). A BSN is refused in
// every mode.
enum class PrivacyMode { block, redact, warn };
std::string_view to_string(PrivacyMode mode);
std::optional<PrivacyMode> privacy_mode_from_string(std::string_view name);

// Why a moderator hid a post, or why someone reported one; others see only the category.
bool is_moderation_category(std::string_view category);
// The kinds of a reply in a case: question, idea, advice, experience, comment.
bool is_reply_kind(std::string_view kind);

struct Organisation {
    OrganisationId id = 0;
    std::string name;
    std::string code;
    bool operator==(const Organisation&) const = default;
};

struct Member {
    AccountId account_id = 0;
    std::string handle;
    std::string display_name;
    std::optional<Organisation> organisation = std::nullopt;
    bool operator==(const Member&) const = default;
};

// The author of a message as one viewer may see it. Which fields are present depends on the
// level: named → account_id, handle, display_name, organisation; organisation → organisation and
// pseudonym; anonymous → pseudonym only. The author's own view always has everything.
struct Author {
    Anonymity level = Anonymity::named;
    std::optional<AccountId> account_id = std::nullopt;
    std::string handle;
    std::string display_name;
    std::optional<Organisation> organisation = std::nullopt;
    std::string pseudonym;  // "asker" or "colleague N", stable within a thread; empty when named
    bool operator==(const Author&) const = default;
};

struct Room {
    RoomId id = 0;
    std::string name;
    std::string topic;
    std::int64_t member_count = 0;
    Seq last_seq = 0;     // sequence number of the newest message, 0 for an empty room
    bool joined = false;  // whether the requesting account is a member
    std::vector<Anonymity> allowed_levels{Anonymity::named, Anonymity::organisation,
                                          Anonymity::anonymous};
    std::int64_t unread = 0;  // messages after the account's read marker (members only)
    Visibility visibility = Visibility::open;
    std::vector<OrganisationId> organisations;  // for Visibility::organisations
    std::int64_t slow_mode_s = 0;               // minimum seconds between posts per person; 0: off
    bool locked = false;                        // read-only except for moderators
    bool archived = false;                      // read-only for everyone, no new members
    std::vector<MessageId> pinned;              // pinned messages and cases, oldest pin first
    std::optional<RoomRole> my_role = std::nullopt;  // the requesting account's role, if a member
    PrivacyMode privacy_mode = PrivacyMode::block;
    std::int64_t retention_days = 90;  // closed cases are deleted this many days after closing
    bool operator==(const Room&) const = default;
};

struct Message {
    RoomId room_id = 0;
    Seq seq = 0;
    MessageId id = 0;
    MessageId thread_id = 0;  // the id of the thread's first message (its own id for a first message)
    Author author;
    std::string body;
    TimestampMs ts_ms = 0;
    bool own = false;  // true only in frames sent to the author's own connections
    bool hidden = false;       // hidden by a moderator: others get an empty body
    std::string hidden_reason;
    std::string kind;          // in a case: question, idea, advice, experience or comment
    bool helpful = false;      // marked helpful by the case's asker
    bool operator==(const Message&) const = default;
};

// A case: a thread with a title, tags (life domains) and a status. The asker's identity is in the
// first message, shown as its level allows; `mine` tells the asker it is theirs.
struct CaseInfo {
    MessageId id = 0;  // the first message's id, also the thread id
    RoomId room_id = 0;
    std::string title;
    std::vector<std::string> tags;
    std::string status;  // open, answered, closed
    std::string outcome;
    std::string reflection;
    Anonymity asker_level = Anonymity::named;
    std::int64_t replies = 0;
    TimestampMs created_ms = 0;
    TimestampMs last_activity_ms = 0;
    bool mine = false;
    std::int64_t unread = 0;  // in list_cases: messages of the case after the read marker
    bool operator==(const CaseInfo&) const = default;
};

struct SearchHit {
    Message message;
    std::optional<MessageId> case_id = std::nullopt;
    std::string case_title;
    std::string snippet;  // the matching text, matches in [brackets]
    bool operator==(const SearchHit&) const = default;
};

// Something that happened to the account while it was away, told at the next login.
struct Notice {
    std::string kind;  // "identity_revealed", "mention" or "case_reply"
    MessageId message_id = 0;
    std::string reason;
    TimestampMs ts_ms = 0;
    bool operator==(const Notice&) const = default;
};

// A report in the moderation queue. The reporter is never part of it.
struct Report {
    std::int64_t id = 0;
    RoomId room_id = 0;
    Message message;  // as a moderator sees it: the author as the level allows, the body even if hidden
    std::string category;
    std::string reason;
    std::string status;  // open, claimed, resolved, dismissed
    std::optional<Member> claimed_by = std::nullopt;
    std::string outcome;
    TimestampMs created_ms = 0;
    bool operator==(const Report&) const = default;
};

// One line of the append-only audit log. `target` names a message ("message:40"), a room, an
// account ("account:anna"), an invite or a report; never the author of an anonymous post.
struct AuditRecord {
    std::int64_t id = 0;
    TimestampMs ts_ms = 0;
    std::optional<Member> actor = std::nullopt;  // absent: the operator, through an admin command
    std::string action;
    std::string target;
    std::optional<RoomId> room_id = std::nullopt;
    std::string reason;
    bool operator==(const AuditRecord&) const = default;
};

// ---- network meetings (sessions) ----

using SessionId = std::int64_t;

// Who may post which reply kinds in a phase. `who`: "owner" (the case's owner), "others"
// (everyone but the case owner) or "everyone".
struct PhaseRule {
    std::string who;
    std::vector<std::string> kinds;
    bool operator==(const PhaseRule&) const = default;
};

// One step of a session's plan: a phase of the method for one case on the agenda (or the
// follow-up of an earlier case).
struct SessionStep {
    MessageId case_id = 0;
    bool follow_up = false;
    std::string phase;  // the method's name for it, e.g. "clarifying_questions"
    std::string title;  // for people, e.g. "Clarifying questions"
    std::int64_t duration_s = 0;
    bool sealed = false;  // posts are shown to nobody until the step ends
    std::vector<PhaseRule> allow;
    bool operator==(const SessionStep&) const = default;
};

// A scheduled network meeting in a room. Agenda and follow-up cases appear as the viewer may
// see them (anonymity kept); `steps` is the whole plan, in order.
struct Session {
    SessionId id = 0;
    RoomId room_id = 0;
    std::string title;
    std::string method;
    Member organiser;
    TimestampMs starts_ms = 0;
    std::int64_t planned_minutes = 0;
    bool auto_advance = false;
    std::string status;  // scheduled, running, ended
    std::vector<CaseInfo> agenda;
    std::vector<CaseInfo> follow_ups;
    std::vector<SessionStep> steps;
    std::optional<std::int64_t> step = std::nullopt;  // index into steps, while running
    TimestampMs phase_ends_ms = 0;                    // while running
    std::int64_t time_left_ms = 0;                    // while running, when the frame was made
    std::int64_t signed_up = 0;                       // how many signed up
    bool me_signed_up = false;
    std::vector<MessageId> summaries;  // agenda cases whose summary is ready (after the end)
    bool operator==(const Session&) const = default;
};

// Who took part in a session, as the organiser may see it: people who signed up or posted under
// their name; those who only posted without their name are counted, not named.
struct Attendee {
    Member member;
    bool signed_up = false;
    bool posted = false;  // posted under their own name
    bool operator==(const Attendee&) const = default;
};

struct ServerLimits {
    std::int64_t max_frame_bytes = 0;
    std::int64_t max_body_chars = 0;
    std::int64_t max_history_limit = 0;
    std::vector<std::string> tags;  // the life domains cases may be tagged with
    bool operator==(const ServerLimits&) const = default;
};

}  // namespace vraagbaak::protocol
