#pragma once
// Every request, reply and event of protocol version 1 as a C++ type. The JSON shape of each
// is documented in protocol/PROTOCOL.md; codec.hpp converts between the two.

#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "vraagbaak/protocol/error_code.hpp"
#include "vraagbaak/protocol/limits.hpp"
#include "vraagbaak/protocol/wire_types.hpp"

namespace vraagbaak::protocol {

// ---- requests (client to server) ----

struct HelloRequest {
    std::vector<int> versions;  // protocol versions the client speaks
    std::string client;         // free text, e.g. "vraagbaak-cli/0.1.0"
    // The client splits a text message at newlines: the server may then send several frames
    // in one message (fewer writes under load).
    bool batch = false;
    bool operator==(const HelloRequest&) const = default;
};
struct LoginRequest {
    std::string handle;
    std::string password;
    bool operator==(const LoginRequest&) const = default;
};
// The newest sequence number a client has seen in a room.
struct RoomCursor {
    RoomId room_id = 0;
    Seq seq = 0;
    bool operator==(const RoomCursor&) const = default;
};
// Resumes an earlier login with its session token instead of the password. For each cursor the
// server then sends the messages the client missed, before any live event.
struct ResumeRequest {
    std::string token;
    std::vector<RoomCursor> last_seen;
    bool operator==(const ResumeRequest&) const = default;
};
// Creates an account with an invite code and logs it in.
struct RegisterRequest {
    std::string invite;
    std::string handle;
    std::string display_name;
    std::string password;
    bool operator==(const RegisterRequest&) const = default;
};
// Revokes this connection's session token.
struct LogoutRequest {
    bool operator==(const LogoutRequest&) const = default;
};
struct ListRoomsRequest {
    bool operator==(const ListRoomsRequest&) const = default;
};
struct CreateRoomRequest {
    std::string name;
    std::string topic;
    std::optional<std::vector<Anonymity>> allowed_levels = std::nullopt;  // default: all three
    bool operator==(const CreateRoomRequest&) const = default;
};
struct JoinRequest {
    RoomId room_id = 0;
    std::optional<std::string> invite = std::nullopt;  // a room invite code, for invite-only rooms
    bool operator==(const JoinRequest&) const = default;
};
struct LeaveRequest {
    RoomId room_id = 0;
    bool operator==(const LeaveRequest&) const = default;
};
struct PostRequest {
    RoomId room_id = 0;
    std::string body;
    Anonymity level = Anonymity::named;
    std::optional<MessageId> thread_id = std::nullopt;  // reply in this thread; absent: start a new thread
    // Chosen by the client, unique per author: a retry with the same id stores nothing new.
    std::optional<std::string> client_msg_id = std::nullopt;
    std::optional<std::string> kind = std::nullopt;  // in a case; default "comment"
    bool operator==(const PostRequest&) const = default;
};
// Brings a vraagstuk: a new case, its first message being the body.
struct AskRequest {
    RoomId room_id = 0;
    std::string title;
    std::string body;
    std::vector<std::string> tags;
    Anonymity level = Anonymity::named;
    std::optional<std::string> client_msg_id = std::nullopt;
    bool operator==(const AskRequest&) const = default;
};
struct MarkHelpfulRequest {
    MessageId message_id = 0;
    bool helpful = true;
    bool operator==(const MarkHelpfulRequest&) const = default;
};
struct CloseCaseRequest {
    MessageId case_id = 0;
    std::string outcome;
    std::string reflection;
    bool operator==(const CloseCaseRequest&) const = default;
};
struct ReopenCaseRequest {
    MessageId case_id = 0;
    bool operator==(const ReopenCaseRequest&) const = default;
};
struct ListCasesRequest {
    RoomId room_id = 0;
    std::optional<std::string> status = std::nullopt;
    std::optional<std::string> tag = std::nullopt;
    bool mine = false;
    bool unanswered = false;
    std::string sort = "newest";  // or "activity"
    int limit = 20;
    int offset = 0;
    bool operator==(const ListCasesRequest&) const = default;
};
struct GetCaseRequest {
    MessageId case_id = 0;
    bool operator==(const GetCaseRequest&) const = default;
};
struct SearchRequest {
    std::string query;
    std::optional<RoomId> room_id = std::nullopt;
    int limit = 20;
    int offset = 0;
    bool operator==(const SearchRequest&) const = default;
};
// Everything up to seq in the room has been read.
struct MarkReadRequest {
    RoomId room_id = 0;
    Seq seq = 0;
    bool operator==(const MarkReadRequest&) const = default;
};
// While drafting: earlier cases like this one ("asked before?").
struct SimilarCasesRequest {
    std::optional<RoomId> room_id = std::nullopt;
    std::string title;
    std::string body;
    bool operator==(const SimilarCasesRequest&) const = default;
};
struct HistoryRequest {
    RoomId room_id = 0;
    std::optional<Seq> before = std::nullopt;  // only messages with seq < before (newest page below it)
    std::optional<Seq> after = std::nullopt;   // only messages with seq > after (oldest page above it)
    int limit = kDefaultHistoryLimit;
    bool operator==(const HistoryRequest&) const = default;
};

// An invite for professionals of one organisation. Admins may invite for any organisation;
// organisers only for their own (the default).
struct CreateInviteRequest {
    std::optional<OrganisationId> organisation_id = std::nullopt;
    int max_uses = 1;
    int valid_hours = 72;
    bool operator==(const CreateInviteRequest&) const = default;
};
// Mutes "the author of this message" in its room, without learning who that is.
struct MuteAuthorRequest {
    MessageId message_id = 0;
    std::int64_t duration_s = 0;
    std::string reason;
    bool operator==(const MuteAuthorRequest&) const = default;
};
// Hides a message from everyone but its author (moderators and admins).
struct HideMessageRequest {
    MessageId message_id = 0;
    std::string reason;            // for the audit log and moderators
    std::string category = "other";  // what others see: privacy, offensive, off_topic, spam, other
    bool operator==(const HideMessageRequest&) const = default;
};
// Removes "the author of this message" from its room and keeps them out, for duration_s or, when
// absent, for good. Nothing is announced to the room: that would tie a name to the post.
struct BanAuthorRequest {
    MessageId message_id = 0;
    std::optional<std::int64_t> duration_s = std::nullopt;
    std::string reason;
    bool operator==(const BanAuthorRequest&) const = default;
};
// First step of the four-eyes reveal of a message's author (admins only).
struct RequestRevealRequest {
    MessageId message_id = 0;
    std::string reason;
    bool operator==(const RequestRevealRequest&) const = default;
};
// Second step: another admin approves, and the identity is shown to both.
struct ApproveRevealRequest {
    RevealId reveal_id = 0;
    bool operator==(const ApproveRevealRequest&) const = default;
};

// ---- moderation ----

// Changes room settings; absent fields stay as they are. Who may change what: PROTOCOL.md.
struct UpdateRoomRequest {
    RoomId room_id = 0;
    std::optional<std::string> topic = std::nullopt;
    std::optional<std::string> name = std::nullopt;
    std::optional<Visibility> visibility = std::nullopt;
    std::optional<std::vector<OrganisationId>> organisations = std::nullopt;
    std::optional<std::vector<Anonymity>> allowed_levels = std::nullopt;
    std::optional<std::int64_t> slow_mode_s = std::nullopt;
    std::optional<bool> locked = std::nullopt;
    std::optional<bool> archived = std::nullopt;
    std::optional<PrivacyMode> privacy_mode = std::nullopt;
    std::optional<std::int64_t> retention_days = std::nullopt;
    bool operator==(const UpdateRoomRequest&) const = default;
};
struct PinMessageRequest {
    MessageId message_id = 0;
    bool pinned = true;
    bool operator==(const PinMessageRequest&) const = default;
};
// Gives a named account a role in a room (making it a member if it is not).
struct SetRoomRoleRequest {
    RoomId room_id = 0;
    std::string handle;
    RoomRole role = RoomRole::member;
    bool operator==(const SetRoomRoleRequest&) const = default;
};
struct CreateRoomInviteRequest {
    RoomId room_id = 0;
    int max_uses = 1;
    int valid_hours = 72;
    bool operator==(const CreateRoomInviteRequest&) const = default;
};
// Removes "the author of this message" from its room now; they may join again.
struct KickAuthorRequest {
    MessageId message_id = 0;
    std::string reason;
    bool operator==(const KickAuthorRequest&) const = default;
};
// A ban from the whole service (admins): sessions end, connections close, sign-in is refused.
// duration_s absent: for good; 0 lifts the ban.
struct BanAccountRequest {
    std::string handle;
    std::optional<std::int64_t> duration_s = std::nullopt;
    std::string reason;
    bool operator==(const BanAccountRequest&) const = default;
};
struct UnhideMessageRequest {
    MessageId message_id = 0;
    std::string reason;
    bool operator==(const UnhideMessageRequest&) const = default;
};
// Deletes a message's text for good; a tombstone stays for everyone, the author included.
struct DeleteMessageRequest {
    MessageId message_id = 0;
    std::string reason;
    bool operator==(const DeleteMessageRequest&) const = default;
};
struct ReportRequest {
    MessageId message_id = 0;
    std::string category = "other";
    std::string reason;
    bool operator==(const ReportRequest&) const = default;
};
struct ListReportsRequest {
    std::optional<RoomId> room_id = std::nullopt;
    std::optional<std::string> status = std::nullopt;  // default: open and claimed
    bool operator==(const ListReportsRequest&) const = default;
};
struct ClaimReportRequest {
    std::int64_t report_id = 0;
    bool operator==(const ClaimReportRequest&) const = default;
};
struct ResolveReportRequest {
    std::int64_t report_id = 0;
    std::string outcome;
    bool operator==(const ResolveReportRequest&) const = default;
};
struct DismissReportRequest {
    std::int64_t report_id = 0;
    std::string outcome;
    bool operator==(const DismissReportRequest&) const = default;
};
// The audit log, newest first: one room's (moderators of it) or everything (admins).
struct AuditRequest {
    std::optional<RoomId> room_id = std::nullopt;
    std::optional<std::int64_t> before = std::nullopt;  // only entries with id < before
    int limit = 50;
    bool operator==(const AuditRequest&) const = default;
};

// Everything the server keeps that the account wrote or is (AVG/GDPR access and portability).
struct ExportMyDataRequest {
    bool operator==(const ExportMyDataRequest&) const = default;
};

// ---- network meetings (sessions) ----

// Schedules a session (room organisers and above). `follow_up`: it opens with a follow-up of
// the cases of the room's last ended session, which their owners answer.
struct ScheduleSessionRequest {
    RoomId room_id = 0;
    std::string title;
    TimestampMs starts_ms = 0;
    std::int64_t planned_minutes = 60;
    std::string method;
    std::vector<MessageId> case_ids;
    bool auto_advance = false;
    bool follow_up = false;
    bool operator==(const ScheduleSessionRequest&) const = default;
};
// Scheduled and running sessions of a room, soonest first (ended ones too if asked).
struct ListSessionsRequest {
    RoomId room_id = 0;
    bool include_ended = false;
    bool operator==(const ListSessionsRequest&) const = default;
};
// A session with everything said in it so far.
struct GetSessionRequest {
    SessionId session_id = 0;
    bool operator==(const GetSessionRequest&) const = default;
};
struct SignUpRequest {
    SessionId session_id = 0;
    bool cancel = false;
    bool operator==(const SignUpRequest&) const = default;
};
// The organiser runs the session: start, next, previous, extend (by extend_s), end.
struct ControlSessionRequest {
    SessionId session_id = 0;
    std::string action;
    std::int64_t extend_s = 0;
    bool operator==(const ControlSessionRequest&) const = default;
};
// Lets one person make one post the current phase would refuse: a named member (handle) or
// "the author of this message" (message_id), so an anonymous owner stays anonymous.
struct AllowPostRequest {
    SessionId session_id = 0;
    std::optional<std::string> handle = std::nullopt;
    std::optional<MessageId> message_id = std::nullopt;
    bool operator==(const AllowPostRequest&) const = default;
};
struct SessionAttendanceRequest {
    SessionId session_id = 0;
    bool operator==(const SessionAttendanceRequest&) const = default;
};
// The Markdown summary of one agenda case, after the session ended.
struct GetSummaryRequest {
    SessionId session_id = 0;
    MessageId case_id = 0;
    bool operator==(const GetSummaryRequest&) const = default;
};

using RequestBody =
    std::variant<HelloRequest, LoginRequest, ResumeRequest, RegisterRequest, LogoutRequest,
                 ListRoomsRequest, CreateRoomRequest, JoinRequest, LeaveRequest, PostRequest,
                 HistoryRequest, CreateInviteRequest, MuteAuthorRequest, HideMessageRequest,
                 BanAuthorRequest, RequestRevealRequest, ApproveRevealRequest, AskRequest,
                 MarkHelpfulRequest, CloseCaseRequest, ReopenCaseRequest, ListCasesRequest,
                 GetCaseRequest, SearchRequest, SimilarCasesRequest, MarkReadRequest,
                 UpdateRoomRequest, PinMessageRequest, SetRoomRoleRequest, CreateRoomInviteRequest,
                 KickAuthorRequest, BanAccountRequest, UnhideMessageRequest, DeleteMessageRequest,
                 ReportRequest, ListReportsRequest, ClaimReportRequest, ResolveReportRequest,
                 DismissReportRequest, AuditRequest, ExportMyDataRequest, ScheduleSessionRequest,
                 ListSessionsRequest, GetSessionRequest, SignUpRequest, ControlSessionRequest,
                 AllowPostRequest, SessionAttendanceRequest, GetSummaryRequest>;

struct Request {
    std::string id;  // chosen by the client, echoed as `reply_to`
    RequestBody body;
    bool operator==(const Request&) const = default;
};

// The wire name of a request type ("hello", "login", …).
std::string_view type_name(const RequestBody& body);
// Every request type's wire name, in the order of RequestBody (for counters).
std::vector<std::string> request_type_names();

// ---- replies (server to client, one per request) ----

struct HelloReply {
    int version = kProtocolVersion;
    std::string server;
    ServerLimits limits;
    bool operator==(const HelloReply&) const = default;
};
// What login, resume and register return.
struct AccountSession {
    Member account;
    Role role = Role::member;
    std::string token;  // opaque; present it with `resume` after a reconnect
    TimestampMs expires_ms = 0;
    std::vector<Notice> notices;  // what happened while the account was away
    bool operator==(const AccountSession&) const = default;
};
struct LoginReply {
    AccountSession session;
    bool operator==(const LoginReply&) const = default;
};
struct ResumeReply {
    AccountSession session;
    bool operator==(const ResumeReply&) const = default;
};
struct RegisterReply {
    AccountSession session;
    bool operator==(const RegisterReply&) const = default;
};
struct LogoutReply {
    bool operator==(const LogoutReply&) const = default;
};
struct ListRoomsReply {
    std::vector<Room> rooms;
    bool operator==(const ListRoomsReply&) const = default;
};
struct CreateRoomReply {
    Room room;
    bool operator==(const CreateRoomReply&) const = default;
};
struct JoinReply {
    Room room;
    bool operator==(const JoinReply&) const = default;
};
struct LeaveReply {
    RoomId room_id = 0;
    bool operator==(const LeaveReply&) const = default;
};
struct PostReply {
    RoomId room_id = 0;
    Seq seq = 0;
    MessageId message_id = 0;
    TimestampMs ts_ms = 0;
    bool duplicate = false;  // a retry: the message was stored before, nothing new was
    // Personal data the room's privacy mode let through: replaced by markers (redacted) or
    // stored as written (warn).
    std::vector<PersonalDataFinding> findings = {};
    bool redacted = false;
    // Posted in a sealed phase: kept, shown to nobody until the phase ends; seq and message_id
    // are 0 until then.
    bool sealed = false;
    bool operator==(const PostReply&) const = default;
};
struct HistoryReply {
    RoomId room_id = 0;
    std::vector<Message> messages;  // ascending by seq
    bool has_more = false;          // more messages exist beyond this page in the paging direction
    bool operator==(const HistoryReply&) const = default;
};

struct CreateInviteReply {
    InviteId invite_id = 0;
    std::string code;  // shown once; only a hash is stored
    OrganisationId organisation_id = 0;
    int max_uses = 0;
    TimestampMs expires_ms = 0;
    bool operator==(const CreateInviteReply&) const = default;
};
struct MuteAuthorReply {
    RoomId room_id = 0;
    MessageId message_id = 0;
    TimestampMs until_ms = 0;
    bool operator==(const MuteAuthorReply&) const = default;
};
struct HideMessageReply {
    RoomId room_id = 0;
    MessageId message_id = 0;
    bool operator==(const HideMessageReply&) const = default;
};
struct BanAuthorReply {
    RoomId room_id = 0;
    MessageId message_id = 0;
    std::optional<TimestampMs> until_ms = std::nullopt;  // absent: for good
    bool operator==(const BanAuthorReply&) const = default;
};
struct RequestRevealReply {
    RevealId reveal_id = 0;
    bool operator==(const RequestRevealReply&) const = default;
};
struct ApproveRevealReply {
    RevealId reveal_id = 0;
    MessageId message_id = 0;
    Member identity;
    bool operator==(const ApproveRevealReply&) const = default;
};

struct AskReply {
    CaseInfo case_info;
    Seq seq = 0;
    bool duplicate = false;
    std::vector<PersonalDataFinding> findings = {};  // as in PostReply
    bool redacted = false;
    bool operator==(const AskReply&) const = default;
};
struct MarkHelpfulReply {
    MessageId message_id = 0;
    bool helpful = false;
    bool operator==(const MarkHelpfulReply&) const = default;
};
struct CloseCaseReply {
    CaseInfo case_info;
    bool operator==(const CloseCaseReply&) const = default;
};
struct ReopenCaseReply {
    CaseInfo case_info;
    bool operator==(const ReopenCaseReply&) const = default;
};
struct ListCasesReply {
    std::vector<CaseInfo> cases;
    bool has_more = false;
    bool operator==(const ListCasesReply&) const = default;
};
struct GetCaseReply {
    CaseInfo case_info;
    std::vector<Message> messages;  // the first message and every reply, by seq
    bool operator==(const GetCaseReply&) const = default;
};
struct SearchReply {
    std::vector<SearchHit> hits;
    bool operator==(const SearchReply&) const = default;
};
struct SimilarCasesReply {
    std::vector<CaseInfo> cases;
    bool operator==(const SimilarCasesReply&) const = default;
};
struct MarkReadReply {
    RoomId room_id = 0;
    Seq read_seq = 0;
    std::int64_t unread = 0;
    bool operator==(const MarkReadReply&) const = default;
};

struct UpdateRoomReply {
    Room room;
    bool operator==(const UpdateRoomReply&) const = default;
};
struct PinMessageReply {
    Room room;
    bool operator==(const PinMessageReply&) const = default;
};
struct SetRoomRoleReply {
    RoomId room_id = 0;
    std::string handle;
    RoomRole role = RoomRole::member;
    bool operator==(const SetRoomRoleReply&) const = default;
};
struct CreateRoomInviteReply {
    RoomId room_id = 0;
    std::string code;  // shown once
    int max_uses = 0;
    TimestampMs expires_ms = 0;
    bool operator==(const CreateRoomInviteReply&) const = default;
};
// The reply of kick_author, unhide_message and delete_message: which message it was about.
struct MessageActionResult {
    RoomId room_id = 0;
    MessageId message_id = 0;
    bool operator==(const MessageActionResult&) const = default;
};
struct KickAuthorReply : MessageActionResult {};
struct UnhideMessageReply : MessageActionResult {};
struct DeleteMessageReply : MessageActionResult {};
struct BanAccountReply {
    std::string handle;
    std::optional<TimestampMs> until_ms = std::nullopt;  // absent: for good (or lifted, when lifted)
    bool lifted = false;
    bool operator==(const BanAccountReply&) const = default;
};
struct ReportReply {
    std::int64_t report_id = 0;
    bool operator==(const ReportReply&) const = default;
};
struct ListReportsReply {
    std::vector<Report> reports;
    bool operator==(const ListReportsReply&) const = default;
};
// The reply of claim_report, resolve_report and dismiss_report: the report as it is now.
struct ReportResult {
    Report report;
    bool operator==(const ReportResult&) const = default;
};
struct ClaimReportReply : ReportResult {};
struct ResolveReportReply : ReportResult {};
struct DismissReportReply : ReportResult {};
struct AuditReply {
    std::vector<AuditRecord> entries;
    bool has_more = false;
    bool operator==(const AuditReply&) const = default;
};

struct ExportMyDataReply {
    Member account;
    Role role = Role::member;
    std::vector<Message> messages;  // as the author sees them: with their level, oldest first
    std::vector<CaseInfo> cases;    // the cases they asked
    bool operator==(const ExportMyDataReply&) const = default;
};

struct ScheduleSessionReply {
    Session session;
    bool operator==(const ScheduleSessionReply&) const = default;
};
struct ListSessionsReply {
    std::vector<Session> sessions;
    bool operator==(const ListSessionsReply&) const = default;
};
// The session and its messages so far, by seq (sealed posts only once their phase ended).
struct SessionWithMessages {
    Session session;
    std::vector<Message> messages;
    bool operator==(const SessionWithMessages&) const = default;
};
struct GetSessionReply : SessionWithMessages {};
struct SignUpReply {
    Session session;
    bool operator==(const SignUpReply&) const = default;
};
struct ControlSessionReply {
    Session session;
    bool operator==(const ControlSessionReply&) const = default;
};
struct AllowPostReply {
    SessionId session_id = 0;
    bool operator==(const AllowPostReply&) const = default;
};
struct SessionAttendanceReply {
    SessionId session_id = 0;
    std::vector<Attendee> attendees;
    std::int64_t anonymous = 0;  // took part without their name only
    bool operator==(const SessionAttendanceReply&) const = default;
};
struct GetSummaryReply {
    SessionId session_id = 0;
    MessageId case_id = 0;
    std::string markdown;
    bool operator==(const GetSummaryReply&) const = default;
};

using ReplyBody =
    std::variant<HelloReply, LoginReply, ResumeReply, RegisterReply, LogoutReply, ListRoomsReply,
                 CreateRoomReply, JoinReply, LeaveReply, PostReply, HistoryReply,
                 CreateInviteReply, MuteAuthorReply, HideMessageReply, BanAuthorReply,
                 RequestRevealReply, ApproveRevealReply, AskReply, MarkHelpfulReply,
                 CloseCaseReply, ReopenCaseReply, ListCasesReply, GetCaseReply, SearchReply,
                 SimilarCasesReply, MarkReadReply, UpdateRoomReply, PinMessageReply,
                 SetRoomRoleReply, CreateRoomInviteReply, KickAuthorReply, BanAccountReply,
                 UnhideMessageReply, DeleteMessageReply, ReportReply, ListReportsReply,
                 ClaimReportReply, ResolveReportReply, DismissReportReply, AuditReply, ExportMyDataReply,
                 ScheduleSessionReply, ListSessionsReply, GetSessionReply, SignUpReply, ControlSessionReply,
                 AllowPostReply, SessionAttendanceReply, GetSummaryReply>;

// The wire name of the request type a reply answers.
std::string_view type_name(const ReplyBody& body);

// ---- events (server to client, unsolicited) ----

struct MessagePosted {
    Message message;
    bool operator==(const MessagePosted&) const = default;
};
// Room events: each carries the room's sequence number (`seq`), shared with messages, so a
// client's cursor per room covers everything it has seen there.
struct MemberJoined {
    RoomId room_id = 0;
    Member member;
    Seq seq = 0;
    bool operator==(const MemberJoined&) const = default;
};
struct MemberLeft {
    RoomId room_id = 0;
    Member member;
    Seq seq = 0;
    bool operator==(const MemberLeft&) const = default;
};

// To the author: an admin pair revealed who wrote one of their messages.
struct IdentityRevealed {
    RoomId room_id = 0;
    MessageId message_id = 0;
    std::string reason;
    bool operator==(const IdentityRevealed&) const = default;
};
// To the admin who asked: the second admin approved the reveal.
struct RevealApproved {
    RevealId reveal_id = 0;
    MessageId message_id = 0;
    Member identity;
    bool operator==(const RevealApproved&) const = default;
};

// To the room: a moderator hid a message.
struct MessageHidden {
    RoomId room_id = 0;
    MessageId message_id = 0;
    std::string reason;
    Seq seq = 0;
    bool operator==(const MessageHidden&) const = default;
};
// To the removed account only: it was kicked or banned from the room.
struct RemovedFromRoom {
    RoomId room_id = 0;
    std::string reason;
    std::optional<TimestampMs> until_ms = std::nullopt;  // a ban's end; absent: for good, or a kick
    std::string kind = "ban";                            // "ban" or "kick"
    bool operator==(const RemovedFromRoom&) const = default;
};

// After `resume`: more was missed in a room than the server replays; page `history` from
// after_seq up to last_seq instead.
struct CatchUpGap {
    RoomId room_id = 0;
    Seq after_seq = 0;
    Seq last_seq = 0;
    bool operator==(const CatchUpGap&) const = default;
};

// A case was opened, answered, closed or reopened.
struct CaseUpdated {
    CaseInfo case_info;
    Seq seq = 0;
    bool operator==(const CaseUpdated&) const = default;
};
// Room settings or pins changed. The room's viewer-specific fields (joined, unread, my_role)
// are not filled in.
struct RoomUpdated {
    Room room;
    Seq seq = 0;
    bool operator==(const RoomUpdated&) const = default;
};
struct MessageUnhidden {
    RoomId room_id = 0;
    MessageId message_id = 0;
    Seq seq = 0;
    bool operator==(const MessageUnhidden&) const = default;
};
struct MessageDeleted {
    RoomId room_id = 0;
    MessageId message_id = 0;
    Seq seq = 0;
    bool operator==(const MessageDeleted&) const = default;
};
struct HelpfulMarked {
    RoomId room_id = 0;
    MessageId case_id = 0;
    MessageId message_id = 0;
    bool helpful = false;
    Seq seq = 0;
    bool operator==(const HelpfulMarked&) const = default;
};

// To one account: someone mentioned them (@handle) or replied in their case. When they are
// offline it waits as a notice for their next sign-in.
struct Notification {
    std::string kind;  // "mention" or "case_reply"
    RoomId room_id = 0;
    MessageId message_id = 0;
    std::optional<MessageId> case_id = std::nullopt;
    bool operator==(const Notification&) const = default;
};

// A session was scheduled, started, moved to another phase, extended or ended; the session as
// it is now (a replay shows today's state once per change).
struct SessionUpdated {
    Session session;
    Seq seq = 0;
    bool operator==(const SessionUpdated&) const = default;
};
// To a running session's room: the phase's time runs out soon. Not sequenced.
struct PhaseEnding {
    RoomId room_id = 0;
    SessionId session_id = 0;
    std::string phase;
    std::int64_t time_left_ms = 0;
    bool operator==(const PhaseEnding&) const = default;
};
// To one connection that joins a room while a session runs there: where it stands and what was
// said so far. Not sequenced.
struct SessionState : SessionWithMessages {};

using Event = std::variant<MessagePosted, MemberJoined, MemberLeft, IdentityRevealed, RevealApproved,
                           MessageHidden, RemovedFromRoom, CatchUpGap, CaseUpdated, HelpfulMarked,
                           Notification, RoomUpdated, MessageUnhidden, MessageDeleted, SessionUpdated,
                           PhaseEnding, SessionState>;

std::string_view event_name(const Event& event);

// Where a room event sits in its room's sequence: (room, seq). nullopt for events addressed to
// one account (notices, reveals, removal) and for catch_up_gap, which are not sequenced.
struct RoomPosition {
    RoomId room_id = 0;
    Seq seq = 0;
};
std::optional<RoomPosition> room_position(const Event& event);

}  // namespace vraagbaak::protocol
