// Requests: client to server. See PROTOCOL.md, "Requests".

#include <array>
#include <functional>

#include "json_reader.hpp"
#include "vraagbaak/protocol/codec.hpp"
#include "vraagbaak/protocol/text.hpp"
#include "wire_json.hpp"

namespace vraagbaak::protocol {

using detail::JsonReader;
using detail::TextRule;
using nlohmann::json;

namespace {

template <typename T>
struct Tag {};

std::optional<std::string> read_client_msg_id(JsonReader& r) {
    auto id = r.optional_text("client_msg_id", {1, kMaxClientMsgIdBytes});
    if (id && id->size() > kMaxClientMsgIdBytes)
        r.fail(ErrorCode::too_long, "client_msg_id", "'client_msg_id' is longer than 64 bytes");
    return id;
}

std::string read_category(JsonReader& r) {
    auto category = r.optional_text("category", {1, 20}).value_or("other");
    if (r.ok() && !is_moderation_category(category))
        r.fail(ErrorCode::invalid_field, "category", "'category' is privacy, offensive, off_topic, spam or other");
    return category;
}

std::int64_t read_id(JsonReader& r, std::string_view key) { return r.integer(key, 1, detail::kMaxId); }

int read_limit(JsonReader& r, int fallback) {
    return static_cast<int>(r.optional_integer("limit", 1, kMaxListLimit).value_or(fallback));
}
int read_offset(JsonReader& r) {
    return static_cast<int>(r.optional_integer("offset", 0, 1'000'000).value_or(0));
}

// Each request type: its wire name, how to read it, how to write it.
RequestBody read(Tag<HelloRequest>, JsonReader& r) {
    HelloRequest h;
    if (const json* versions = r.array("versions", kMaxVersionsOffered)) {
        for (const auto& v : *versions) {
            if (!v.is_number_integer() || v.get<std::int64_t>() < 1 ||
                v.get<std::int64_t>() > 1000) {
                r.fail(ErrorCode::invalid_field, "versions",
                       "'versions' must be an array of positive integers");
                break;
            }
            h.versions.push_back(v.get<int>());
        }
        if (h.versions.empty() && r.ok())
            r.fail(ErrorCode::invalid_field, "versions", "'versions' must not be empty");
    }
    h.client = r.optional_text("client", {0, kMaxClientNameChars}).value_or("");
    h.batch = r.has("batch") && r.boolean("batch");
    return h;
}
void write(const HelloRequest& h, json& j) {
    j["versions"] = h.versions;
    j["client"] = h.client;
    if (h.batch) j["batch"] = true;
}

RequestBody read(Tag<LoginRequest>, JsonReader& r) {
    LoginRequest l;
    // Handles are checked for shape only loosely here: an ill-formed handle simply does not
    // exist, and saying so would tell apart "no such handle" from "wrong password".
    l.handle = r.text("handle", {1, kMaxHandleChars, false, true});
    l.password = r.text("password", {1, kMaxPasswordBytes, false, false});
    return l;
}
void write(const LoginRequest& l, json& j) {
    j["handle"] = l.handle;
    j["password"] = l.password;
}

RequestBody read(Tag<ResumeRequest>, JsonReader& r) {
    ResumeRequest x;
    x.token = r.text("token", {1, kMaxTokenBytes});
    if (r.has("last_seen")) {
        if (const json* cursors = r.array("last_seen", kMaxResumeCursors)) {
            for (std::size_t i = 0; i < cursors->size() && r.ok(); ++i) {
                const json& c = (*cursors)[i];
                if (!c.is_object()) {
                    r.fail(ErrorCode::invalid_field, "last_seen", "'last_seen' holds objects");
                    break;
                }
                JsonReader cr(c, "last_seen[" + std::to_string(i) + "]");
                RoomCursor cursor{cr.integer("room_id", 1, detail::kMaxId), cr.integer("seq", 0, detail::kMaxId)};
                r.adopt(cr.error());
                x.last_seen.push_back(cursor);
            }
        }
    }
    return x;
}
void write(const ResumeRequest& x, json& j) {
    j["token"] = x.token;
    if (!x.last_seen.empty()) {
        j["last_seen"] = json::array();
        for (const auto& c : x.last_seen) j["last_seen"].push_back({{"room_id", c.room_id}, {"seq", c.seq}});
    }
}

RequestBody read(Tag<RegisterRequest>, JsonReader& r) {
    RegisterRequest x;
    x.invite = r.text("invite", {1, kMaxInviteBytes});
    x.handle = r.text("handle", detail::handle_rule());
    if (r.ok() && !is_valid_handle(x.handle))
        r.fail(ErrorCode::invalid_field, "handle",
               "'handle' takes lowercase letters, digits, '.', '_' and '-', starting with a letter");
    x.display_name = r.text("display_name", detail::display_name_rule());
    x.password = r.text("password", {1, kMaxPasswordBytes, false, false});
    return x;
}
void write(const RegisterRequest& x, json& j) {
    j["invite"] = x.invite;
    j["handle"] = x.handle;
    j["display_name"] = x.display_name;
    j["password"] = x.password;
}

RequestBody read(Tag<LogoutRequest>, JsonReader&) { return LogoutRequest{}; }
void write(const LogoutRequest&, json&) {}

RequestBody read(Tag<ListRoomsRequest>, JsonReader&) { return ListRoomsRequest{}; }
void write(const ListRoomsRequest&, json&) {}

RequestBody read(Tag<CreateRoomRequest>, JsonReader& r) {
    CreateRoomRequest c;
    c.name = r.text("name", detail::room_name_rule());
    c.topic = r.optional_text("topic", detail::topic_rule()).value_or("");
    if (r.has("allowed_levels")) c.allowed_levels = detail::read_levels(r, "allowed_levels", true);
    return c;
}
void write(const CreateRoomRequest& c, json& j) {
    j["name"] = c.name;
    j["topic"] = c.topic;
    if (c.allowed_levels) {
        j["allowed_levels"] = json::array();
        for (auto l : *c.allowed_levels) j["allowed_levels"].push_back(to_string(l));
    }
}

RequestBody read(Tag<JoinRequest>, JsonReader& r) {
    JoinRequest x;
    x.room_id = r.integer("room_id", 1, detail::kMaxId);
    x.invite = r.optional_text("invite", {1, kMaxInviteBytes});
    return x;
}
void write(const JoinRequest& x, json& j) {
    j["room_id"] = x.room_id;
    if (x.invite) j["invite"] = *x.invite;
}

RequestBody read(Tag<LeaveRequest>, JsonReader& r) {
    return LeaveRequest{r.integer("room_id", 1, detail::kMaxId)};
}
void write(const LeaveRequest& x, json& j) { j["room_id"] = x.room_id; }

RequestBody read(Tag<PostRequest>, JsonReader& r) {
    PostRequest p;
    p.room_id = r.integer("room_id", 1, detail::kMaxId);
    p.body = r.text("body", detail::body_rule());
    p.level = detail::read_level(r, "level");
    p.thread_id = r.optional_integer("thread_id", 1, detail::kMaxId);
    p.client_msg_id = read_client_msg_id(r);
    p.kind = r.optional_text("kind", {1, 20});
    if (p.kind && !is_reply_kind(*p.kind))
        r.fail(ErrorCode::invalid_field, "kind",
               "'kind' is question, idea, advice, experience or comment");
    return p;
}
void write(const PostRequest& p, json& j) {
    j["room_id"] = p.room_id;
    j["body"] = p.body;
    j["level"] = to_string(p.level);
    if (p.thread_id) j["thread_id"] = *p.thread_id;
    if (p.client_msg_id) j["client_msg_id"] = *p.client_msg_id;
    if (p.kind) j["kind"] = *p.kind;
}

RequestBody read(Tag<HistoryRequest>, JsonReader& r) {
    HistoryRequest h;
    h.room_id = r.integer("room_id", 1, detail::kMaxId);
    h.before = r.optional_integer("before", 1, detail::kMaxId);
    h.after = r.optional_integer("after", 0, detail::kMaxId);
    h.limit = static_cast<int>(
        r.optional_integer("limit", 1, kMaxHistoryLimit).value_or(kDefaultHistoryLimit));
    if (r.ok() && h.before && h.after)
        r.fail(ErrorCode::invalid_field, "before", "give 'before' or 'after', not both");
    return h;
}
void write(const HistoryRequest& h, json& j) {
    j["room_id"] = h.room_id;
    if (h.before) j["before"] = *h.before;
    if (h.after) j["after"] = *h.after;
    j["limit"] = h.limit;
}

RequestBody read(Tag<CreateInviteRequest>, JsonReader& r) {
    CreateInviteRequest x;
    x.organisation_id = r.optional_integer("organisation_id", 1, detail::kMaxId);
    x.max_uses = static_cast<int>(r.optional_integer("max_uses", 1, kMaxInviteUses).value_or(1));
    x.valid_hours = static_cast<int>(r.optional_integer("valid_hours", 1, kMaxInviteHours).value_or(72));
    return x;
}
void write(const CreateInviteRequest& x, json& j) {
    if (x.organisation_id) j["organisation_id"] = *x.organisation_id;
    j["max_uses"] = x.max_uses;
    j["valid_hours"] = x.valid_hours;
}

RequestBody read(Tag<MuteAuthorRequest>, JsonReader& r) {
    MuteAuthorRequest x;
    x.message_id = r.integer("message_id", 1, detail::kMaxId);
    x.duration_s = r.integer("duration_s", 0, kMaxMuteSeconds);  // 0 lifts a mute
    x.reason = r.text("reason", detail::reason_rule());
    return x;
}
void write(const MuteAuthorRequest& x, json& j) {
    j["message_id"] = x.message_id;
    j["duration_s"] = x.duration_s;
    j["reason"] = x.reason;
}

RequestBody read(Tag<HideMessageRequest>, JsonReader& r) {
    HideMessageRequest x;
    x.message_id = r.integer("message_id", 1, detail::kMaxId);
    x.reason = r.text("reason", detail::reason_rule());
    x.category = read_category(r);
    return x;
}
void write(const HideMessageRequest& x, json& j) {
    j["message_id"] = x.message_id;
    j["reason"] = x.reason;
    j["category"] = x.category;
}

RequestBody read(Tag<BanAuthorRequest>, JsonReader& r) {
    BanAuthorRequest x;
    x.message_id = r.integer("message_id", 1, detail::kMaxId);
    x.duration_s = r.optional_integer("duration_s", 0, kMaxMuteSeconds);  // 0 lifts a ban
    x.reason = r.text("reason", detail::reason_rule());
    return x;
}
void write(const BanAuthorRequest& x, json& j) {
    j["message_id"] = x.message_id;
    if (x.duration_s) j["duration_s"] = *x.duration_s;
    j["reason"] = x.reason;
}

RequestBody read(Tag<RequestRevealRequest>, JsonReader& r) {
    RequestRevealRequest x;
    x.message_id = r.integer("message_id", 1, detail::kMaxId);
    x.reason = r.text("reason", detail::reason_rule());
    return x;
}
void write(const RequestRevealRequest& x, json& j) {
    j["message_id"] = x.message_id;
    j["reason"] = x.reason;
}

RequestBody read(Tag<ApproveRevealRequest>, JsonReader& r) {
    return ApproveRevealRequest{r.integer("reveal_id", 1, detail::kMaxId)};
}
void write(const ApproveRevealRequest& x, json& j) { j["reveal_id"] = x.reveal_id; }

RequestBody read(Tag<AskRequest>, JsonReader& r) {
    AskRequest x;
    x.room_id = r.integer("room_id", 1, detail::kMaxId);
    x.title = r.text("title", detail::title_rule());
    x.body = r.text("body", detail::body_rule());
    x.tags = detail::read_tags(r, "tags", false);
    if (r.ok() && x.tags.size() > kMaxTags) r.fail(ErrorCode::too_long, "tags", "at most 8 tags");
    x.level = detail::read_level(r, "level");
    x.client_msg_id = read_client_msg_id(r);
    return x;
}
void write(const AskRequest& x, json& j) {
    j["room_id"] = x.room_id;
    j["title"] = x.title;
    j["body"] = x.body;
    j["tags"] = x.tags;
    j["level"] = to_string(x.level);
    if (x.client_msg_id) j["client_msg_id"] = *x.client_msg_id;
}

RequestBody read(Tag<MarkHelpfulRequest>, JsonReader& r) {
    MarkHelpfulRequest x;
    x.message_id = r.integer("message_id", 1, detail::kMaxId);
    x.helpful = !r.has("helpful") || r.boolean("helpful");
    return x;
}
void write(const MarkHelpfulRequest& x, json& j) {
    j["message_id"] = x.message_id;
    j["helpful"] = x.helpful;
}

RequestBody read(Tag<CloseCaseRequest>, JsonReader& r) {
    CloseCaseRequest x;
    x.case_id = r.integer("case_id", 1, detail::kMaxId);
    x.outcome = r.text("outcome", {1, kMaxOutcomeChars, true, true});
    x.reflection = r.text("reflection", {1, kMaxOutcomeChars, true, true});
    return x;
}
void write(const CloseCaseRequest& x, json& j) {
    j["case_id"] = x.case_id;
    j["outcome"] = x.outcome;
    j["reflection"] = x.reflection;
}

RequestBody read(Tag<ReopenCaseRequest>, JsonReader& r) {
    return ReopenCaseRequest{r.integer("case_id", 1, detail::kMaxId)};
}
void write(const ReopenCaseRequest& x, json& j) { j["case_id"] = x.case_id; }

RequestBody read(Tag<ListCasesRequest>, JsonReader& r) {
    ListCasesRequest x;
    x.room_id = r.integer("room_id", 1, detail::kMaxId);
    x.status = r.optional_text("status", {1, 20});
    if (x.status && *x.status != "open" && *x.status != "answered" && *x.status != "closed")
        r.fail(ErrorCode::invalid_field, "status", "'status' is open, answered or closed");
    x.tag = r.optional_text("tag", detail::tag_rule());
    x.mine = r.has("mine") && r.boolean("mine");
    x.unanswered = r.has("unanswered") && r.boolean("unanswered");
    x.sort = r.optional_text("sort", {1, 20}).value_or("newest");
    if (x.sort != "newest" && x.sort != "activity")
        r.fail(ErrorCode::invalid_field, "sort", "'sort' is newest or activity");
    x.limit = read_limit(r, 20);
    x.offset = read_offset(r);
    return x;
}
void write(const ListCasesRequest& x, json& j) {
    j["room_id"] = x.room_id;
    if (x.status) j["status"] = *x.status;
    if (x.tag) j["tag"] = *x.tag;
    if (x.mine) j["mine"] = true;
    if (x.unanswered) j["unanswered"] = true;
    j["sort"] = x.sort;
    j["limit"] = x.limit;
    j["offset"] = x.offset;
}

RequestBody read(Tag<GetCaseRequest>, JsonReader& r) {
    return GetCaseRequest{r.integer("case_id", 1, detail::kMaxId)};
}
void write(const GetCaseRequest& x, json& j) { j["case_id"] = x.case_id; }

RequestBody read(Tag<SearchRequest>, JsonReader& r) {
    SearchRequest x;
    x.query = r.text("query", {1, kMaxQueryChars, false, true});
    x.room_id = r.optional_integer("room_id", 1, detail::kMaxId);
    x.limit = read_limit(r, 20);
    x.offset = read_offset(r);
    return x;
}
void write(const SearchRequest& x, json& j) {
    j["query"] = x.query;
    if (x.room_id) j["room_id"] = *x.room_id;
    j["limit"] = x.limit;
    j["offset"] = x.offset;
}

RequestBody read(Tag<SimilarCasesRequest>, JsonReader& r) {
    SimilarCasesRequest x;
    x.room_id = r.optional_integer("room_id", 1, detail::kMaxId);
    x.title = r.optional_text("title", {0, kMaxTitleChars}).value_or("");
    x.body = r.optional_text("body", {0, kMaxBodyChars, true}).value_or("");
    if (r.ok() && is_blank(x.title) && is_blank(x.body))
        r.fail(ErrorCode::invalid_field, "title", "give a 'title' or a 'body'");
    return x;
}
void write(const SimilarCasesRequest& x, json& j) {
    if (x.room_id) j["room_id"] = *x.room_id;
    j["title"] = x.title;
    j["body"] = x.body;
}

RequestBody read(Tag<MarkReadRequest>, JsonReader& r) {
    MarkReadRequest x;
    x.room_id = r.integer("room_id", 1, detail::kMaxId);
    x.seq = r.integer("seq", 0, detail::kMaxId);
    return x;
}
void write(const MarkReadRequest& x, json& j) {
    j["room_id"] = x.room_id;
    j["seq"] = x.seq;
}

RequestBody read(Tag<ExportMyDataRequest>, JsonReader&) { return ExportMyDataRequest{}; }
void write(const ExportMyDataRequest&, json&) {}

// Wire names in the order of the RequestBody alternatives.
// ---- moderation ----

RequestBody read(Tag<UpdateRoomRequest>, JsonReader& r) {
    UpdateRoomRequest x;
    x.room_id = read_id(r, "room_id");
    x.topic = r.optional_text("topic", detail::topic_rule());
    x.name = r.optional_text("name", detail::room_name_rule());
    if (auto v = r.optional_text("visibility", {1, 20})) {
        x.visibility = visibility_from_string(*v);
        if (!x.visibility && r.ok())
            r.fail(ErrorCode::invalid_field, "visibility", "'visibility' is open, organisations or invite");
    }
    if (r.has("organisations")) x.organisations = detail::read_ids(r, "organisations");
    if (r.has("allowed_levels")) x.allowed_levels = detail::read_levels(r, "allowed_levels", true);
    x.slow_mode_s = r.optional_integer("slow_mode_s", 0, kMaxSlowModeSeconds);
    if (r.has("locked")) x.locked = r.boolean("locked");
    if (r.has("archived")) x.archived = r.boolean("archived");
    if (auto mode = r.optional_text("privacy_mode", {1, 20})) {
        x.privacy_mode = privacy_mode_from_string(*mode);
        if (!x.privacy_mode && r.ok())
            r.fail(ErrorCode::invalid_field, "privacy_mode", "'privacy_mode' is block, redact or warn");
    }
    x.retention_days = r.optional_integer("retention_days", 0, kMaxRetentionDays);
    return x;
}
void write(const UpdateRoomRequest& x, json& j) {
    j["room_id"] = x.room_id;
    if (x.topic) j["topic"] = *x.topic;
    if (x.name) j["name"] = *x.name;
    if (x.visibility) j["visibility"] = to_string(*x.visibility);
    if (x.organisations) j["organisations"] = *x.organisations;
    if (x.allowed_levels) {
        json levels = json::array();
        for (auto l : *x.allowed_levels) levels.push_back(to_string(l));
        j["allowed_levels"] = levels;
    }
    if (x.slow_mode_s) j["slow_mode_s"] = *x.slow_mode_s;
    if (x.locked) j["locked"] = *x.locked;
    if (x.archived) j["archived"] = *x.archived;
    if (x.privacy_mode) j["privacy_mode"] = to_string(*x.privacy_mode);
    if (x.retention_days) j["retention_days"] = *x.retention_days;
}

RequestBody read(Tag<PinMessageRequest>, JsonReader& r) {
    PinMessageRequest x;
    x.message_id = read_id(r, "message_id");
    x.pinned = !r.has("pinned") || r.boolean("pinned");
    return x;
}
void write(const PinMessageRequest& x, json& j) {
    j["message_id"] = x.message_id;
    j["pinned"] = x.pinned;
}

RequestBody read(Tag<SetRoomRoleRequest>, JsonReader& r) {
    SetRoomRoleRequest x;
    x.room_id = read_id(r, "room_id");
    x.handle = r.text("handle", {1, kMaxHandleChars, false, true});
    auto role = room_role_from_string(r.text("role", {1, 20}));
    if (!role && r.ok()) r.fail(ErrorCode::invalid_field, "role", "'role' is member, organiser, moderator or owner");
    x.role = role.value_or(RoomRole::member);
    return x;
}
void write(const SetRoomRoleRequest& x, json& j) {
    j["room_id"] = x.room_id;
    j["handle"] = x.handle;
    j["role"] = to_string(x.role);
}

RequestBody read(Tag<CreateRoomInviteRequest>, JsonReader& r) {
    CreateRoomInviteRequest x;
    x.room_id = read_id(r, "room_id");
    x.max_uses = static_cast<int>(r.optional_integer("max_uses", 1, kMaxInviteUses).value_or(1));
    x.valid_hours = static_cast<int>(r.optional_integer("valid_hours", 1, kMaxInviteHours).value_or(72));
    return x;
}
void write(const CreateRoomInviteRequest& x, json& j) {
    j["room_id"] = x.room_id;
    j["max_uses"] = x.max_uses;
    j["valid_hours"] = x.valid_hours;
}

template <typename T>
RequestBody read_message_action(JsonReader& r) {
    T x;
    x.message_id = read_id(r, "message_id");
    x.reason = r.text("reason", detail::reason_rule());
    return x;
}
template <typename T>
void write_message_action(const T& x, json& j) {
    j["message_id"] = x.message_id;
    j["reason"] = x.reason;
}
RequestBody read(Tag<KickAuthorRequest>, JsonReader& r) { return read_message_action<KickAuthorRequest>(r); }
void write(const KickAuthorRequest& x, json& j) { write_message_action(x, j); }
RequestBody read(Tag<UnhideMessageRequest>, JsonReader& r) { return read_message_action<UnhideMessageRequest>(r); }
void write(const UnhideMessageRequest& x, json& j) { write_message_action(x, j); }
RequestBody read(Tag<DeleteMessageRequest>, JsonReader& r) { return read_message_action<DeleteMessageRequest>(r); }
void write(const DeleteMessageRequest& x, json& j) { write_message_action(x, j); }

RequestBody read(Tag<BanAccountRequest>, JsonReader& r) {
    BanAccountRequest x;
    x.handle = r.text("handle", {1, kMaxHandleChars, false, true});
    x.duration_s = r.optional_integer("duration_s", 0, kMaxMuteSeconds);
    x.reason = r.text("reason", detail::reason_rule());
    return x;
}
void write(const BanAccountRequest& x, json& j) {
    j["handle"] = x.handle;
    if (x.duration_s) j["duration_s"] = *x.duration_s;
    j["reason"] = x.reason;
}

RequestBody read(Tag<ReportRequest>, JsonReader& r) {
    ReportRequest x;
    x.message_id = read_id(r, "message_id");
    x.category = read_category(r);
    x.reason = r.text("reason", detail::reason_rule());
    return x;
}
void write(const ReportRequest& x, json& j) {
    j["message_id"] = x.message_id;
    j["category"] = x.category;
    j["reason"] = x.reason;
}

RequestBody read(Tag<ListReportsRequest>, JsonReader& r) {
    ListReportsRequest x;
    x.room_id = r.optional_integer("room_id", 1, detail::kMaxId);
    x.status = r.optional_text("status", {1, 20});
    if (x.status && *x.status != "open" && *x.status != "claimed" && *x.status != "resolved" &&
        *x.status != "dismissed" && r.ok())
        r.fail(ErrorCode::invalid_field, "status", "'status' is open, claimed, resolved or dismissed");
    return x;
}
void write(const ListReportsRequest& x, json& j) {
    if (x.room_id) j["room_id"] = *x.room_id;
    if (x.status) j["status"] = *x.status;
}

RequestBody read(Tag<ClaimReportRequest>, JsonReader& r) { return ClaimReportRequest{read_id(r, "report_id")}; }
void write(const ClaimReportRequest& x, json& j) { j["report_id"] = x.report_id; }

template <typename T>
RequestBody read_report_outcome(JsonReader& r) {
    T x;
    x.report_id = read_id(r, "report_id");
    x.outcome = r.text("outcome", detail::reason_rule());
    return x;
}
RequestBody read(Tag<ResolveReportRequest>, JsonReader& r) { return read_report_outcome<ResolveReportRequest>(r); }
void write(const ResolveReportRequest& x, json& j) {
    j["report_id"] = x.report_id;
    j["outcome"] = x.outcome;
}
RequestBody read(Tag<DismissReportRequest>, JsonReader& r) { return read_report_outcome<DismissReportRequest>(r); }
void write(const DismissReportRequest& x, json& j) {
    j["report_id"] = x.report_id;
    j["outcome"] = x.outcome;
}

RequestBody read(Tag<AuditRequest>, JsonReader& r) {
    AuditRequest x;
    x.room_id = r.optional_integer("room_id", 1, detail::kMaxId);
    x.before = r.optional_integer("before", 1, detail::kMaxId);
    x.limit = static_cast<int>(r.optional_integer("limit", 1, kMaxAuditLimit).value_or(50));
    return x;
}
void write(const AuditRequest& x, json& j) {
    if (x.room_id) j["room_id"] = *x.room_id;
    if (x.before) j["before"] = *x.before;
    j["limit"] = x.limit;
}

// ---- network meetings (sessions) ----

SessionId read_session_id(JsonReader& r) { return read_id(r, "session_id"); }

RequestBody read(Tag<ScheduleSessionRequest>, JsonReader& r) {
    ScheduleSessionRequest x;
    x.room_id = read_id(r, "room_id");
    x.title = r.text("title", detail::title_rule());
    x.starts_ms = r.integer("starts_ms", 0, detail::kMaxId);
    x.planned_minutes = r.optional_integer("planned_minutes", 1, kMaxSessionMinutes).value_or(60);
    x.method = r.text("method", {1, 64, false, true});
    x.case_ids = detail::read_ids(r, "case_ids");
    if (r.ok() && (x.case_ids.empty() || x.case_ids.size() > kMaxAgendaCases))
        r.fail(ErrorCode::invalid_field, "case_ids",
               "'case_ids' holds 1 to " + std::to_string(kMaxAgendaCases) + " case ids");
    x.auto_advance = r.has("auto_advance") && r.boolean("auto_advance");
    x.follow_up = r.has("follow_up") && r.boolean("follow_up");
    return x;
}
void write(const ScheduleSessionRequest& x, json& j) {
    j["room_id"] = x.room_id;
    j["title"] = x.title;
    j["starts_ms"] = x.starts_ms;
    j["planned_minutes"] = x.planned_minutes;
    j["method"] = x.method;
    j["case_ids"] = x.case_ids;
    j["auto_advance"] = x.auto_advance;
    j["follow_up"] = x.follow_up;
}

RequestBody read(Tag<ListSessionsRequest>, JsonReader& r) {
    ListSessionsRequest x;
    x.room_id = read_id(r, "room_id");
    x.include_ended = r.has("include_ended") && r.boolean("include_ended");
    return x;
}
void write(const ListSessionsRequest& x, json& j) {
    j["room_id"] = x.room_id;
    j["include_ended"] = x.include_ended;
}

RequestBody read(Tag<GetSessionRequest>, JsonReader& r) { return GetSessionRequest{read_session_id(r)}; }
void write(const GetSessionRequest& x, json& j) { j["session_id"] = x.session_id; }

RequestBody read(Tag<SignUpRequest>, JsonReader& r) {
    SignUpRequest x;
    x.session_id = read_session_id(r);
    x.cancel = r.has("cancel") && r.boolean("cancel");
    return x;
}
void write(const SignUpRequest& x, json& j) {
    j["session_id"] = x.session_id;
    j["cancel"] = x.cancel;
}

RequestBody read(Tag<ControlSessionRequest>, JsonReader& r) {
    ControlSessionRequest x;
    x.session_id = read_session_id(r);
    x.action = r.text("action", {1, 20});
    if (r.ok() && x.action != "start" && x.action != "next" && x.action != "previous" && x.action != "extend" &&
        x.action != "end")
        r.fail(ErrorCode::invalid_field, "action", "'action' is start, next, previous, extend or end");
    if (x.action == "extend") x.extend_s = r.integer("extend_s", 1, kMaxExtendSeconds);
    return x;
}
void write(const ControlSessionRequest& x, json& j) {
    j["session_id"] = x.session_id;
    j["action"] = x.action;
    if (x.action == "extend") j["extend_s"] = x.extend_s;
}

RequestBody read(Tag<AllowPostRequest>, JsonReader& r) {
    AllowPostRequest x;
    x.session_id = read_session_id(r);
    x.handle = r.optional_text("handle", {1, kMaxHandleChars, false, true});
    x.message_id = r.optional_integer("message_id", 1, detail::kMaxId);
    if (r.ok() && x.handle.has_value() == x.message_id.has_value())
        r.fail(ErrorCode::invalid_field, "handle", "give either 'handle' or 'message_id'");
    return x;
}
void write(const AllowPostRequest& x, json& j) {
    j["session_id"] = x.session_id;
    if (x.handle) j["handle"] = *x.handle;
    if (x.message_id) j["message_id"] = *x.message_id;
}

RequestBody read(Tag<SessionAttendanceRequest>, JsonReader& r) {
    return SessionAttendanceRequest{read_session_id(r)};
}
void write(const SessionAttendanceRequest& x, json& j) { j["session_id"] = x.session_id; }

RequestBody read(Tag<GetSummaryRequest>, JsonReader& r) {
    GetSummaryRequest x;
    x.session_id = read_session_id(r);
    x.case_id = read_id(r, "case_id");
    return x;
}
void write(const GetSummaryRequest& x, json& j) {
    j["session_id"] = x.session_id;
    j["case_id"] = x.case_id;
}

constexpr std::array<std::string_view, std::variant_size_v<RequestBody>> kRequestNames{
    "hello",       "login", "resume", "register", "logout",  "list_rooms",  "create_room",
    "join",        "leave", "post",   "history",  "create_invite", "mute_author",
    "hide_message", "ban_author", "request_reveal", "approve_reveal", "ask", "mark_helpful",
    "close_case", "reopen_case", "list_cases", "get_case", "search", "similar_cases", "mark_read",
    "update_room", "pin_message", "set_room_role", "create_room_invite", "kick_author", "ban_account",
    "unhide_message", "delete_message", "report", "list_reports", "claim_report", "resolve_report",
    "dismiss_report", "audit", "export_my_data", "schedule_session", "list_sessions", "get_session",
    "sign_up", "control_session", "allow_post", "session_attendance", "get_summary"};

using Reader = RequestBody (*)(JsonReader&);

template <std::size_t... I>
constexpr auto make_readers(std::index_sequence<I...>) {
    return std::array<Reader, sizeof...(I)>{[](JsonReader& r) -> RequestBody {
        return read(Tag<std::variant_alternative_t<I, RequestBody>>{}, r);
    }...};
}
constexpr auto kReaders = make_readers(std::make_index_sequence<std::variant_size_v<RequestBody>>{});

DecodeFailure failure(std::optional<std::string> id, std::string type, ErrorCode code,
                      std::string message = {}) {
    return DecodeFailure{std::move(id), std::move(type), make_error(code, std::move(message))};
}

}  // namespace

std::string_view type_name(const RequestBody& body) { return kRequestNames[body.index()]; }
std::vector<std::string> request_type_names() { return {kRequestNames.begin(), kRequestNames.end()}; }

namespace detail {
std::string_view request_type_name(std::size_t index) { return kRequestNames.at(index); }
std::optional<std::size_t> request_type_index(std::string_view name) {
    for (std::size_t i = 0; i < kRequestNames.size(); ++i)
        if (kRequestNames[i] == name) return i;
    return std::nullopt;
}
}  // namespace detail

Result<Request, DecodeFailure> decode_request(std::string_view frame) {
    std::optional<json> parsed = detail::parse_frame(frame);
    if (!parsed) return fail(failure(std::nullopt, {}, ErrorCode::malformed_json));
    const json& j = *parsed;
    if (!j.is_object())
        return fail(failure(std::nullopt, {}, ErrorCode::invalid_request,
                            "a request must be a JSON object"));

    std::optional<std::string> id;
    auto id_it = j.find("id");
    if (id_it != j.end() && id_it->is_string()) {
        auto value = id_it->get<std::string>();
        if (!value.empty() && value.size() <= kMaxRequestIdBytes &&
            !has_control_chars(value, false))
            id = std::move(value);
    }
    if (!id)
        return fail(failure(std::nullopt, {}, ErrorCode::invalid_request,
                            "'id' must be a string of 1 to " +
                                std::to_string(kMaxRequestIdBytes) + " bytes"));

    auto type_it = j.find("type");
    if (type_it == j.end() || !type_it->is_string())
        return fail(failure(id, {}, ErrorCode::invalid_request, "'type' must be a string"));
    const auto& type = type_it->get_ref<const std::string&>();

    auto index = detail::request_type_index(type);
    // An unknown name is not echoed back: it may be arbitrary bytes of any length.
    if (!index) return fail(failure(id, {}, ErrorCode::unknown_type));
    JsonReader reader(j);
    RequestBody body = kReaders[*index](reader);
    if (reader.error()) return fail(DecodeFailure{id, type, *reader.error()});
    return Request{std::move(*id), std::move(body)};
}

std::string encode_request(const Request& request) {
    json j = json::object();
    j["id"] = request.id;
    j["type"] = type_name(request.body);
    std::visit([&](const auto& body) { write(body, j); }, request.body);
    return detail::dump(j);
}

}  // namespace vraagbaak::protocol
