#include "vraagbaak/protocol/codec.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <ostream>
#include <string>

namespace p = vraagbaak::protocol;
using p::ErrorCode;

namespace {

// A test parameter that prints as its JSON encoding, not as a byte dump of the variant.
template <typename V>
struct Sample {
    V value;
};
void PrintTo(const Sample<p::RequestBody>& s, std::ostream* os) {
    *os << p::encode_request({"id", s.value});
}
void PrintTo(const Sample<p::ReplyBody>& s, std::ostream* os) { *os << p::encode_reply("id", s.value); }
void PrintTo(const Sample<p::Event>& s, std::ostream* os) { *os << p::encode_event(s.value); }

}  // namespace

namespace {

p::Organisation buurtteam() { return {2, "Buurtteam Amsterdam-Oost", "BTO"}; }
p::Member anna() { return {7, "anna", "Anna de Vries", buurtteam()}; }
p::Author named_author() { return {p::Anonymity::named, 7, "anna", "Anna de Vries", buurtteam(), ""}; }
p::Message sample_message() {
    return {3, 12, 99, 99, named_author(), "Wie kent de regels\nvoor kwijtschelding?", 1795346021990, false};
}
p::Message anonymous_reply() {
    return {3, 13, 100, 99, {p::Anonymity::anonymous, std::nullopt, "", "", std::nullopt, "colleague 1"},
            "Bel de gemeente.", 1795346021999, false};
}
p::Message own_org_reply() {
    return {3, 14, 101, 99, {p::Anonymity::organisation, 7, "anna", "Anna de Vries", buurtteam(), "asker"},
            "Dank!", 1795346022000, true};
}
p::Message hidden_message() {
    p::Message m = anonymous_reply();
    m.body = "";
    m.hidden = true;
    m.hidden_reason = "persoonsgegevens";
    return m;
}
p::CaseInfo sample_case() {
    return {99, 3, "Huurachterstand bij een gezin", {"wonen", "schulden"}, "closed", "regeling", "bellen hielp",
            p::Anonymity::anonymous, 4, 1795346021990, 1795346029990, true, 2};
}
p::Room sample_room() {
    return {3, "schulden", "Vraagstukken over schulden", 4, 12, true, {p::Anonymity::named, p::Anonymity::anonymous}};
}
p::Room moderated_room() {
    p::Room r = sample_room();
    r.visibility = p::Visibility::organisations;
    r.organisations = {2, 5};
    r.slow_mode_s = 30;
    r.locked = true;
    r.pinned = {99, 100};
    r.my_role = p::RoomRole::owner;
    return r;
}
p::AccountSession sample_session() {
    return {anna(), p::Role::organiser, "tok-123", 1795346029999,
            {{"identity_revealed", 99, "threat to a client's safety", 1795346020000}}};
}

p::Session sample_meeting() {
    p::Session s;
    s.id = 5;
    s.room_id = 3;
    s.title = "Netwerkoverleg november";
    s.method = "consultation";
    s.organiser = anna();
    s.starts_ms = 1795346021990;
    s.planned_minutes = 90;
    s.auto_advance = true;
    s.status = "running";
    s.agenda = {sample_case()};
    s.follow_ups = {sample_case()};
    s.steps = {{98, true, "follow_up", "Follow-up", 300, false, {{"owner", {"comment", "experience"}}}},
               {99, false, "advice", "Advice", 900, true, {{"others", {"advice"}}}},
               {99, false, "break", "Break", 60, false, {}}};
    s.step = 1;
    s.phase_ends_ms = 1795346921990;
    s.time_left_ms = 412000;
    s.signed_up = 4;
    s.me_signed_up = true;
    s.summaries = {99};
    return s;
}
p::Session scheduled_meeting() {
    p::Session s = sample_meeting();
    s.status = "scheduled";
    s.step.reset();
    s.phase_ends_ms = 0;
    s.time_left_ms = 0;
    s.follow_ups.clear();
    s.summaries.clear();
    return s;
}

// ---- round trips: every request, reply and event type ----

class RequestRoundTrip : public ::testing::TestWithParam<Sample<p::RequestBody>> {};

TEST_P(RequestRoundTrip, DecodesToTheSameValue) {
    p::Request request{"req-1", GetParam().value};
    std::string frame = p::encode_request(request);
    auto decoded = p::decode_request(frame);
    ASSERT_TRUE(decoded.ok()) << frame << " -> " << decoded.error().error.message;
    EXPECT_EQ(decoded.value(), request);
    EXPECT_EQ(p::type_name(decoded->body), p::type_name(request.body));
}

INSTANTIATE_TEST_SUITE_P(
    EveryRequest, RequestRoundTrip,
    ::testing::Values(Sample<p::RequestBody>{p::HelloRequest{{1, 2}, "test/1.0"}},
                      Sample<p::RequestBody>{p::HelloRequest{{1}, "batching/1.0", true}},
                      Sample<p::RequestBody>{p::LoginRequest{"anna", "geheim wachtwoord"}},
                      Sample<p::RequestBody>{p::ListRoomsRequest{}},
                      Sample<p::RequestBody>{p::CreateRoomRequest{"wonen", "Huisvesting"}},
                      Sample<p::RequestBody>{p::JoinRequest{3}}, Sample<p::RequestBody>{p::LeaveRequest{3}},
                      Sample<p::RequestBody>{p::ResumeRequest{"tok-123"}},
                      Sample<p::RequestBody>{p::ResumeRequest{"tok-123", {{3, 12}, {4, 0}}}},
                      Sample<p::RequestBody>{p::PostRequest{3, "nog eens", p::Anonymity::named, std::nullopt, "client-7f3a"}},
                      Sample<p::RequestBody>{p::RegisterRequest{"code-1", "zoe", "Zoë Bakker", "lang genoeg wachtwoord"}},
                      Sample<p::RequestBody>{p::LogoutRequest{}},
                      Sample<p::RequestBody>{p::CreateRoomRequest{"anoniem", "", std::vector{p::Anonymity::anonymous}}},
                      Sample<p::RequestBody>{p::PostRequest{3, "Hallo,\n\tcollega's! ëïé"}},
                      Sample<p::RequestBody>{p::PostRequest{3, "anoniem antwoord", p::Anonymity::anonymous, 99}},
                      Sample<p::RequestBody>{p::CreateInviteRequest{2, 5, 24}},
                      Sample<p::RequestBody>{p::MuteAuthorRequest{99, 3600, "persoonsgegevens gedeeld"}},
                      Sample<p::RequestBody>{p::HideMessageRequest{99, "persoonsgegevens"}},
                      Sample<p::RequestBody>{p::BanAuthorRequest{99, 86400, "herhaling"}},
                      Sample<p::RequestBody>{p::BanAuthorRequest{99, std::nullopt, "voorgoed"}},
                      Sample<p::RequestBody>{p::RequestRevealRequest{99, "dreiging"}},
                      Sample<p::RequestBody>{p::ApproveRevealRequest{4}},
                      Sample<p::RequestBody>{p::AskRequest{3, "Huurachterstand", "Wat nu?", {"wonen"}, p::Anonymity::anonymous, "c-1"}},
                      Sample<p::RequestBody>{p::PostRequest{3, "Welke gemeente?", p::Anonymity::named, 99, std::nullopt, "question"}},
                      Sample<p::RequestBody>{p::MarkHelpfulRequest{100, false}},
                      Sample<p::RequestBody>{p::CloseCaseRequest{99, "regeling getroffen", "bellen hielp"}},
                      Sample<p::RequestBody>{p::ReopenCaseRequest{99}},
                      Sample<p::RequestBody>{p::ListCasesRequest{3, "open", "wonen", true, false, "activity", 10, 20}},
                      Sample<p::RequestBody>{p::GetCaseRequest{99}},
                      Sample<p::RequestBody>{p::SearchRequest{"geïnformeerd ouderenzorg", 3, 5, 0}},
                      Sample<p::RequestBody>{p::SimilarCasesRequest{3, "Huurachterstand", "drie maanden"}},
                      Sample<p::RequestBody>{p::MarkReadRequest{3, 12}},
                      Sample<p::RequestBody>{p::HistoryRequest{3, 40, std::nullopt, 20}},
                      Sample<p::RequestBody>{p::HistoryRequest{3, std::nullopt, 0, 200}},
                      Sample<p::RequestBody>{p::HistoryRequest{3, std::nullopt, std::nullopt, 50}},
                      Sample<p::RequestBody>{p::JoinRequest{3, "room-invite-code"}},
                      Sample<p::RequestBody>{p::HideMessageRequest{99, "naam van de cliënt", "privacy"}},
                      Sample<p::RequestBody>{p::UpdateRoomRequest{3, "nieuw onderwerp", "nieuwe naam", p::Visibility::organisations,
                                                                  std::vector<std::int64_t>{2, 5},
                                                                  std::vector{p::Anonymity::named}, 30, true, false}},
                      Sample<p::RequestBody>{p::UpdateRoomRequest{3}},
                      Sample<p::RequestBody>{p::PinMessageRequest{99, false}},
                      Sample<p::RequestBody>{p::SetRoomRoleRequest{3, "anna", p::RoomRole::moderator}},
                      Sample<p::RequestBody>{p::CreateRoomInviteRequest{3, 10, 48}},
                      Sample<p::RequestBody>{p::KickAuthorRequest{99, "afkoelen"}},
                      Sample<p::RequestBody>{p::BanAccountRequest{"bram", 0, "herzien"}},
                      Sample<p::RequestBody>{p::BanAccountRequest{"bram", std::nullopt, "misbruik"}},
                      Sample<p::RequestBody>{p::UnhideMessageRequest{99, "onterecht"}},
                      Sample<p::RequestBody>{p::DeleteMessageRequest{99, "BSN in de tekst"}},
                      Sample<p::RequestBody>{p::ReportRequest{99, "offensive", "scheldwoorden"}},
                      Sample<p::RequestBody>{p::ListReportsRequest{3, "claimed"}},
                      Sample<p::RequestBody>{p::ListReportsRequest{}},
                      Sample<p::RequestBody>{p::ClaimReportRequest{7}},
                      Sample<p::RequestBody>{p::ResolveReportRequest{7, "verborgen"}},
                      Sample<p::RequestBody>{p::DismissReportRequest{7, "niets aan de hand"}},
                      Sample<p::RequestBody>{p::AuditRequest{3, 100, 20}},
                      Sample<p::RequestBody>{p::AuditRequest{}},
                      Sample<p::RequestBody>{p::ExportMyDataRequest{}},
                      Sample<p::RequestBody>{p::UpdateRoomRequest{3, std::nullopt, std::nullopt, std::nullopt, std::nullopt,
                                                                  std::nullopt, std::nullopt, std::nullopt, std::nullopt,
                                                                  p::PrivacyMode::redact, 0}},
                      Sample<p::RequestBody>{p::ScheduleSessionRequest{3, "Netwerkoverleg", 1795346021990, 90, "consultation",
                                                                       {99, 120}, true, true}},
                      Sample<p::RequestBody>{p::ListSessionsRequest{3, true}},
                      Sample<p::RequestBody>{p::GetSessionRequest{5}},
                      Sample<p::RequestBody>{p::SignUpRequest{5, true}},
                      Sample<p::RequestBody>{p::ControlSessionRequest{5, "next", 0}},
                      Sample<p::RequestBody>{p::ControlSessionRequest{5, "extend", 300}},
                      Sample<p::RequestBody>{p::AllowPostRequest{5, "bram", std::nullopt}},
                      Sample<p::RequestBody>{p::AllowPostRequest{5, std::nullopt, 99}},
                      Sample<p::RequestBody>{p::SessionAttendanceRequest{5}},
                      Sample<p::RequestBody>{p::GetSummaryRequest{5, 99}}),
    [](const auto& param_info) {
        return std::string(p::type_name(param_info.param.value)) + "_" + std::to_string(param_info.index);
    });

class ReplyRoundTrip : public ::testing::TestWithParam<Sample<p::ReplyBody>> {};

TEST_P(ReplyRoundTrip, DecodesToTheSameValue) {
    std::string frame = p::encode_reply("r9", GetParam().value);
    auto decoded = p::decode_server_frame(frame);
    ASSERT_TRUE(decoded.ok()) << frame << " -> " << decoded.error().message;
    const auto& reply = std::get<p::ReplyFrame>(decoded.value());
    EXPECT_EQ(reply.reply_to, "r9");
    EXPECT_EQ(reply.type, p::type_name(GetParam().value));
    EXPECT_EQ(std::get<p::ReplyBody>(reply.outcome), GetParam().value);
}

INSTANTIATE_TEST_SUITE_P(
    EveryReply, ReplyRoundTrip,
    ::testing::Values(Sample<p::ReplyBody>{p::HelloReply{1, "vraagbaak/0.1.0", {65536, 8000, 200}}},
                      Sample<p::ReplyBody>{p::LoginReply{sample_session()}},
                      Sample<p::ReplyBody>{p::ResumeReply{sample_session()}},
                      Sample<p::ReplyBody>{p::RegisterReply{sample_session()}},
                      Sample<p::ReplyBody>{p::LogoutReply{}},
                      Sample<p::ReplyBody>{p::CreateInviteReply{4, "code-xyz", 2, 5, 1795346029999}},
                      Sample<p::ReplyBody>{p::MuteAuthorReply{3, 99, 1795346029999}},
                      Sample<p::ReplyBody>{p::PostReply{3, 12, 99, 1795346021990, true}},
                      Sample<p::ReplyBody>{p::HideMessageReply{3, 99}},
                      Sample<p::ReplyBody>{p::BanAuthorReply{3, 99, 1795346029999}},
                      Sample<p::ReplyBody>{p::BanAuthorReply{3, 99, std::nullopt}},
                      Sample<p::ReplyBody>{p::RequestRevealReply{4}},
                      Sample<p::ReplyBody>{p::ApproveRevealReply{4, 99, anna()}},
                      Sample<p::ReplyBody>{p::AskReply{sample_case(), 12, false}},
                      Sample<p::ReplyBody>{p::MarkHelpfulReply{100, true}},
                      Sample<p::ReplyBody>{p::CloseCaseReply{sample_case()}},
                      Sample<p::ReplyBody>{p::ReopenCaseReply{sample_case()}},
                      Sample<p::ReplyBody>{p::ListCasesReply{{sample_case()}, true}},
                      Sample<p::ReplyBody>{p::GetCaseReply{sample_case(), {sample_message(), anonymous_reply()}}},
                      Sample<p::ReplyBody>{p::SearchReply{{{anonymous_reply(), 99, "Huurachterstand", "Bel de [gemeente]."}}}},
                      Sample<p::ReplyBody>{p::SimilarCasesReply{{sample_case()}}},
                      Sample<p::ReplyBody>{p::MarkReadReply{3, 12, 4}},
                      Sample<p::ReplyBody>{p::ListRoomsReply{{sample_room(), {4, "wonen", "", 0, 0, false}}}},
                      Sample<p::ReplyBody>{p::ListRoomsReply{}},
                      Sample<p::ReplyBody>{p::CreateRoomReply{sample_room()}},
                      Sample<p::ReplyBody>{p::JoinReply{sample_room()}}, Sample<p::ReplyBody>{p::LeaveReply{3}},
                      Sample<p::ReplyBody>{p::PostReply{3, 12, 99, 1795346021990}},
                      Sample<p::ReplyBody>{p::HistoryReply{3, {sample_message(), anonymous_reply(), own_org_reply()}, true}},
                      Sample<p::ReplyBody>{p::HistoryReply{3, {}, false}},
                      Sample<p::ReplyBody>{p::UpdateRoomReply{moderated_room()}},
                      Sample<p::ReplyBody>{p::PinMessageReply{sample_room()}},
                      Sample<p::ReplyBody>{p::SetRoomRoleReply{3, "anna", p::RoomRole::organiser}},
                      Sample<p::ReplyBody>{p::CreateRoomInviteReply{3, "code", 5, 1795346029999}},
                      Sample<p::ReplyBody>{p::KickAuthorReply{{3, 99}}},
                      Sample<p::ReplyBody>{p::BanAccountReply{"bram", 1795346029999, false}},
                      Sample<p::ReplyBody>{p::BanAccountReply{"bram", std::nullopt, true}},
                      Sample<p::ReplyBody>{p::UnhideMessageReply{{3, 99}}},
                      Sample<p::ReplyBody>{p::DeleteMessageReply{{3, 99}}},
                      Sample<p::ReplyBody>{p::ReportReply{7}},
                      Sample<p::ReplyBody>{p::ListReportsReply{{p::Report{7, 3, anonymous_reply(), "privacy", "naam", "claimed", anna(), "", 1795346021990}}}},
                      Sample<p::ReplyBody>{p::ClaimReportReply{{p::Report{7, 3, sample_message(), "spam", "r", "claimed", anna(), "", 1}}}},
                      Sample<p::ReplyBody>{p::ResolveReportReply{{p::Report{7, 3, hidden_message(), "other", "r", "resolved", std::nullopt, "verborgen", 1}}}},
                      Sample<p::ReplyBody>{p::DismissReportReply{{p::Report{7, 3, sample_message(), "other", "r", "dismissed", anna(), "niets", 1}}}},
                      Sample<p::ReplyBody>{p::AuditReply{{p::AuditRecord{5, 1795346021990, anna(), "mute", "message:99", 3, "spam (60 s)"},
                                                          p::AuditRecord{4, 1795346021000, std::nullopt, "role_changed", "account:bram", std::nullopt, "admin"}},
                                                         true}},
                      Sample<p::ReplyBody>{p::ExportMyDataReply{anna(), p::Role::organiser, {own_org_reply(), hidden_message()}, {sample_case()}}},
                      Sample<p::ReplyBody>{p::PostReply{3, 12, 99, 1795346021990, false,
                                                        {{"body", "phone", 12, 23}, {"body", "email", 30, 48}}, true}},
                      Sample<p::ReplyBody>{p::PostReply{3, 0, 0, 1795346021990, false, {}, false, true}},
                      Sample<p::ReplyBody>{p::ScheduleSessionReply{scheduled_meeting()}},
                      Sample<p::ReplyBody>{p::ListSessionsReply{{sample_meeting(), scheduled_meeting()}}},
                      Sample<p::ReplyBody>{p::GetSessionReply{{sample_meeting(), {sample_message(), anonymous_reply()}}}},
                      Sample<p::ReplyBody>{p::SignUpReply{scheduled_meeting()}},
                      Sample<p::ReplyBody>{p::ControlSessionReply{sample_meeting()}},
                      Sample<p::ReplyBody>{p::AllowPostReply{5}},
                      Sample<p::ReplyBody>{p::SessionAttendanceReply{5, {{anna(), true, false}}, 2}},
                      Sample<p::ReplyBody>{p::GetSummaryReply{5, 99, "# Huurachterstand\n\n## Advice\n- **advice** — colleague 1: bellen"}}),
    [](const auto& param_info) {
        return std::string(p::type_name(param_info.param.value)) + "_" + std::to_string(param_info.index);
    });

class EventRoundTrip : public ::testing::TestWithParam<Sample<p::Event>> {};

TEST_P(EventRoundTrip, DecodesToTheSameValue) {
    std::string frame = p::encode_event(GetParam().value);
    auto decoded = p::decode_server_frame(frame);
    ASSERT_TRUE(decoded.ok()) << frame << " -> " << decoded.error().message;
    EXPECT_EQ(std::get<p::Event>(decoded.value()), GetParam().value);
    EXPECT_EQ(nlohmann::json::parse(frame)["event"], p::event_name(GetParam().value));
}

INSTANTIATE_TEST_SUITE_P(EveryEvent, EventRoundTrip,
                         ::testing::Values(Sample<p::Event>{p::MessagePosted{sample_message()}},
                                           Sample<p::Event>{p::MemberJoined{3, anna(), 12}},
                                           Sample<p::Event>{p::MemberLeft{3, anna(), 13}},
                                           Sample<p::Event>{p::MessagePosted{anonymous_reply()}},
                                           Sample<p::Event>{p::IdentityRevealed{3, 99, "dreiging"}},
                                           Sample<p::Event>{p::RevealApproved{4, 99, anna()}},
                                           Sample<p::Event>{p::MessageHidden{3, 99, "persoonsgegevens", 14}},
                                           Sample<p::Event>{p::RemovedFromRoom{3, "herhaling", 1795346029999}},
                                           Sample<p::Event>{p::MessagePosted{hidden_message()}},
                                           Sample<p::Event>{p::CatchUpGap{3, 12, 900}},
                                           Sample<p::Event>{p::CaseUpdated{sample_case(), 15}},
                                           Sample<p::Event>{p::HelpfulMarked{3, 99, 100, true, 16}},
                                           Sample<p::Event>{p::Notification{"mention", 3, 100, std::nullopt}},
                                           Sample<p::Event>{p::Notification{"case_reply", 3, 101, 99}},
                                           Sample<p::Event>{p::RoomUpdated{moderated_room(), 17}},
                                           Sample<p::Event>{p::MessageUnhidden{3, 99, 18}},
                                           Sample<p::Event>{p::MessageDeleted{3, 99, 19}},
                                           Sample<p::Event>{p::RemovedFromRoom{3, "afkoelen", std::nullopt, "kick"}},
                                           Sample<p::Event>{p::SessionUpdated{sample_meeting(), 20}},
                                           Sample<p::Event>{p::PhaseEnding{3, 5, "advice", 60000}},
                                           Sample<p::Event>{p::SessionState{{sample_meeting(), {anonymous_reply()}}}},
                                           Sample<p::Event>{p::Notification{"follow_up", 3, 99, 99}}),
                         [](const auto& param_info) {
                             return std::string(p::event_name(param_info.param.value)) + "_" +
                                    std::to_string(param_info.index);
                         });

TEST(ErrorFrame, RoundTripsWithCodeMessageAndField) {
    auto error = p::make_error(ErrorCode::too_long, "'body' is longer than 8000 characters", "body");
    std::string frame = p::encode_error(std::string("5"), "post", error);
    auto decoded = p::decode_server_frame(frame);
    ASSERT_TRUE(decoded.ok());
    const auto& reply = std::get<p::ReplyFrame>(decoded.value());
    EXPECT_EQ(reply.reply_to, "5");
    EXPECT_EQ(reply.type, "post");
    const auto& e = std::get<p::Error>(reply.outcome);
    EXPECT_EQ(e.code, ErrorCode::too_long);
    EXPECT_EQ(e.field, "body");
    EXPECT_EQ(e.message, error.message);
}

TEST(Anonymity, HiddenAuthorFieldsAreAbsentFromTheJsonNotJustEmpty) {
    auto j = nlohmann::json::parse(p::encode_event(p::MessagePosted{anonymous_reply()}));
    const auto& author = j["message"]["author"];
    EXPECT_EQ(author["level"], "anonymous");
    EXPECT_EQ(author["pseudonym"], "colleague 1");
    for (const char* key : {"account_id", "handle", "display_name", "organisation"})
        EXPECT_FALSE(author.contains(key)) << key;
    EXPECT_FALSE(j["message"].contains("own"));
}

TEST(ErrorFrame, CarriesRetryAfter) {
    auto error = p::make_error(ErrorCode::rate_limited);
    error.retry_after_ms = 30000;
    auto decoded = p::decode_server_frame(p::encode_error(std::string("1"), "login", error));
    ASSERT_TRUE(decoded.ok());
    EXPECT_EQ(std::get<p::Error>(std::get<p::ReplyFrame>(decoded.value()).outcome).retry_after_ms, 30000);
}

TEST(ErrorFrame, CarriesPersonalDataFindings) {
    auto error = p::make_error(ErrorCode::personal_data, {}, "body");
    error.findings = {{"body", "bsn", 4, 13}, {"title", "phone", 0, 11}};
    auto decoded = p::decode_server_frame(p::encode_error(std::string("1"), "post", error));
    ASSERT_TRUE(decoded.ok());
    EXPECT_EQ(std::get<p::Error>(std::get<p::ReplyFrame>(decoded.value()).outcome).findings, error.findings);
}

TEST(ErrorFrame, WithoutIdHasNullReplyTo) {
    std::string frame = p::encode_error(std::nullopt, {}, p::make_error(ErrorCode::malformed_json));
    auto j = nlohmann::json::parse(frame);
    EXPECT_TRUE(j["reply_to"].is_null());
    EXPECT_EQ(j["error"]["code"], "malformed_json");
    EXPECT_FALSE(j["ok"].get<bool>());
}

TEST(ErrorCodes, EveryCodeHasAStableDistinctName) {
    for (int i = 0; i <= static_cast<int>(ErrorCode::storage_unavailable); ++i) {
        auto code = static_cast<ErrorCode>(i);
        auto name = p::to_string(code);
        EXPECT_EQ(p::error_code_from_string(name), code) << name;
        EXPECT_FALSE(p::default_message(code).empty());
    }
}

TEST(Encoding, InvalidUtf8FromTheServerIsReplacedNotThrown) {
    p::Message m = sample_message();
    m.body = "truncated \xC3";  // half of a two-byte character
    std::string frame;
    EXPECT_NO_THROW(frame = p::encode_event(p::MessagePosted{m}));
    EXPECT_TRUE(nlohmann::json::accept(frame));
}

// ---- bad input: each yields its typed error, with the id kept when it could be read ----

struct BadInput {
    const char* name;
    std::string frame;
    ErrorCode code;
    std::string field;        // expected `field`, or empty
    bool id_known = true;     // whether the failure still carries the request id "x"
};

void PrintTo(const BadInput& c, std::ostream* os) { *os << c.name; }

std::string deep_nesting(int depth) {
    return R"({"id":"x","type":"hello","versions":)" + std::string(depth, '[') +
           std::string(depth, ']') + "}";
}

class BadRequest : public ::testing::TestWithParam<BadInput> {};

TEST_P(BadRequest, YieldsItsErrorCode) {
    const auto& c = GetParam();
    auto decoded = p::decode_request(c.frame);
    ASSERT_FALSE(decoded.ok()) << c.name;
    EXPECT_EQ(p::to_string(decoded.error().error.code), p::to_string(c.code)) << c.name;
    EXPECT_EQ(decoded.error().error.field, c.field) << c.name;
    EXPECT_EQ(decoded.error().id.has_value(), c.id_known) << c.name;
    if (c.id_known) {
        EXPECT_EQ(*decoded.error().id, "x");
    }
    EXPECT_FALSE(decoded.error().error.message.empty());
}

INSTANTIATE_TEST_SUITE_P(
    Table, BadRequest,
    ::testing::Values(
        BadInput{"not json", "hello?", ErrorCode::malformed_json, "", false},
        BadInput{"truncated json", R"({"id":"x","type":"hel)", ErrorCode::malformed_json, "", false},
        BadInput{"invalid utf-8 in a string", "{\"id\":\"x\",\"type\":\"post\",\"room_id\":1,\"body\":\"\xFF\xFE\"}",
                 ErrorCode::malformed_json, "", false},
        BadInput{"nesting too deep", deep_nesting(40), ErrorCode::malformed_json, "", false},
        BadInput{"array", "[1,2]", ErrorCode::invalid_request, "", false},
        BadInput{"string", R"("hello")", ErrorCode::invalid_request, "", false},
        BadInput{"missing id", R"({"type":"list_rooms"})", ErrorCode::invalid_request, "", false},
        BadInput{"numeric id", R"({"id":1,"type":"list_rooms"})", ErrorCode::invalid_request, "", false},
        BadInput{"empty id", R"({"id":"","type":"list_rooms"})", ErrorCode::invalid_request, "", false},
        BadInput{"id too long", R"({"id":")" + std::string(65, 'a') + R"(","type":"list_rooms"})",
                 ErrorCode::invalid_request, "", false},
        BadInput{"missing type", R"({"id":"x"})", ErrorCode::invalid_request, ""},
        BadInput{"type not a string", R"({"id":"x","type":5})", ErrorCode::invalid_request, ""},
        BadInput{"unknown type", R"({"id":"x","type":"launch_rockets"})", ErrorCode::unknown_type, ""},
        BadInput{"hello without versions", R"({"id":"x","type":"hello"})", ErrorCode::invalid_field, "versions"},
        BadInput{"hello versions not array", R"({"id":"x","type":"hello","versions":1})", ErrorCode::invalid_field, "versions"},
        BadInput{"hello versions empty", R"({"id":"x","type":"hello","versions":[]})", ErrorCode::invalid_field, "versions"},
        BadInput{"hello versions of strings", R"({"id":"x","type":"hello","versions":["1"]})", ErrorCode::invalid_field, "versions"},
        BadInput{"hello batch not a boolean", R"({"id":"x","type":"hello","versions":[1],"batch":"yes"})", ErrorCode::invalid_field, "batch"},
        BadInput{"login without password", R"({"id":"x","type":"login","handle":"anna"})", ErrorCode::invalid_field, "password"},
        BadInput{"login handle a number", R"({"id":"x","type":"login","handle":5,"password":"p"})", ErrorCode::invalid_field, "handle"},
        BadInput{"join without room", R"({"id":"x","type":"join"})", ErrorCode::invalid_field, "room_id"},
        BadInput{"join room as string", R"({"id":"x","type":"join","room_id":"3"})", ErrorCode::invalid_field, "room_id"},
        BadInput{"join room fractional", R"({"id":"x","type":"join","room_id":3.5})", ErrorCode::invalid_field, "room_id"},
        BadInput{"join room zero", R"({"id":"x","type":"join","room_id":0})", ErrorCode::invalid_field, "room_id"},
        BadInput{"join room negative", R"({"id":"x","type":"join","room_id":-4})", ErrorCode::invalid_field, "room_id"},
        BadInput{"join room huge", R"({"id":"x","type":"join","room_id":18446744073709551615})", ErrorCode::invalid_field, "room_id"},
        BadInput{"post without body", R"({"id":"x","type":"post","room_id":1})", ErrorCode::invalid_field, "body"},
        BadInput{"post empty body", R"({"id":"x","type":"post","room_id":1,"body":""})", ErrorCode::invalid_field, "body"},
        BadInput{"post blank body", R"({"id":"x","type":"post","room_id":1,"body":"  \n "})", ErrorCode::invalid_field, "body"},
        BadInput{"post body too long", R"({"id":"x","type":"post","room_id":1,"body":")" + std::string(8001, 'a') + "\"}",
                 ErrorCode::too_long, "body"},
        BadInput{"post body with escape sequence", R"({"id":"x","type":"post","room_id":1,"body":"hi \u001b[2J"})",
                 ErrorCode::invalid_field, "body"},
        BadInput{"post body null", R"({"id":"x","type":"post","room_id":1,"body":null})", ErrorCode::invalid_field, "body"},
        BadInput{"create room name too long", R"({"id":"x","type":"create_room","name":")" + std::string(65, 'k') + "\"}",
                 ErrorCode::too_long, "name"},
        BadInput{"create room name with newline", R"({"id":"x","type":"create_room","name":"a\nb"})", ErrorCode::invalid_field, "name"},
        BadInput{"history limit too big", R"({"id":"x","type":"history","room_id":1,"limit":201})", ErrorCode::invalid_field, "limit"},
        BadInput{"post unknown level", R"({"id":"x","type":"post","room_id":1,"body":"b","level":"secret"})",
                 ErrorCode::invalid_field, "level"},
        BadInput{"post thread not a number", R"({"id":"x","type":"post","room_id":1,"body":"b","thread_id":"9"})",
                 ErrorCode::invalid_field, "thread_id"},
        BadInput{"register bad handle", R"({"id":"x","type":"register","invite":"c","handle":"Zoe!","display_name":"Z","password":"p"})",
                 ErrorCode::invalid_field, "handle"},
        BadInput{"control_session unknown action", R"({"id":"x","type":"control_session","session_id":1,"action":"pause"})",
                 ErrorCode::invalid_field, "action"},
        BadInput{"control_session extend without seconds", R"({"id":"x","type":"control_session","session_id":1,"action":"extend"})",
                 ErrorCode::invalid_field, "extend_s"},
        BadInput{"schedule_session without cases", R"({"id":"x","type":"schedule_session","room_id":1,"title":"t","starts_ms":1,"method":"m","case_ids":[]})",
                 ErrorCode::invalid_field, "case_ids"},
        BadInput{"allow_post with both", R"({"id":"x","type":"allow_post","session_id":1,"handle":"a","message_id":2})",
                 ErrorCode::invalid_field, "handle"},
        BadInput{"mute without reason", R"({"id":"x","type":"mute_author","message_id":1,"duration_s":60})",
                 ErrorCode::invalid_field, "reason"},
        BadInput{"mute too long", R"({"id":"x","type":"mute_author","message_id":1,"duration_s":99999999999,"reason":"r"})",
                 ErrorCode::invalid_field, "duration_s"},
        BadInput{"invite too many uses", R"({"id":"x","type":"create_invite","max_uses":5000})",
                 ErrorCode::invalid_field, "max_uses"},
        BadInput{"create room empty levels", R"({"id":"x","type":"create_room","name":"n","allowed_levels":[]})",
                 ErrorCode::invalid_field, "allowed_levels"},
        BadInput{"post client id too long", R"({"id":"x","type":"post","room_id":1,"body":"b","client_msg_id":")" + std::string(65, 'c') + "\"}",
                 ErrorCode::too_long, "client_msg_id"},
        BadInput{"resume cursors not objects", R"({"id":"x","type":"resume","token":"t","last_seen":[1,2]})",
                 ErrorCode::invalid_field, "last_seen"},
        BadInput{"resume cursor without seq", R"({"id":"x","type":"resume","token":"t","last_seen":[{"room_id":1}]})",
                 ErrorCode::invalid_field, "last_seen[0].seq"},
        BadInput{"ask without title", R"({"id":"x","type":"ask","room_id":1,"body":"b"})", ErrorCode::invalid_field, "title"},
        BadInput{"ask too many tags", R"({"id":"x","type":"ask","room_id":1,"title":"t","body":"b","tags":["a","b","c","d","e","f","g","h","i"]})",
                 ErrorCode::too_long, "tags"},
        BadInput{"post unknown kind", R"({"id":"x","type":"post","room_id":1,"body":"b","kind":"rant"})", ErrorCode::invalid_field, "kind"},
        BadInput{"list cases bad sort", R"({"id":"x","type":"list_cases","room_id":1,"sort":"random"})", ErrorCode::invalid_field, "sort"},
        BadInput{"list cases bad status", R"({"id":"x","type":"list_cases","room_id":1,"status":"lost"})", ErrorCode::invalid_field, "status"},
        BadInput{"search without query", R"({"id":"x","type":"search"})", ErrorCode::invalid_field, "query"},
        BadInput{"similar without text", R"({"id":"x","type":"similar_cases","title":" "})", ErrorCode::invalid_field, "title"},
        BadInput{"close without reflection", R"({"id":"x","type":"close_case","case_id":1,"outcome":"o"})", ErrorCode::invalid_field, "reflection"},
        BadInput{"history before and after", R"({"id":"x","type":"history","room_id":1,"before":5,"after":2})",
                 ErrorCode::invalid_field, "before"}),
    [](const ::testing::TestParamInfo<BadInput>& param_info) {
        std::string name = param_info.param.name;
        for (auto& c : name)
            if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
        return name;
    });

TEST(DecodeRequest, IgnoresUnknownFieldsForForwardCompatibility) {
    auto decoded = p::decode_request(R"({"id":"x","type":"join","room_id":2,"future":{"a":1}})");
    ASSERT_TRUE(decoded.ok());
    EXPECT_EQ(std::get<p::JoinRequest>(decoded->body).room_id, 2);
}

TEST(DecodeRequest, CountsBodyLengthInCharactersNotBytes) {
    std::string body;
    for (int i = 0; i < 8000; ++i) body += "\xC3\xAB";  // 8000 × 'ë', 16000 bytes
    auto decoded = p::decode_request(R"({"id":"x","type":"post","room_id":1,"body":")" + body + "\"}");
    EXPECT_TRUE(decoded.ok());
}

TEST(DecodeServerFrame, RejectsFramesThatAreNeitherReplyNorEvent) {
    EXPECT_FALSE(p::decode_server_frame(R"({"hello":1})").ok());
    EXPECT_FALSE(p::decode_server_frame(R"({"event":"party"})").ok());
    EXPECT_FALSE(p::decode_server_frame(R"({"reply_to":"1","type":"post","ok":true,"result":{"seq":"x"}})").ok());
}

}  // namespace

namespace {

TEST(RoomPosition, RoomEventsHaveOnePersonalEventsNone) {
    auto at = [](const p::Event& e) {
        auto position = p::room_position(e);
        return position ? std::pair{position->room_id, position->seq} : std::pair<p::RoomId, p::Seq>{0, 0};
    };
    EXPECT_EQ(at(p::MessagePosted{sample_message()}), (std::pair<p::RoomId, p::Seq>{sample_message().room_id, sample_message().seq}));
    EXPECT_EQ(at(p::MemberJoined{3, anna(), 12}), (std::pair<p::RoomId, p::Seq>{3, 12}));
    EXPECT_EQ(at(p::MessageHidden{3, 99, "x", 14}), (std::pair<p::RoomId, p::Seq>{3, 14}));
    EXPECT_EQ(at(p::CaseUpdated{sample_case(), 15}), (std::pair<p::RoomId, p::Seq>{sample_case().room_id, 15}));
    EXPECT_EQ(at(p::HelpfulMarked{3, 99, 100, true, 16}), (std::pair<p::RoomId, p::Seq>{3, 16}));
    EXPECT_FALSE(p::room_position(p::CatchUpGap{3, 12, 900})) << "a gap is about seqs, not at one";
    EXPECT_FALSE(p::room_position(p::Notification{"mention", 3, 100, std::nullopt}));
    EXPECT_FALSE(p::room_position(p::RemovedFromRoom{3, "herhaling", std::nullopt}));
    EXPECT_EQ(at(p::SessionUpdated{sample_meeting(), 20}), (std::pair<p::RoomId, p::Seq>{3, 20}));
    EXPECT_FALSE(p::room_position(p::PhaseEnding{3, 5, "advice", 60000})) << "a warning is not sequenced";
    EXPECT_FALSE(p::room_position(p::SessionState{{sample_meeting(), {}}}));
}

TEST(DecodeServerFrame, RoomEventsWithoutSeqAreRefused) {
    auto decoded = p::decode_server_frame(R"({"event":"member_left","room_id":3,"member":{"account_id":7,"handle":"anna","display_name":"Anna"}})");
    EXPECT_FALSE(decoded.ok());
}

}  // namespace
