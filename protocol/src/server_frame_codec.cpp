// Replies and events: server to client. See PROTOCOL.md, "Replies" and "Events".

#include <array>
#include <type_traits>

#include "json_reader.hpp"
#include "message_writer.hpp"
#include "vraagbaak/protocol/codec.hpp"
#include "wire_json.hpp"

namespace vraagbaak::protocol {

using detail::JsonReader;
using detail::cases_json;
using detail::to_json;
using nlohmann::json;

static_assert(std::variant_size_v<ReplyBody> == std::variant_size_v<RequestBody>,
              "every request type has exactly one reply type, in the same order");

namespace {

template <typename T>
struct Tag {};

json result_json(const HelloReply& r) {
    return {{"version", r.version}, {"server", r.server}, {"limits", to_json(r.limits)}};
}
ReplyBody read(Tag<HelloReply>, JsonReader& r) {
    HelloReply h;
    h.version = static_cast<int>(r.integer("version", 1, 1000));
    h.server = r.text("server", {0, kMaxClientNameChars});
    h.limits = detail::read_limits(r, "limits");
    return h;
}

json result_json(const LoginReply& r) { return to_json(r.session); }
ReplyBody read(Tag<LoginReply>, JsonReader& r) { return LoginReply{detail::read_session(r)}; }
json result_json(const ResumeReply& r) { return to_json(r.session); }
ReplyBody read(Tag<ResumeReply>, JsonReader& r) { return ResumeReply{detail::read_session(r)}; }
json result_json(const RegisterReply& r) { return to_json(r.session); }
ReplyBody read(Tag<RegisterReply>, JsonReader& r) { return RegisterReply{detail::read_session(r)}; }
json result_json(const LogoutReply&) { return json::object(); }
ReplyBody read(Tag<LogoutReply>, JsonReader&) { return LogoutReply{}; }

json result_json(const ListRoomsReply& r) {
    json rooms = json::array();
    for (const auto& room : r.rooms) rooms.push_back(to_json(room));
    return {{"rooms", std::move(rooms)}};
}
ReplyBody read(Tag<ListRoomsReply>, JsonReader& r) {
    ListRoomsReply reply;
    if (const json* rooms = r.array("rooms", SIZE_MAX))
        for (std::size_t i = 0; i < rooms->size() && r.ok(); ++i)
            reply.rooms.push_back(detail::read_room((*rooms)[i], r, "rooms[" + std::to_string(i) + "]"));
    return reply;
}

json result_json(const CreateRoomReply& r) { return {{"room", to_json(r.room)}}; }
ReplyBody read(Tag<CreateRoomReply>, JsonReader& r) {
    const json* room = r.object("room");
    return CreateRoomReply{room ? detail::read_room(*room, r, "room") : Room{}};
}

json result_json(const JoinReply& r) { return {{"room", to_json(r.room)}}; }
ReplyBody read(Tag<JoinReply>, JsonReader& r) {
    const json* room = r.object("room");
    return JoinReply{room ? detail::read_room(*room, r, "room") : Room{}};
}

json result_json(const LeaveReply& r) { return {{"room_id", r.room_id}}; }
ReplyBody read(Tag<LeaveReply>, JsonReader& r) {
    return LeaveReply{r.integer("room_id", 1, detail::kMaxId)};
}

json result_json(const PostReply& r) {
    json j = {{"room_id", r.room_id}, {"seq", r.seq}, {"message_id", r.message_id}, {"ts_ms", r.ts_ms}};
    if (r.duplicate) j["duplicate"] = true;
    if (!r.findings.empty()) j["findings"] = detail::findings_json(r.findings);
    if (r.redacted) j["redacted"] = true;
    if (r.sealed) j["sealed"] = true;
    return j;
}
ReplyBody read(Tag<PostReply>, JsonReader& r) {
    PostReply p;
    p.sealed = r.has("sealed") && r.boolean("sealed");
    p.room_id = r.integer("room_id", 1, detail::kMaxId);
    p.seq = r.integer("seq", p.sealed ? 0 : 1, detail::kMaxId);
    p.message_id = r.integer("message_id", p.sealed ? 0 : 1, detail::kMaxId);
    p.ts_ms = r.integer("ts_ms", 0, detail::kMaxId);
    p.duplicate = r.has("duplicate") && r.boolean("duplicate");
    p.findings = detail::read_findings(r, "findings");
    p.redacted = r.has("redacted") && r.boolean("redacted");
    return p;
}

json result_json(const HistoryReply& r) {
    json messages = json::array();
    for (const auto& m : r.messages) messages.push_back(to_json(m));
    return {{"room_id", r.room_id}, {"messages", std::move(messages)}, {"has_more", r.has_more}};
}
ReplyBody read(Tag<HistoryReply>, JsonReader& r) {
    HistoryReply h;
    h.room_id = r.integer("room_id", 1, detail::kMaxId);
    if (const json* messages = r.array("messages", SIZE_MAX))
        for (std::size_t i = 0; i < messages->size() && r.ok(); ++i)
            h.messages.push_back(
                detail::read_message((*messages)[i], r, "messages[" + std::to_string(i) + "]"));
    h.has_more = r.boolean("has_more");
    return h;
}

json result_json(const CreateInviteReply& r) {
    return {{"invite_id", r.invite_id},         {"code", r.code},
            {"organisation_id", r.organisation_id}, {"max_uses", r.max_uses},
            {"expires_ms", r.expires_ms}};
}
ReplyBody read(Tag<CreateInviteReply>, JsonReader& r) {
    CreateInviteReply x;
    x.invite_id = r.integer("invite_id", 1, detail::kMaxId);
    x.code = r.text("code", {1, kMaxInviteBytes});
    x.organisation_id = r.integer("organisation_id", 1, detail::kMaxId);
    x.max_uses = static_cast<int>(r.integer("max_uses", 1, kMaxInviteUses));
    x.expires_ms = r.integer("expires_ms", 0, detail::kMaxId);
    return x;
}

json result_json(const MuteAuthorReply& r) {
    return {{"room_id", r.room_id}, {"message_id", r.message_id}, {"until_ms", r.until_ms}};
}
ReplyBody read(Tag<MuteAuthorReply>, JsonReader& r) {
    MuteAuthorReply x;
    x.room_id = r.integer("room_id", 1, detail::kMaxId);
    x.message_id = r.integer("message_id", 1, detail::kMaxId);
    x.until_ms = r.integer("until_ms", 0, detail::kMaxId);
    return x;
}

json result_json(const HideMessageReply& r) { return {{"room_id", r.room_id}, {"message_id", r.message_id}}; }
ReplyBody read(Tag<HideMessageReply>, JsonReader& r) {
    HideMessageReply x;
    x.room_id = r.integer("room_id", 1, detail::kMaxId);
    x.message_id = r.integer("message_id", 1, detail::kMaxId);
    return x;
}

json result_json(const BanAuthorReply& r) {
    json j = {{"room_id", r.room_id}, {"message_id", r.message_id}};
    if (r.until_ms) j["until_ms"] = *r.until_ms;
    return j;
}
ReplyBody read(Tag<BanAuthorReply>, JsonReader& r) {
    BanAuthorReply x;
    x.room_id = r.integer("room_id", 1, detail::kMaxId);
    x.message_id = r.integer("message_id", 1, detail::kMaxId);
    x.until_ms = r.optional_integer("until_ms", 0, detail::kMaxId);
    return x;
}

json result_json(const RequestRevealReply& r) { return {{"reveal_id", r.reveal_id}}; }
ReplyBody read(Tag<RequestRevealReply>, JsonReader& r) {
    return RequestRevealReply{r.integer("reveal_id", 1, detail::kMaxId)};
}

json result_json(const ApproveRevealReply& r) {
    return {{"reveal_id", r.reveal_id}, {"message_id", r.message_id}, {"identity", to_json(r.identity)}};
}
ReplyBody read(Tag<ApproveRevealReply>, JsonReader& r) {
    ApproveRevealReply x;
    x.reveal_id = r.integer("reveal_id", 1, detail::kMaxId);
    x.message_id = r.integer("message_id", 1, detail::kMaxId);
    x.identity = detail::read_member(r, "identity");
    return x;
}

json result_json(const AskReply& r) {
    json j = {{"case", to_json(r.case_info)}, {"seq", r.seq}};
    if (r.duplicate) j["duplicate"] = true;
    if (!r.findings.empty()) j["findings"] = detail::findings_json(r.findings);
    if (r.redacted) j["redacted"] = true;
    return j;
}
CaseInfo read_case_field(JsonReader& r) {
    const json* c = r.object("case");
    return c ? detail::read_case_info(*c, r, "case") : CaseInfo{};
}
ReplyBody read(Tag<AskReply>, JsonReader& r) {
    AskReply x;
    x.case_info = read_case_field(r);
    x.seq = r.integer("seq", 1, detail::kMaxId);
    x.duplicate = r.has("duplicate") && r.boolean("duplicate");
    x.findings = detail::read_findings(r, "findings");
    x.redacted = r.has("redacted") && r.boolean("redacted");
    return x;
}
json result_json(const MarkHelpfulReply& r) { return {{"message_id", r.message_id}, {"helpful", r.helpful}}; }
ReplyBody read(Tag<MarkHelpfulReply>, JsonReader& r) {
    MarkHelpfulReply x;
    x.message_id = r.integer("message_id", 1, detail::kMaxId);
    x.helpful = r.boolean("helpful");
    return x;
}
json result_json(const CloseCaseReply& r) { return {{"case", to_json(r.case_info)}}; }
ReplyBody read(Tag<CloseCaseReply>, JsonReader& r) { return CloseCaseReply{read_case_field(r)}; }
json result_json(const ReopenCaseReply& r) { return {{"case", to_json(r.case_info)}}; }
ReplyBody read(Tag<ReopenCaseReply>, JsonReader& r) { return ReopenCaseReply{read_case_field(r)}; }

std::vector<CaseInfo> read_cases(JsonReader& r) { return detail::read_list<CaseInfo>(r, "cases", detail::read_case_info); }
json result_json(const ListCasesReply& r) { return {{"cases", cases_json(r.cases)}, {"has_more", r.has_more}}; }
ReplyBody read(Tag<ListCasesReply>, JsonReader& r) {
    ListCasesReply x;
    x.cases = read_cases(r);
    x.has_more = r.boolean("has_more");
    return x;
}
json result_json(const GetCaseReply& r) {
    json messages = json::array();
    for (const auto& m : r.messages) messages.push_back(to_json(m));
    return {{"case", to_json(r.case_info)}, {"messages", std::move(messages)}};
}
ReplyBody read(Tag<GetCaseReply>, JsonReader& r) {
    GetCaseReply x;
    x.case_info = read_case_field(r);
    if (const json* messages = r.array("messages", SIZE_MAX))
        for (std::size_t i = 0; i < messages->size() && r.ok(); ++i)
            x.messages.push_back(detail::read_message((*messages)[i], r, "messages[" + std::to_string(i) + "]"));
    return x;
}
json result_json(const SearchReply& r) {
    json hits = json::array();
    for (const auto& h : r.hits) hits.push_back(to_json(h));
    return {{"hits", std::move(hits)}};
}
ReplyBody read(Tag<SearchReply>, JsonReader& r) {
    SearchReply x;
    if (const json* hits = r.array("hits", SIZE_MAX))
        for (std::size_t i = 0; i < hits->size() && r.ok(); ++i)
            x.hits.push_back(detail::read_search_hit((*hits)[i], r, "hits[" + std::to_string(i) + "]"));
    return x;
}
json result_json(const SimilarCasesReply& r) { return {{"cases", cases_json(r.cases)}}; }
ReplyBody read(Tag<SimilarCasesReply>, JsonReader& r) { return SimilarCasesReply{read_cases(r)}; }

json result_json(const MarkReadReply& r) {
    return {{"room_id", r.room_id}, {"read_seq", r.read_seq}, {"unread", r.unread}};
}
ReplyBody read(Tag<MarkReadReply>, JsonReader& r) {
    MarkReadReply x;
    x.room_id = r.integer("room_id", 1, detail::kMaxId);
    x.read_seq = r.integer("read_seq", 0, detail::kMaxId);
    x.unread = r.integer("unread", 0, detail::kMaxId);
    return x;
}

// ---- moderation ----

Room read_room_field(JsonReader& r) {
    const json* room = r.object("room");
    return room ? detail::read_room(*room, r, "room") : Room{};
}
json result_json(const UpdateRoomReply& r) { return {{"room", to_json(r.room)}}; }
ReplyBody read(Tag<UpdateRoomReply>, JsonReader& r) { return UpdateRoomReply{read_room_field(r)}; }
json result_json(const PinMessageReply& r) { return {{"room", to_json(r.room)}}; }
ReplyBody read(Tag<PinMessageReply>, JsonReader& r) { return PinMessageReply{read_room_field(r)}; }

json result_json(const SetRoomRoleReply& r) {
    return {{"room_id", r.room_id}, {"handle", r.handle}, {"role", to_string(r.role)}};
}
ReplyBody read(Tag<SetRoomRoleReply>, JsonReader& r) {
    SetRoomRoleReply x;
    x.room_id = r.integer("room_id", 1, detail::kMaxId);
    x.handle = r.text("handle", {1, kMaxHandleChars});
    x.role = room_role_from_string(r.text("role", {1, 20})).value_or(RoomRole::member);
    return x;
}

json result_json(const CreateRoomInviteReply& r) {
    return {{"room_id", r.room_id}, {"code", r.code}, {"max_uses", r.max_uses}, {"expires_ms", r.expires_ms}};
}
ReplyBody read(Tag<CreateRoomInviteReply>, JsonReader& r) {
    CreateRoomInviteReply x;
    x.room_id = r.integer("room_id", 1, detail::kMaxId);
    x.code = r.text("code", {1, kMaxInviteBytes});
    x.max_uses = static_cast<int>(r.integer("max_uses", 1, kMaxInviteUses));
    x.expires_ms = r.integer("expires_ms", 0, detail::kMaxId);
    return x;
}

json message_action_json(const MessageActionResult& r) { return {{"room_id", r.room_id}, {"message_id", r.message_id}}; }
MessageActionResult read_message_action(JsonReader& r) {
    return {r.integer("room_id", 1, detail::kMaxId), r.integer("message_id", 1, detail::kMaxId)};
}
json result_json(const KickAuthorReply& r) { return message_action_json(r); }
ReplyBody read(Tag<KickAuthorReply>, JsonReader& r) { return KickAuthorReply{read_message_action(r)}; }
json result_json(const UnhideMessageReply& r) { return message_action_json(r); }
ReplyBody read(Tag<UnhideMessageReply>, JsonReader& r) { return UnhideMessageReply{read_message_action(r)}; }
json result_json(const DeleteMessageReply& r) { return message_action_json(r); }
ReplyBody read(Tag<DeleteMessageReply>, JsonReader& r) { return DeleteMessageReply{read_message_action(r)}; }

json result_json(const BanAccountReply& r) {
    json j = {{"handle", r.handle}};
    if (r.until_ms) j["until_ms"] = *r.until_ms;
    if (r.lifted) j["lifted"] = true;
    return j;
}
ReplyBody read(Tag<BanAccountReply>, JsonReader& r) {
    BanAccountReply x;
    x.handle = r.text("handle", {1, kMaxHandleChars});
    x.until_ms = r.optional_integer("until_ms", 0, detail::kMaxId);
    x.lifted = r.has("lifted") && r.boolean("lifted");
    return x;
}

json result_json(const ReportReply& r) { return {{"report_id", r.report_id}}; }
ReplyBody read(Tag<ReportReply>, JsonReader& r) { return ReportReply{r.integer("report_id", 1, detail::kMaxId)}; }

json result_json(const ListReportsReply& r) {
    json reports = json::array();
    for (const auto& x : r.reports) reports.push_back(to_json(x));
    return {{"reports", std::move(reports)}};
}
ReplyBody read(Tag<ListReportsReply>, JsonReader& r) {
    ListReportsReply x;
    if (const json* arr = r.array("reports", SIZE_MAX))
        for (std::size_t i = 0; i < arr->size() && r.ok(); ++i)
            x.reports.push_back(detail::read_report((*arr)[i], r, "reports[" + std::to_string(i) + "]"));
    return x;
}
Report read_report_field(JsonReader& r) {
    const json* report = r.object("report");
    return report ? detail::read_report(*report, r, "report") : Report{};
}
json result_json(const ClaimReportReply& r) { return {{"report", to_json(r.report)}}; }
ReplyBody read(Tag<ClaimReportReply>, JsonReader& r) { return ClaimReportReply{{read_report_field(r)}}; }
json result_json(const ResolveReportReply& r) { return {{"report", to_json(r.report)}}; }
ReplyBody read(Tag<ResolveReportReply>, JsonReader& r) { return ResolveReportReply{{read_report_field(r)}}; }
json result_json(const DismissReportReply& r) { return {{"report", to_json(r.report)}}; }
ReplyBody read(Tag<DismissReportReply>, JsonReader& r) { return DismissReportReply{{read_report_field(r)}}; }

json result_json(const AuditReply& r) {
    json entries = json::array();
    for (const auto& x : r.entries) entries.push_back(to_json(x));
    return {{"entries", std::move(entries)}, {"has_more", r.has_more}};
}
ReplyBody read(Tag<AuditReply>, JsonReader& r) {
    AuditReply x;
    if (const json* arr = r.array("entries", SIZE_MAX))
        for (std::size_t i = 0; i < arr->size() && r.ok(); ++i)
            x.entries.push_back(detail::read_audit_record((*arr)[i], r, "entries[" + std::to_string(i) + "]"));
    x.has_more = r.boolean("has_more");
    return x;
}

json result_json(const ExportMyDataReply& r) {
    json messages = json::array();
    for (const auto& m : r.messages) messages.push_back(to_json(m));
    return {{"account", to_json(r.account)}, {"role", to_string(r.role)}, {"messages", std::move(messages)},
            {"cases", cases_json(r.cases)}};
}
ReplyBody read(Tag<ExportMyDataReply>, JsonReader& r) {
    ExportMyDataReply x;
    x.account = detail::read_member(r, "account");
    x.role = role_from_string(r.text("role", {1, 20})).value_or(Role::member);
    if (const json* messages = r.array("messages", SIZE_MAX))
        for (std::size_t i = 0; i < messages->size() && r.ok(); ++i)
            x.messages.push_back(detail::read_message((*messages)[i], r, "messages[" + std::to_string(i) + "]"));
    x.cases = read_cases(r);
    return x;
}

// ---- network meetings (sessions) ----

Session read_session_field(JsonReader& r) {
    const json* session = r.object("session");
    return session ? detail::read_session_info(*session, r, "session") : Session{};
}
json messages_json(const std::vector<Message>& messages) {
    json out = json::array();
    for (const auto& m : messages) out.push_back(to_json(m));
    return out;
}
json session_with_messages_json(const SessionWithMessages& x) {
    return {{"session", to_json(x.session)}, {"messages", messages_json(x.messages)}};
}
SessionWithMessages read_session_with_messages(JsonReader& r) {
    SessionWithMessages x;
    x.session = read_session_field(r);
    x.messages = detail::read_list<Message>(r, "messages", detail::read_message);
    return x;
}

json result_json(const ScheduleSessionReply& r) { return {{"session", to_json(r.session)}}; }
ReplyBody read(Tag<ScheduleSessionReply>, JsonReader& r) { return ScheduleSessionReply{read_session_field(r)}; }
json result_json(const SignUpReply& r) { return {{"session", to_json(r.session)}}; }
ReplyBody read(Tag<SignUpReply>, JsonReader& r) { return SignUpReply{read_session_field(r)}; }
json result_json(const ControlSessionReply& r) { return {{"session", to_json(r.session)}}; }
ReplyBody read(Tag<ControlSessionReply>, JsonReader& r) { return ControlSessionReply{read_session_field(r)}; }

json result_json(const ListSessionsReply& r) {
    json sessions = json::array();
    for (const auto& s : r.sessions) sessions.push_back(to_json(s));
    return {{"sessions", std::move(sessions)}};
}
ReplyBody read(Tag<ListSessionsReply>, JsonReader& r) {
    return ListSessionsReply{detail::read_list<Session>(r, "sessions", detail::read_session_info)};
}

json result_json(const GetSessionReply& r) { return session_with_messages_json(r); }
ReplyBody read(Tag<GetSessionReply>, JsonReader& r) { return GetSessionReply{read_session_with_messages(r)}; }

json result_json(const AllowPostReply& r) { return {{"session_id", r.session_id}}; }
ReplyBody read(Tag<AllowPostReply>, JsonReader& r) { return AllowPostReply{r.integer("session_id", 1, detail::kMaxId)}; }

json result_json(const SessionAttendanceReply& r) {
    json attendees = json::array();
    for (const auto& a : r.attendees) attendees.push_back(to_json(a));
    return {{"session_id", r.session_id}, {"attendees", std::move(attendees)}, {"anonymous", r.anonymous}};
}
ReplyBody read(Tag<SessionAttendanceReply>, JsonReader& r) {
    SessionAttendanceReply x;
    x.session_id = r.integer("session_id", 1, detail::kMaxId);
    x.attendees = detail::read_list<Attendee>(r, "attendees", detail::read_attendee);
    x.anonymous = r.integer("anonymous", 0, detail::kMaxId);
    return x;
}

json result_json(const GetSummaryReply& r) {
    return {{"session_id", r.session_id}, {"case_id", r.case_id}, {"markdown", r.markdown}};
}
ReplyBody read(Tag<GetSummaryReply>, JsonReader& r) {
    GetSummaryReply x;
    x.session_id = r.integer("session_id", 1, detail::kMaxId);
    x.case_id = r.integer("case_id", 1, detail::kMaxId);
    x.markdown = r.text("markdown", {0, SIZE_MAX, true});
    return x;
}

using ReplyReader = ReplyBody (*)(JsonReader&);
template <std::size_t... I>
constexpr auto make_reply_readers(std::index_sequence<I...>) {
    return std::array<ReplyReader, sizeof...(I)>{[](JsonReader& r) -> ReplyBody {
        return read(Tag<std::variant_alternative_t<I, ReplyBody>>{}, r);
    }...};
}
constexpr auto kReplyReaders =
    make_reply_readers(std::make_index_sequence<std::variant_size_v<ReplyBody>>{});

// ---- events ----

constexpr std::array<std::string_view, std::variant_size_v<Event>> kEventNames{
    "message", "member_joined", "member_left", "identity_revealed", "reveal_approved",
    "message_hidden", "removed_from_room", "catch_up_gap", "case_updated", "helpful_marked",
    "notification", "room_updated", "message_unhidden", "message_deleted", "session_updated",
    "phase_ending", "session_state"};

void write_event(const MessagePosted& e, json& j) {
    j["room_id"] = e.message.room_id;
    j["message"] = to_json(e.message);
}
void write_event(const MemberJoined& e, json& j) {
    j["room_id"] = e.room_id;
    j["seq"] = e.seq;
    j["member"] = to_json(e.member);
}
void write_event(const MemberLeft& e, json& j) {
    j["room_id"] = e.room_id;
    j["seq"] = e.seq;
    j["member"] = to_json(e.member);
}

void write_event(const IdentityRevealed& e, json& j) {
    j["room_id"] = e.room_id;
    j["message_id"] = e.message_id;
    j["reason"] = e.reason;
}
void write_event(const RevealApproved& e, json& j) {
    j["reveal_id"] = e.reveal_id;
    j["message_id"] = e.message_id;
    j["identity"] = to_json(e.identity);
}

void write_event(const MessageHidden& e, json& j) {
    j["room_id"] = e.room_id;
    j["seq"] = e.seq;
    j["message_id"] = e.message_id;
    j["reason"] = e.reason;
}
void write_event(const RemovedFromRoom& e, json& j) {
    j["room_id"] = e.room_id;
    j["kind"] = e.kind;
    j["reason"] = e.reason;
    if (e.until_ms) j["until_ms"] = *e.until_ms;
}

void write_event(const CatchUpGap& e, json& j) {
    j["room_id"] = e.room_id;
    j["after_seq"] = e.after_seq;
    j["last_seq"] = e.last_seq;
}

void write_event(const CaseUpdated& e, json& j) {
    j["room_id"] = e.case_info.room_id;
    j["seq"] = e.seq;
    j["case"] = to_json(e.case_info);
}
void write_event(const HelpfulMarked& e, json& j) {
    j["room_id"] = e.room_id;
    j["seq"] = e.seq;
    j["case_id"] = e.case_id;
    j["message_id"] = e.message_id;
    j["helpful"] = e.helpful;
}

void write_event(const RoomUpdated& e, json& j) {
    j["room_id"] = e.room.id;
    j["seq"] = e.seq;
    j["room"] = to_json(e.room);
}
void write_event(const MessageUnhidden& e, json& j) {
    j["room_id"] = e.room_id;
    j["seq"] = e.seq;
    j["message_id"] = e.message_id;
}
void write_event(const MessageDeleted& e, json& j) {
    j["room_id"] = e.room_id;
    j["seq"] = e.seq;
    j["message_id"] = e.message_id;
}

void write_event(const Notification& e, json& j) {
    j["kind"] = e.kind;
    j["room_id"] = e.room_id;
    j["message_id"] = e.message_id;
    if (e.case_id) j["case_id"] = *e.case_id;
}

void write_event(const SessionUpdated& e, json& j) {
    j["room_id"] = e.session.room_id;
    j["seq"] = e.seq;
    j["session"] = to_json(e.session);
}
void write_event(const PhaseEnding& e, json& j) {
    j["room_id"] = e.room_id;
    j["session_id"] = e.session_id;
    j["phase"] = e.phase;
    j["time_left_ms"] = e.time_left_ms;
}
void write_event(const SessionState& e, json& j) {
    j["room_id"] = e.session.room_id;
    j.update(session_with_messages_json(e));
}

Event read_event(std::size_t index, JsonReader& r) {
    switch (index) {
        case 0: {
            const json* m = r.object("message");
            return MessagePosted{m ? detail::read_message(*m, r, "message") : Message{}};
        }
        case 1: {
            MemberJoined e;
            e.room_id = r.integer("room_id", 1, detail::kMaxId);
            e.member = detail::read_member(r, "member");
            e.seq = r.integer("seq", 1, detail::kMaxId);
            return e;
        }
        case 2: {
            MemberLeft e;
            e.room_id = r.integer("room_id", 1, detail::kMaxId);
            e.member = detail::read_member(r, "member");
            e.seq = r.integer("seq", 1, detail::kMaxId);
            return e;
        }
        case 3: {
            IdentityRevealed e;
            e.room_id = r.integer("room_id", 1, detail::kMaxId);
            e.message_id = r.integer("message_id", 1, detail::kMaxId);
            e.reason = r.text("reason", {0, kMaxReasonChars});
            return e;
        }
        case 5: {
            MessageHidden e;
            e.room_id = r.integer("room_id", 1, detail::kMaxId);
            e.message_id = r.integer("message_id", 1, detail::kMaxId);
            e.reason = r.text("reason", {0, kMaxReasonChars});
            e.seq = r.integer("seq", 1, detail::kMaxId);
            return e;
        }
        case 6: {
            RemovedFromRoom e;
            e.room_id = r.integer("room_id", 1, detail::kMaxId);
            e.reason = r.text("reason", {0, kMaxReasonChars});
            e.until_ms = r.optional_integer("until_ms", 0, detail::kMaxId);
            e.kind = r.optional_text("kind", {1, 10}).value_or("ban");
            return e;
        }
        case 7: {
            CatchUpGap e;
            e.room_id = r.integer("room_id", 1, detail::kMaxId);
            e.after_seq = r.integer("after_seq", 0, detail::kMaxId);
            e.last_seq = r.integer("last_seq", 0, detail::kMaxId);
            return e;
        }
        case 8: {
            CaseUpdated e{read_case_field(r)};
            e.seq = r.integer("seq", 1, detail::kMaxId);
            return e;
        }
        case 9: {
            HelpfulMarked e;
            e.room_id = r.integer("room_id", 1, detail::kMaxId);
            e.case_id = r.integer("case_id", 1, detail::kMaxId);
            e.message_id = r.integer("message_id", 1, detail::kMaxId);
            e.helpful = r.boolean("helpful");
            e.seq = r.integer("seq", 1, detail::kMaxId);
            return e;
        }
        case 10: {
            Notification e;
            e.kind = r.text("kind", {1, 40});
            e.room_id = r.integer("room_id", 1, detail::kMaxId);
            e.message_id = r.integer("message_id", 1, detail::kMaxId);
            e.case_id = r.optional_integer("case_id", 1, detail::kMaxId);
            return e;
        }
        case 11: {
            const json* room = r.object("room");
            RoomUpdated e{room ? detail::read_room(*room, r, "room") : Room{}};
            e.seq = r.integer("seq", 1, detail::kMaxId);
            return e;
        }
        case 12:
        case 13: {
            RoomId room_id = r.integer("room_id", 1, detail::kMaxId);
            MessageId message_id = r.integer("message_id", 1, detail::kMaxId);
            Seq seq = r.integer("seq", 1, detail::kMaxId);
            if (index == 12) return MessageUnhidden{room_id, message_id, seq};
            return MessageDeleted{room_id, message_id, seq};
        }
        case 14: {
            SessionUpdated e{read_session_field(r)};
            e.seq = r.integer("seq", 1, detail::kMaxId);
            return e;
        }
        case 15: {
            PhaseEnding e;
            e.room_id = r.integer("room_id", 1, detail::kMaxId);
            e.session_id = r.integer("session_id", 1, detail::kMaxId);
            e.phase = r.text("phase", {1, 64});
            e.time_left_ms = r.integer("time_left_ms", 0, detail::kMaxId);
            return e;
        }
        case 16:
            return SessionState{read_session_with_messages(r)};
        default: {
            RevealApproved e;
            e.reveal_id = r.integer("reveal_id", 1, detail::kMaxId);
            e.message_id = r.integer("message_id", 1, detail::kMaxId);
            e.identity = detail::read_member(r, "identity");
            return e;
        }
    }
}

Error bad_frame(std::string message) { return make_error(ErrorCode::invalid_request, std::move(message)); }

}  // namespace

std::string_view type_name(const ReplyBody& body) { return detail::request_type_name(body.index()); }
std::string_view event_name(const Event& event) { return kEventNames[event.index()]; }

std::optional<RoomPosition> room_position(const Event& event) {
    return std::visit(
        [](const auto& e) -> std::optional<RoomPosition> {
            using E = std::decay_t<decltype(e)>;
            if constexpr (std::is_same_v<E, MessagePosted>) return RoomPosition{e.message.room_id, e.message.seq};
            else if constexpr (std::is_same_v<E, CaseUpdated>) return RoomPosition{e.case_info.room_id, e.seq};
            else if constexpr (std::is_same_v<E, RoomUpdated>) return RoomPosition{e.room.id, e.seq};
            else if constexpr (std::is_same_v<E, SessionUpdated>) return RoomPosition{e.session.room_id, e.seq};
            else if constexpr (std::is_same_v<E, MemberJoined> || std::is_same_v<E, MemberLeft> ||
                               std::is_same_v<E, MessageHidden> || std::is_same_v<E, HelpfulMarked> ||
                               std::is_same_v<E, MessageUnhidden> || std::is_same_v<E, MessageDeleted>)
                return RoomPosition{e.room_id, e.seq};
            else return std::nullopt;
        },
        event);
}

std::string encode_reply(std::string_view request_id, const ReplyBody& body) {
    return encode_reply_with(request_id, type_name(body), encode_result(body));
}

std::string encode_message(const Message& message) {
    std::string out;
    out.reserve(256 + message.body.size());
    detail::write_message_json(out, message);
    return out;
}

std::string encode_history_result(RoomId room_id, bool has_more, const std::vector<std::string>& messages) {
    std::size_t size = 64;
    for (const auto& m : messages) size += m.size() + 1;
    return detail::history_result_json_of(room_id, has_more, messages, size);
}

std::string encode_result(const ReplyBody& body) {
    // A page of history is most of what a join or a resume sends: written directly.
    if (const auto* history = std::get_if<HistoryReply>(&body)) return detail::history_result_json(*history);
    // And every post is acknowledged: written directly unless it carries findings.
    if (const auto* post = std::get_if<PostReply>(&body); post && post->findings.empty())
        return detail::post_result_json(*post);
    return detail::dump(std::visit([](const auto& b) { return result_json(b); }, body));
}

std::string encode_reply_with(std::string_view request_id, std::string_view type, std::string_view result_json) {
    // The keys in the order the JSON library writes them (sorted), as every other frame has them.
    std::string out = R"({"ok":true,"reply_to":)";
    detail::write_json_string(out, request_id);
    out += R"(,"result":)";
    out += result_json;
    out += R"(,"type":)";
    detail::write_json_string(out, type);
    out += '}';
    return out;
}

std::string encode_error(const std::optional<std::string>& request_id, std::string_view type,
                         const Error& error) {
    json j = json::object();
    j["reply_to"] = request_id ? json(*request_id) : json(nullptr);
    j["type"] = type.empty() ? json(nullptr) : json(type);
    j["ok"] = false;
    json e = {{"code", to_string(error.code)}, {"message", error.message}};
    if (!error.field.empty()) e["field"] = error.field;
    if (error.retry_after_ms) e["retry_after_ms"] = *error.retry_after_ms;
    if (!error.findings.empty()) e["findings"] = detail::findings_json(error.findings);
    j["error"] = std::move(e);
    return detail::dump(j);
}

std::string encode_event(const Event& event) {
    // Every post sends one of these; written directly (the same bytes).
    if (const auto* posted = std::get_if<MessagePosted>(&event)) return detail::message_event_json(*posted);
    json j = json::object();
    j["event"] = event_name(event);
    std::visit([&](const auto& e) { write_event(e, j); }, event);
    return detail::dump(j);
}

Result<ServerFrame, Error> decode_server_frame(std::string_view frame) {
    std::optional<json> parsed = detail::parse_frame(frame);
    if (!parsed) return fail(make_error(ErrorCode::malformed_json));
    const json& j = *parsed;
    if (!j.is_object()) return fail(bad_frame("a server frame must be a JSON object"));

    if (auto ev = j.find("event"); ev != j.end()) {
        if (!ev->is_string()) return fail(bad_frame("'event' must be a string"));
        for (std::size_t i = 0; i < kEventNames.size(); ++i) {
            if (kEventNames[i] != ev->get_ref<const std::string&>()) continue;
            JsonReader r(j);
            Event event = read_event(i, r);
            if (r.error()) return fail(*r.error());
            return ServerFrame{std::move(event)};
        }
        return fail(make_error(ErrorCode::unknown_type, "unknown event type"));
    }

    JsonReader r(j);
    ReplyFrame reply;
    if (auto it = j.find("reply_to"); it != j.end() && it->is_string())
        reply.reply_to = it->get<std::string>();
    else if (it == j.end() || !it->is_null())
        return fail(bad_frame("a server frame has 'event' or 'reply_to'"));
    if (auto it = j.find("type"); it != j.end() && it->is_string()) reply.type = it->get<std::string>();
    bool ok = r.boolean("ok");
    if (!r.ok()) return fail(*r.error());
    if (ok) {
        auto index = detail::request_type_index(reply.type);
        if (!index) return fail(make_error(ErrorCode::unknown_type, "reply to an unknown request type"));
        const json* result = r.object("result");
        if (!result) return fail(*r.error());
        JsonReader rr(*result, "result");
        ReplyBody body = kReplyReaders[*index](rr);
        if (rr.error()) return fail(*rr.error());
        reply.outcome = std::move(body);
    } else {
        const json* e = r.object("error");
        if (!e) return fail(*r.error());
        JsonReader er(*e, "error");
        std::string code = er.text("code", {1, 64});
        Error error;
        error.message = er.text("message", {0, 4000, true});
        error.field = er.optional_text("field", {0, 200}).value_or("");
        error.retry_after_ms = er.optional_integer("retry_after_ms", 0, detail::kMaxId);
        error.findings = detail::read_findings(er, "findings");
        if (er.error()) return fail(*er.error());
        // A code this client does not know yet is kept as internal_error with its message.
        error.code = error_code_from_string(code).value_or(ErrorCode::internal_error);
        reply.outcome = std::move(error);
    }
    return ServerFrame{std::move(reply)};
}

}  // namespace vraagbaak::protocol
