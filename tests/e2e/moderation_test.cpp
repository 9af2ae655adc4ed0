// End-to-end: moderation against the real server — the authorization matrix (every room request
// × every role × every room visibility, written out in one table), sanctions on live
// connections, slow mode, locks, archives and service-wide bans.

#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <thread>

#include "support/child_process.hpp"
#include "support/server_process.hpp"
#include "support/temp_dir.hpp"
#include "support/test_client.hpp"

using namespace vraagbaak::test;
using nlohmann::json;

namespace {

const std::string kPassword = "een-lang-wachtwoord";

std::string code(const json& reply) { return reply_code(reply); }

class ModerationE2E : public ::testing::Test {
protected:
    void SetUp() override {
        bto = std::stoll(admin(db, {"add-org", "--name", "Buurtteam Oost", "--code", "BTO"}));
        admin(db, {"add-org", "--name", "Gemeente Dienst", "--code", "GEM"});
        for (auto [handle, org, role] :
             {std::tuple{"eigenaar", "BTO", "member"}, std::tuple{"organisator", "BTO", "member"},
              std::tuple{"moderator", "BTO", "member"}, std::tuple{"lid", "BTO", "member"},
              std::tuple{"buitenstaander", "GEM", "member"}, std::tuple{"beheerder", "BTO", "admin"},
              std::tuple{"verbannen", "BTO", "member"}, std::tuple{"gedempt", "BTO", "member"},
              std::tuple{"doelwit", "BTO", "member"}, std::tuple{"reserve", "BTO", "member"}})
            admin(db, {"add-user", "--handle", handle, "--name", std::string("Naam ") + handle, "--org", org, "--role",
                       role, "--password-stdin"},
                  kPassword + "\n");
        server = std::make_unique<ServerProcess>(db);
    }
    std::unique_ptr<TestClient> signed_in(const std::string& handle) {
        auto c = std::make_unique<TestClient>(server->port());
        c->login(handle, kPassword);
        return c;
    }

    TempDir dir;
    std::string db = dir.file("moderation.db");
    long long bto = 0;
    std::unique_ptr<ServerProcess> server;
};

// ---- the authorization matrix ----

// The roles of the matrix, as columns. "none" is an account without membership (of another
// organisation than the one an organisations-room admits); "banned" was banned from the room
// through one of its posts, "muted" muted likewise; "admin" is a global admin (and a member).
const std::vector<std::string> kRoles{"none", "member", "organiser", "moderator", "owner", "admin", "banned", "muted"};
const std::map<std::string, std::string> kHandleOf{
    {"none", "buitenstaander"}, {"member", "lid"},        {"organiser", "organisator"}, {"moderator", "moderator"},
    {"owner", "eigenaar"},      {"admin", "beheerder"},   {"banned", "verbannen"},      {"muted", "gedempt"}};
const std::vector<std::string> kVisibilities{"open", "organisations", "invite"};

// Expected reply codes. `none` has one code per visibility (open, organisations, invite); every
// other role answers the same in all three rooms.
struct Row {
    std::string request;
    std::array<std::string, 3> none;
    std::string member, organiser, moderator, owner, admin, banned, muted;
};

const std::string ok = "ok";
const std::string nm = "not_member";
const std::string mnf = "message_not_found";
const std::string fb = "forbidden";

// clang-format off
const std::vector<Row> kMatrix{
    //  request                  none (open, orgs, invite)      member organiser moderator owner admin banned  muted
    {"history",                 {nm, nm, nm},                   ok,    ok,       ok,       ok,   ok,   nm,     ok},
    {"post",                    {nm, nm, nm},                   ok,    ok,       ok,       ok,   ok,   nm,     "muted"},
    {"ask",                     {nm, nm, nm},                   ok,    ok,       ok,       ok,   ok,   nm,     "muted"},
    {"list_cases",              {nm, nm, nm},                   ok,    ok,       ok,       ok,   ok,   nm,     ok},
    {"get_case",                {"case_not_found", "case_not_found", "case_not_found"},
                                                                ok,    ok,       ok,       ok,   ok,   "case_not_found", ok},
    {"search",                  {nm, nm, nm},                   ok,    ok,       ok,       ok,   ok,   nm,     ok},
    {"mark_read",               {nm, nm, nm},                   ok,    ok,       ok,       ok,   ok,   nm,     ok},
    {"report",                  {mnf, mnf, mnf},                ok,    ok,       ok,       ok,   ok,   mnf,    ok},
    {"pin_message",             {mnf, mnf, mnf},                fb,    ok,       ok,       ok,   ok,   mnf,    fb},
    {"update_room:topic",       {nm, nm, nm},                   fb,    ok,       ok,       ok,   ok,   nm,     fb},
    {"create_room_invite",      {nm, nm, nm},                   fb,    ok,       ok,       ok,   ok,   nm,     fb},
    {"update_room:slow_mode_s", {nm, nm, nm},                   fb,    fb,       ok,       ok,   ok,   nm,     fb},
    {"update_room:locked",      {nm, nm, nm},                   fb,    fb,       ok,       ok,   ok,   nm,     fb},
    {"update_room:archived",    {nm, nm, nm},                   fb,    fb,       fb,       ok,   ok,   nm,     fb},
    {"update_room:visibility",  {nm, nm, nm},                   fb,    fb,       fb,       ok,   ok,   nm,     fb},
    {"update_room:levels",      {nm, nm, nm},                   fb,    fb,       fb,       ok,   ok,   nm,     fb},
    {"update_room:name",        {nm, nm, nm},                   fb,    fb,       fb,       ok,   ok,   nm,     fb},
    {"list_rooms",              {ok, ok, ok},                   ok,    ok,       ok,       ok,   ok,   ok,     ok},
    {"similar_cases",           {ok, ok, ok},                   ok,    ok,       ok,       ok,   ok,   ok,     ok},
    {"mark_helpful",            {mnf, mnf, mnf},                fb,    fb,       fb,       fb,   fb,   mnf,    fb},
    {"close_case",              {"case_not_found", "case_not_found", "case_not_found"},
                                                                fb,    fb,       fb,       fb,   fb,   "case_not_found", fb},
    {"reopen_case",             {"case_not_found", "case_not_found", "case_not_found"},
                                                                fb,    fb,       ok,       ok,   ok,   "case_not_found", fb},
    {"create_invite",           {fb, fb, fb},                   fb,    fb,       fb,       fb,   ok,   fb,     fb},
    {"request_reveal",          {fb, fb, fb},                   fb,    fb,       fb,       fb,   ok,   fb,     fb},
    {"set_room_role:member",    {nm, nm, nm},                   fb,    fb,       ok,       ok,   ok,   nm,     fb},
    {"set_room_role:moderator", {nm, nm, nm},                   fb,    fb,       fb,       ok,   ok,   nm,     fb},
    {"hide_message",            {mnf, mnf, mnf},                fb,    fb,       ok,       ok,   ok,   mnf,    fb},
    {"unhide_message",          {mnf, mnf, mnf},                fb,    fb,       ok,       ok,   ok,   mnf,    fb},
    {"delete_message",          {mnf, mnf, mnf},                fb,    fb,       ok,       ok,   ok,   mnf,    fb},
    {"mute_author",             {mnf, mnf, mnf},                fb,    fb,       ok,       ok,   ok,   mnf,    fb},
    {"kick_author",             {mnf, mnf, mnf},                fb,    fb,       ok,       ok,   ok,   mnf,    fb},
    {"ban_author",              {mnf, mnf, mnf},                fb,    fb,       ok,       ok,   ok,   mnf,    fb},
    {"list_reports",            {fb, fb, fb},                   fb,    fb,       ok,       ok,   ok,   fb,     fb},
    {"claim_report",            {"report_not_found", "report_not_found", "report_not_found"},
                                                                fb,    fb,       ok,       ok,   ok,   "report_not_found", fb},
    {"resolve_report",          {"report_not_found", "report_not_found", "report_not_found"},
                                                                fb,    fb,       ok,       ok,   ok,   "report_not_found", fb},
    {"dismiss_report",          {"report_not_found", "report_not_found", "report_not_found"},
                                                                fb,    fb,       ok,       ok,   ok,   "report_not_found", fb},
    {"audit:room",              {fb, fb, fb},                   fb,    fb,       ok,       ok,   ok,   fb,     fb},
    {"audit:all",               {fb, fb, fb},                   fb,    fb,       fb,       fb,   ok,   fb,     fb},
    {"ban_account",             {fb, fb, fb},                   fb,    fb,       fb,       fb,   ok,   fb,     fb},
    {"leave",                   {nm, nm, nm},                   ok,    ok,       ok,       ok,   ok,   nm,     ok},
    {"join",                    {ok, "room_not_found", "invite_required"},
                                                                ok,    ok,       ok,       ok,   ok,   "banned", ok},
};
// clang-format on

std::string expected(const Row& row, const std::string& role, std::size_t visibility) {
    if (role == "none") return row.none[visibility];
    if (role == "member") return row.member;
    if (role == "organiser") return row.organiser;
    if (role == "moderator") return row.moderator;
    if (role == "owner") return row.owner;
    if (role == "admin") return row.admin;
    if (role == "banned") return row.banned;
    return row.muted;
}

TEST_F(ModerationE2E, AuthorizationMatrixEveryRequestEveryRoleEveryVisibility) {
    std::map<std::string, std::unique_ptr<TestClient>> as;
    for (const auto& [role, handle] : kHandleOf) as[role] = signed_in(handle);
    auto owner = [&]() -> TestClient& { return *as["owner"]; };
    auto admin_c = [&]() -> TestClient& { return *as["admin"]; };
    auto target = signed_in("doelwit");
    auto reserve = signed_in("reserve");
    const std::map<std::string, std::string> room_role_of{{"member", "member"},       {"organiser", "organiser"},
                                                          {"moderator", "moderator"}, {"owner", "owner"},
                                                          {"admin", "member"},        {"muted", "member"}};

    int cells = 0;
    for (std::size_t v = 0; v < kVisibilities.size(); ++v) {
        const std::string visibility = kVisibilities[v];
        // The owner creates the room and gives everyone their place in it.
        json created = owner().call({{"type", "create_room"}, {"name", "kamer-" + visibility}});
        ASSERT_EQ(code(created), "ok") << created.dump();
        const long long room = created["result"]["room"]["id"];
        json settings = {{"type", "update_room"}, {"room_id", room}, {"visibility", visibility}};
        if (visibility == "organisations") settings["organisations"] = {bto};
        ASSERT_EQ(code(owner().call(settings)), "ok");
        for (const auto& [role, room_role] : room_role_of) {
            if (role == "owner") continue;
            json assigned = owner().call({{"type", "set_room_role"}, {"room_id", room}, {"handle", kHandleOf.at(role)},
                                          {"role", room_role}});
            ASSERT_EQ(code(assigned), "ok") << assigned.dump();
        }
        for (const char* h : {"doelwit", "verbannen", "reserve"})
            ASSERT_EQ(code(owner().call({{"type", "set_room_role"}, {"room_id", room}, {"handle", h}, {"role", "member"}})), "ok");
        // Banned and muted through one of their own posts.
        auto own_post = [&](const std::string& role) {
            return as[role]->call({{"type", "post"}, {"room_id", room}, {"body", "eigen bericht"}})["result"]["message_id"];
        };
        ASSERT_EQ(code(as["moderator"]->call({{"type", "ban_author"}, {"message_id", own_post("banned")}, {"reason", "test"}})), "ok");
        ASSERT_EQ(code(as["moderator"]->call({{"type", "mute_author"}, {"message_id", own_post("muted")},
                                              {"duration_s", 3600}, {"reason", "test"}})),
                  "ok");
        const long long case_id = target->call({{"type", "ask"}, {"room_id", room}, {"title", "Een vraag"},
                                                {"body", "tekst"}, {"tags", {"wonen"}}})["result"]["case"]["id"];

        // Fresh targets, so that one cell's effect never decides another's.
        auto fresh_message = [&] {
            json r = target->call({{"type", "post"}, {"room_id", room}, {"body", "doelwit"}});
            EXPECT_EQ(code(r), "ok") << r.dump();
            return r["result"]["message_id"].get<long long>();
        };
        auto fresh_report = [&] {
            return admin_c().call({{"type", "report"}, {"message_id", fresh_message()}, {"reason", "test"}})["result"]["report_id"]
                .get<long long>();
        };
        auto restore_target = [&] {  // after a kick or ban of the target: let it back in
            owner().call({{"type", "set_room_role"}, {"room_id", room}, {"handle", "doelwit"}, {"role", "member"}});
        };
        long long last_target = 0;
        std::map<std::string, std::function<json(const std::string&)>> make{
            {"history", [&](auto&) { return json{{"type", "history"}, {"room_id", room}}; }},
            {"post", [&](auto&) { return json{{"type", "post"}, {"room_id", room}, {"body", "hallo"}}; }},
            {"ask", [&](auto&) { return json{{"type", "ask"}, {"room_id", room}, {"title", "t"}, {"body", "b"}, {"tags", {"wonen"}}}; }},
            {"list_cases", [&](auto&) { return json{{"type", "list_cases"}, {"room_id", room}}; }},
            {"get_case", [&](auto&) { return json{{"type", "get_case"}, {"case_id", case_id}}; }},
            {"search", [&](auto&) { return json{{"type", "search"}, {"room_id", room}, {"query", "doelwit"}}; }},
            {"mark_read", [&](auto&) { return json{{"type", "mark_read"}, {"room_id", room}, {"seq", 1}}; }},
            {"report", [&](auto&) { return json{{"type", "report"}, {"message_id", fresh_message()}, {"category", "spam"}, {"reason", "r"}}; }},
            {"pin_message", [&](auto&) { return json{{"type", "pin_message"}, {"message_id", fresh_message()}}; }},
            {"update_room:topic", [&](auto&) { return json{{"type", "update_room"}, {"room_id", room}, {"topic", "onderwerp"}}; }},
            {"create_room_invite", [&](auto&) { return json{{"type", "create_room_invite"}, {"room_id", room}}; }},
            {"update_room:slow_mode_s", [&](auto&) { return json{{"type", "update_room"}, {"room_id", room}, {"slow_mode_s", 0}}; }},
            {"update_room:locked", [&](auto&) { return json{{"type", "update_room"}, {"room_id", room}, {"locked", false}}; }},
            {"update_room:archived", [&](auto&) { return json{{"type", "update_room"}, {"room_id", room}, {"archived", false}}; }},
            {"update_room:visibility", [&](auto&) {
                 json r{{"type", "update_room"}, {"room_id", room}, {"visibility", visibility}};
                 if (visibility == "organisations") r["organisations"] = {bto};
                 return r;
             }},
            {"update_room:name", [&](const std::string& role) {
                 return json{{"type", "update_room"}, {"room_id", room}, {"name", "kamer-" + visibility + "-" + role}};
             }},
            {"list_rooms", [&](auto&) { return json{{"type", "list_rooms"}}; }},
            {"similar_cases", [&](auto&) { return json{{"type", "similar_cases"}, {"title", "Een vraag"}}; }},
            {"mark_helpful", [&](auto&) {
                 long long reply = target->call({{"type", "post"}, {"room_id", room}, {"thread_id", case_id},
                                                 {"body", "aanvulling"}})["result"]["message_id"];
                 return json{{"type", "mark_helpful"}, {"message_id", reply}};
             }},
            {"close_case", [&](auto&) {
                 return json{{"type", "close_case"}, {"case_id", case_id}, {"outcome", "o"}, {"reflection", "r"}};
             }},
            {"reopen_case", [&](auto&) {
                 long long closed = target->call({{"type", "ask"}, {"room_id", room}, {"title", "Dicht"}, {"body", "b"},
                                                  {"tags", {"wonen"}}})["result"]["case"]["id"];
                 target->call({{"type", "close_case"}, {"case_id", closed}, {"outcome", "o"}, {"reflection", "r"}});
                 return json{{"type", "reopen_case"}, {"case_id", closed}};
             }},
            {"create_invite", [&](auto&) { return json{{"type", "create_invite"}, {"organisation_id", bto}}; }},
            {"request_reveal", [&](auto&) {
                 return json{{"type", "request_reveal"}, {"message_id", fresh_message()}, {"reason", "r"}};
             }},
            {"update_room:levels", [&](auto&) {
                 return json{{"type", "update_room"}, {"room_id", room}, {"allowed_levels", {"named", "organisation", "anonymous"}}};
             }},
            {"set_room_role:member", [&](auto&) { return json{{"type", "set_room_role"}, {"room_id", room}, {"handle", "reserve"}, {"role", "member"}}; }},
            {"set_room_role:moderator", [&](auto&) { return json{{"type", "set_room_role"}, {"room_id", room}, {"handle", "reserve"}, {"role", "moderator"}}; }},
            {"hide_message", [&](auto&) { return json{{"type", "hide_message"}, {"message_id", fresh_message()}, {"reason", "r"}}; }},
            {"unhide_message", [&](auto&) {
                 long long id = fresh_message();
                 admin_c().call({{"type", "hide_message"}, {"message_id", id}, {"reason", "r"}});
                 return json{{"type", "unhide_message"}, {"message_id", id}, {"reason", "r"}};
             }},
            {"delete_message", [&](auto&) { return json{{"type", "delete_message"}, {"message_id", fresh_message()}, {"reason", "r"}}; }},
            {"mute_author", [&](auto&) {
                 last_target = fresh_message();
                 return json{{"type", "mute_author"}, {"message_id", last_target}, {"duration_s", 60}, {"reason", "r"}};
             }},
            {"kick_author", [&](auto&) { return json{{"type", "kick_author"}, {"message_id", fresh_message()}, {"reason", "r"}}; }},
            {"ban_author", [&](auto&) {
                 last_target = fresh_message();
                 return json{{"type", "ban_author"}, {"message_id", last_target}, {"duration_s", 60}, {"reason", "r"}};
             }},
            {"list_reports", [&](auto&) { return json{{"type", "list_reports"}, {"room_id", room}}; }},
            {"claim_report", [&](auto&) { return json{{"type", "claim_report"}, {"report_id", fresh_report()}}; }},
            {"resolve_report", [&](auto&) { return json{{"type", "resolve_report"}, {"report_id", fresh_report()}, {"outcome", "o"}}; }},
            {"dismiss_report", [&](auto&) { return json{{"type", "dismiss_report"}, {"report_id", fresh_report()}, {"outcome", "o"}}; }},
            {"audit:room", [&](auto&) { return json{{"type", "audit"}, {"room_id", room}}; }},
            {"audit:all", [&](auto&) { return json{{"type", "audit"}}; }},
            {"ban_account", [&](auto&) { return json{{"type", "ban_account"}, {"handle", "reserve"}, {"duration_s", 60}, {"reason", "r"}}; }},
            {"leave", [&](auto&) { return json{{"type", "leave"}, {"room_id", room}}; }},
            {"join", [&](auto&) { return json{{"type", "join"}, {"room_id", room}}; }},
        };
        // What an allowed request changed that later cells must not see.
        std::map<std::string, std::function<void(const std::string&)>> undo{
            {"mute_author", [&](auto&) { admin_c().call({{"type", "mute_author"}, {"message_id", last_target}, {"duration_s", 0}, {"reason", "terug"}}); }},
            {"kick_author", [&](auto&) { restore_target(); }},
            {"ban_author", [&](auto&) {
                 admin_c().call({{"type", "ban_author"}, {"message_id", last_target}, {"duration_s", 0}, {"reason", "terug"}});
                 restore_target();
             }},
            {"set_room_role:moderator", [&](auto&) {
                 owner().call({{"type", "set_room_role"}, {"room_id", room}, {"handle", "reserve"}, {"role", "member"}});
             }},
            {"ban_account", [&](auto&) {
                 admin_c().call({{"type", "ban_account"}, {"handle", "reserve"}, {"duration_s", 0}, {"reason", "terug"}});
             }},
            {"leave", [&](const std::string& role) {
                 admin_c().call({{"type", "set_room_role"}, {"room_id", room}, {"handle", kHandleOf.at(role)},
                                 {"role", room_role_of.at(role)}});
             }},
        };

        for (const auto& row : kMatrix) {
            for (const auto& role : kRoles) {
                json request = make.at(row.request)(role);
                json reply = as[role]->call(request);
                const std::string want = expected(row, role, v);
                EXPECT_EQ(code(reply), want) << row.request << " by " << role << " in the " << visibility
                                             << " room: " << reply.dump();
                if (code(reply) == "ok" && undo.count(row.request)) undo.at(row.request)(role);
                ++cells;
            }
        }
    }
    std::cout << "authorization matrix: " << kMatrix.size() << " requests x " << kRoles.size() << " roles x "
              << kVisibilities.size() << " visibilities = " << cells << " cells checked\n";
}

TEST_F(ModerationE2E, SanctionsTakeEffectOnLiveConnections) {
    auto owner = signed_in("eigenaar");
    auto mod = signed_in("moderator");
    auto alice = signed_in("lid");
    auto bob = signed_in("doelwit");
    const long long room = owner->call({{"type", "create_room"}, {"name", "sancties"}})["result"]["room"]["id"];
    owner->call({{"type", "set_room_role"}, {"room_id", room}, {"handle", "moderator"}, {"role", "moderator"}});
    for (auto* c : {alice.get(), bob.get()}) ASSERT_EQ(code(c->call({{"type", "join"}, {"room_id", room}})), "ok");
    auto post = [&](TestClient& c, const std::string& body = "bericht") {
        return c.call({{"type", "post"}, {"room_id", room}, {"body", body}});
    };
    auto message_of = [&](TestClient& c) { return post(c)["result"]["message_id"].get<long long>(); };
    auto wait_past = [](long long retry_after_ms) {
        std::this_thread::sleep_for(std::chrono::milliseconds(retry_after_ms + 150));
    };

    // Mute: the next post is refused and says until when; after it expires, allowed again.
    ASSERT_EQ(code(mod->call({{"type", "mute_author"}, {"message_id", message_of(*alice)}, {"duration_s", 1}, {"reason", "rust"}})), "ok");
    json muted = post(*alice);
    ASSERT_EQ(code(muted), "muted");
    const long long mute_left = muted["error"]["retry_after_ms"];
    EXPECT_GT(mute_left, 0);
    EXPECT_LE(mute_left, 1000);
    EXPECT_NE(muted["error"]["message"].get<std::string>().find("another"), std::string::npos) << muted.dump();
    wait_past(mute_left);
    EXPECT_EQ(code(post(*alice)), "ok") << "the mute expired";

    // Slow mode: one post per second for members; moderators are exempt.
    ASSERT_EQ(code(mod->call({{"type", "update_room"}, {"room_id", room}, {"slow_mode_s", 1}})), "ok");
    auto updated = bob->next_event([](const json& e) { return e["event"] == "room_updated"; });
    ASSERT_TRUE(updated);
    EXPECT_EQ((*updated)["room"]["slow_mode_s"], 1);
    EXPECT_EQ(code(post(*bob)), "ok");
    json slow = post(*bob);
    ASSERT_EQ(code(slow), "slow_mode");
    EXPECT_GT(slow["error"]["retry_after_ms"].get<long long>(), 0);
    EXPECT_EQ(code(post(*mod)), "ok");
    EXPECT_EQ(code(post(*mod)), "ok") << "moderators are not slowed";
    wait_past(slow["error"]["retry_after_ms"]);
    EXPECT_EQ(code(post(*bob)), "ok");
    ASSERT_EQ(code(mod->call({{"type", "update_room"}, {"room_id", room}, {"slow_mode_s", 0}})), "ok");

    // Lock: read-only for members, moderators still post.
    ASSERT_EQ(code(mod->call({{"type", "update_room"}, {"room_id", room}, {"locked", true}})), "ok");
    EXPECT_EQ(code(post(*bob)), "room_locked");
    EXPECT_EQ(code(post(*mod)), "ok");
    ASSERT_EQ(code(mod->call({{"type", "update_room"}, {"room_id", room}, {"locked", false}})), "ok");
    EXPECT_EQ(code(post(*bob)), "ok");

    // Kick: out at once, told so, may come back.
    ASSERT_EQ(code(mod->call({{"type", "kick_author"}, {"message_id", message_of(*bob)}, {"reason", "afkoelen"}})), "ok");
    auto kicked = bob->next_event([](const json& e) { return e["event"] == "removed_from_room"; });
    ASSERT_TRUE(kicked);
    EXPECT_EQ((*kicked)["kind"], "kick");
    EXPECT_EQ(code(post(*bob)), "not_member");
    EXPECT_EQ(code(bob->call({{"type", "join"}, {"room_id", room}})), "ok");

    // A timed ban: removed, cannot rejoin until it expires.
    ASSERT_EQ(code(mod->call({{"type", "ban_author"}, {"message_id", message_of(*bob)}, {"duration_s", 1}, {"reason", "herhaling"}})), "ok");
    auto banned = bob->next_event([](const json& e) { return e["event"] == "removed_from_room"; });
    ASSERT_TRUE(banned);
    EXPECT_EQ((*banned)["kind"], "ban");
    EXPECT_EQ(code(post(*bob)), "not_member");
    json rejoin = bob->call({{"type", "join"}, {"room_id", room}});
    ASSERT_EQ(code(rejoin), "banned");
    wait_past(rejoin["error"]["retry_after_ms"]);
    EXPECT_EQ(code(bob->call({{"type", "join"}, {"room_id", room}})), "ok") << "the ban expired";
    EXPECT_EQ(code(post(*bob)), "ok");

    // Archive: nobody posts, nobody new joins.
    ASSERT_EQ(code(owner->call({{"type", "update_room"}, {"room_id", room}, {"archived", true}})), "ok");
    EXPECT_EQ(code(post(*mod)), "room_archived");
    auto outsider = signed_in("reserve");
    EXPECT_EQ(code(outsider->call({{"type", "join"}, {"room_id", room}})), "room_archived");
    ASSERT_EQ(code(owner->call({{"type", "update_room"}, {"room_id", room}, {"archived", false}})), "ok");

    // Bad settings are refused with a typed error and change nothing.
    json bad_org = owner->call({{"type", "update_room"}, {"room_id", room}, {"visibility", "organisations"}, {"organisations", {9999}}});
    EXPECT_EQ(code(bad_org), "organisation_not_found");
    EXPECT_EQ(bad_org["error"]["field"], "organisations");
    EXPECT_EQ(code(owner->call({{"type", "update_room"}, {"room_id", room}, {"visibility", "secret"}})), "invalid_field");
    EXPECT_EQ(code(owner->call({{"type", "update_room"}, {"room_id", room}, {"slow_mode_s", 99999}})), "invalid_field");
    EXPECT_EQ(code(owner->call({{"type", "update_room"}, {"room_id", room}})), "invalid_field") << "nothing to change";
    json unchanged = owner->call({{"type", "join"}, {"room_id", room}});
    EXPECT_EQ(unchanged["result"]["room"]["visibility"], "open");

    // Renaming: owners only, and names stay unique.
    owner->call({{"type", "create_room"}, {"name", "bezet"}});
    EXPECT_EQ(code(owner->call({{"type", "update_room"}, {"room_id", room}, {"name", "BEZET"}})), "room_exists");
    json renamed = owner->call({{"type", "update_room"}, {"room_id", room}, {"name", "sancties-2"}});
    ASSERT_EQ(code(renamed), "ok");
    EXPECT_EQ(renamed["result"]["room"]["name"], "sancties-2");

    // A ban from the whole service: the live connection ends, sign-in is refused until lifted.
    auto admin_c = signed_in("beheerder");
    ASSERT_EQ(code(admin_c->call({{"type", "ban_account"}, {"handle", "doelwit"}, {"reason", "misbruik"}})), "ok");
    EXPECT_EQ(bob->wait_closed(), 1008);
    TestClient again(server->port());
    again.call({{"type", "hello"}, {"versions", {1}}});
    json refused = again.call({{"type", "login"}, {"handle", "doelwit"}, {"password", kPassword}});
    EXPECT_EQ(code(refused), "banned");
    EXPECT_FALSE(refused["error"].contains("retry_after_ms")) << "for good";
    ASSERT_EQ(code(admin_c->call({{"type", "ban_account"}, {"handle", "doelwit"}, {"duration_s", 0}, {"reason", "herzien"}})), "ok");
    EXPECT_EQ(code(again.call({{"type", "login"}, {"handle", "doelwit"}, {"password", kPassword}})), "ok");

    // Every step is in the room's audit log, read by its moderator through the protocol.
    json audit = mod->call({{"type", "audit"}, {"room_id", room}, {"limit", 100}});
    ASSERT_EQ(code(audit), "ok") << audit.dump();
    std::map<std::string, int> actions;
    for (const auto& e : audit["result"]["entries"]) {
        ++actions[e["action"].get<std::string>()];
        EXPECT_EQ(e["room_id"], room);
        EXPECT_EQ(e["target"].get<std::string>().find("doelwit"), std::string::npos) << "sanctions name posts: " << e.dump();
    }
    for (const char* action : {"mute", "kick", "ban", "room_updated", "room_role_set"})
        EXPECT_GE(actions[action], 1) << action;
    EXPECT_EQ(code(alice->call({{"type", "audit"}, {"room_id", room}})), "forbidden");
    const std::string all = admin(db, {"audit"});
    // Accounts are named by id in the log, so that an erased account leaves no name behind.
    const std::string bob_id = std::to_string(again.call({{"type", "export_my_data"}})["result"]["account"]["account_id"].get<long long>());
    EXPECT_NE(all.find("\taccount_banned\taccount:" + bob_id), std::string::npos) << all;
    EXPECT_NE(all.find("\taccount_unbanned\taccount:" + bob_id), std::string::npos) << all;
}

TEST_F(ModerationE2E, TheTerminalClientModerates) {
    auto owner = signed_in("eigenaar");
    const long long room = owner->call({{"type", "create_room"}, {"name", "praktijk"}})["result"]["room"]["id"];
    owner->call({{"type", "set_room_role"}, {"room_id", room}, {"handle", "moderator"}, {"role", "moderator"}});
    auto member = signed_in("lid");
    member->call({{"type", "join"}, {"room_id", room}});
    const long long bad = member->call({{"type", "post"}, {"room_id", room}, {"body", "Die ambtenaar is echt een idioot"},
                                        {"level", "anonymous"}})["result"]["message_id"];
    const std::string id = std::to_string(bad);
    ASSERT_EQ(code(member->call({{"type", "report"}, {"message_id", bad}, {"category", "offensive"}, {"reason", "scheldwoord"}})), "ok");

    ChildProcess mod({VRAAGBAAK_CLIENT_BIN, "--url", "ws://127.0.0.1:" + std::to_string(server->port()) + "/ws",
                      "--user", "moderator", "--lang", "en"},
                     {"VRAAGBAAK_PASSWORD=" + kPassword});
    mod.write("/join praktijk\n/queue\n/claim 1\n/delete " + id + " scheldwoord\n/resolve 1 verwijderd\n/mute " + id +
              " 30m privacy\n/slow 30s\n/lock\n/audit\n");
    mod.close_stdin();
    ASSERT_EQ(mod.wait(), 0) << mod.drain_stderr();
    std::string out;
    while (auto line = mod.read_line(1s)) out += *line + "\n";
    for (const std::string& expected : std::vector<std::string>{"1 reports:", "report 1 [open] offensive: message " + id, "report 1 is yours",
                                       "message " + id + " in praktijk is deleted for good", "report 1 resolved",
                                       "is muted in praktijk until", "slow mode 30 s", "locked (read-only)",
                                       "@moderator delete message:" + id + " scheldwoord", "@moderator report_resolved report:1"})
        EXPECT_NE(out.find(expected), std::string::npos) << "missing '" << expected << "' in:\n" << out << mod.drain_stderr();
    EXPECT_EQ(out.find("Naam lid"), std::string::npos) << "the anonymous author stays anonymous in the queue";
    json history = member->call({{"type", "history"}, {"room_id", room}});
    EXPECT_EQ(history["result"]["messages"][0]["hidden_reason"], "deleted");
    EXPECT_EQ(history["result"]["messages"][0]["body"], "") << "gone for the author too";
}

}  // namespace
