// End-to-end: identity (invites, registration, tokens) and accountable anonymity, against the
// real server. The anonymity test inspects every frame the other participants receive.

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "support/child_process.hpp"
#include "support/server_process.hpp"
#include "support/temp_dir.hpp"
#include "support/test_client.hpp"

using namespace vraagbaak::test;
using nlohmann::json;

namespace {

const std::string kPassword = "een-lang-wachtwoord";

struct Person {
    std::string handle;
    std::string name;
    std::string org;   // code
    std::string role;
    long long id = 0;
};

class IdentityE2E : public ::testing::Test {
protected:
    void SetUp() override {
        admin(db, {"add-org", "--name", "Wijkteam Noord Geheim", "--code", "WNG"});
        admin(db, {"add-org", "--name", "Schuldhulp Zuid Apart", "--code", "SZA"});
        admin(db, {"add-org", "--name", "Buurtteam Oost", "--code", "BTO"});
        for (auto* p : {&anon, &orgposter, &member, &organiser, &moderator, &admin1, &admin2}) {
            auto out = admin(db, {"add-user", "--handle", p->handle, "--name", p->name, "--org", p->org,
                                  "--role", p->role, "--password-stdin"},
                             kPassword + "\n");
            p->id = std::stoll(out.substr(0, out.find('\t')));
        }
        admin(db, {"add-room", "--name", "casuistiek"});
        server = std::make_unique<ServerProcess>(db);
    }

    std::unique_ptr<TestClient> join(const Person& p) {
        auto c = std::make_unique<TestClient>(server->port());
        c->login(p.handle, kPassword);
        auto r = c->call({{"type", "join"}, {"room_id", 1}});
        EXPECT_TRUE(r["ok"].get<bool>()) << r.dump();
        return c;
    }
    static json post(TestClient& c, const std::string& body, const std::string& level,
                     std::optional<long long> thread = {}) {
        json req = {{"type", "post"}, {"room_id", 1}, {"body", body}, {"level", level}};
        if (thread) req["thread_id"] = *thread;
        auto r = c.call(req);
        EXPECT_TRUE(r["ok"].get<bool>()) << r.dump();
        return r["result"];
    }

    TempDir dir;
    std::string db = dir.file("id.db");
    Person anon{"anoniem.auteur", "Anoniem Auteur Uniek", "WNG", "member"};
    Person orgposter{"org.auteur", "Organisatie Auteur Uniek", "SZA", "member"};
    Person member{"lid", "Lid Lezer", "BTO", "member"};
    Person organiser{"organisator", "Olga Organisator", "BTO", "organiser"};
    Person moderator{"moderator", "Mo Derator", "BTO", "moderator"};
    Person admin1{"beheer1", "Beheerder Een", "BTO", "admin"};
    Person admin2{"beheer2", "Beheerder Twee", "BTO", "admin"};
    std::unique_ptr<ServerProcess> server;
};

// Every message object in a frame, wherever it is nested, by its id.
void collect_authors(const json& j, std::vector<std::pair<long long, json>>& out) {
    if (j.is_object()) {
        if (j.contains("author") && j.contains("id") && j["author"].is_object())
            out.emplace_back(j["id"].get<long long>(), j);
        for (const auto& [k, v] : j.items()) collect_authors(v, out);
    } else if (j.is_array()) {
        for (const auto& v : j) collect_authors(v, out);
    }
}

TEST_F(IdentityE2E, AnonymityHoldsInEveryFrameOthersReceive) {
    // The authors are members before the observers connect: membership is public, posts are not.
    auto a = join(anon);
    auto o = join(orgposter);
    auto m = join(member);
    auto g = join(organiser);
    auto d = join(moderator);
    // The member below is away from here on: it has seen the joins, nothing after them.
    json rooms = m->call({{"type", "list_rooms"}});
    long long seen_before_away = rooms["result"]["rooms"][0]["last_seq"];
    ASSERT_EQ(seen_before_away, 5);

    // Thread A, asked anonymously; replies at every level.
    auto root_a = post(*a, "Mijn cliënt loopt vast bij de schuldsanering.", "anonymous");
    long long thread_a = root_a["message_id"];
    auto reply_org = post(*o, "Probeer een betalingsregeling.", "organisation", thread_a);
    post(*m, "Ik ken iemand bij de gemeente.", "named", thread_a);
    auto reply_asker = post(*a, "Dank, dat ga ik doen.", "anonymous", thread_a);
    // Thread B, asked by the other author; the first author replies.
    auto root_b = post(*o, "Wie weet iets over urgentie?", "anonymous");
    long long thread_b = root_b["message_id"];
    auto reply_b = post(*a, "Vraag het wijkteam.", "anonymous", thread_b);
    // A case asked anonymously, answered at organisation level.
    auto kase = a->call({{"type", "ask"}, {"room_id", 1}, {"title", "Vastgelopen schuldsanering"},
                         {"body", "Mijn cliënt heeft beslag op zijn loon."}, {"tags", {"schulden"}}, {"level", "anonymous"}});
    ASSERT_TRUE(kase["ok"].get<bool>()) << kase.dump();
    long long case_id = kase["result"]["case"]["id"];
    auto case_reply = post(*o, "Vraag een moratorium aan.", "organisation", case_id);
    // A network meeting on that case: its agenda, steps, posts, attendance and summary.
    auto scheduled = d->call({{"type", "schedule_session"}, {"room_id", 1}, {"title", "Intervisie"},
                              {"starts_ms", 4102444800000LL}, {"method", "quick_consult"}, {"case_ids", {case_id}}});
    ASSERT_TRUE(scheduled["ok"].get<bool>()) << scheduled.dump();
    long long session = scheduled["result"]["session"]["id"];
    ASSERT_TRUE(m->call({{"type", "sign_up"}, {"session_id", session}})["ok"].get<bool>());
    ASSERT_TRUE(d->call({{"type", "control_session"}, {"session_id", session}, {"action", "start"}})["ok"].get<bool>());
    auto owner_says = post(*a, "Het gaat om beslag op loon.", "anonymous", case_id);
    auto org_asks = o->call({{"type", "post"}, {"room_id", 1}, {"thread_id", case_id}, {"kind", "question"},
                             {"body", "Hoe hoog is het beslag?"}, {"level", "organisation"}})["result"];
    ASSERT_TRUE(d->call({{"type", "control_session"}, {"session_id", session}, {"action", "next"}})["ok"].get<bool>());
    auto org_idea = o->call({{"type", "post"}, {"room_id", 1}, {"thread_id", case_id}, {"kind", "idea"},
                             {"body", "Toets de beslagvrije voet."}, {"level", "organisation"}});
    ASSERT_TRUE(org_idea["ok"].get<bool>()) << org_idea.dump();
    std::set<long long> hidden_by_anon = {thread_a, reply_asker["message_id"], reply_b["message_id"], case_id,
                                          owner_says["message_id"]};
    std::set<long long> hidden_by_org = {reply_org["message_id"], thread_b, case_reply["message_id"],
                                         org_asks["message_id"], org_idea["result"]["message_id"]};

    // Moderation without identity.
    auto mute = d->call({{"type", "mute_author"}, {"message_id", thread_a}, {"duration_s", 60}, {"reason", "test"}});
    EXPECT_TRUE(mute["ok"].get<bool>()) << mute.dump();
    EXPECT_EQ(d->call({{"type", "request_reveal"}, {"message_id", thread_a}, {"reason", "nieuwsgierig"}})["error"]["code"],
              "forbidden");
    // Reports, the queue, tombstones and the audit log as moderators see them.
    auto reported = m->call({{"type", "report"}, {"message_id", thread_a}, {"category", "privacy"},
                             {"reason", "staat een naam in"}});
    ASSERT_TRUE(reported["ok"].get<bool>()) << reported.dump();
    ASSERT_TRUE(m->call({{"type", "report"}, {"message_id", case_id}, {"reason", "dubbel"}})["ok"].get<bool>());
    ASSERT_TRUE(d->call({{"type", "claim_report"}, {"report_id", reported["result"]["report_id"]}})["ok"].get<bool>());
    ASSERT_TRUE(d->call({{"type", "hide_message"}, {"message_id", reply_b["message_id"]}, {"category", "privacy"},
                         {"reason", "adres"}})["ok"].get<bool>());
    // Moderation events the room sees: a pin (room_updated), a hide undone (message_unhidden), a
    // deletion (message_deleted). None of them may carry an author.
    ASSERT_TRUE(d->call({{"type", "pin_message"}, {"message_id", thread_a}})["ok"].get<bool>());
    ASSERT_TRUE(d->call({{"type", "unhide_message"}, {"message_id", reply_b["message_id"]}, {"reason", "onterecht"}})["ok"].get<bool>());
    ASSERT_TRUE(d->call({{"type", "hide_message"}, {"message_id", reply_b["message_id"]}, {"reason", "toch"}})["ok"].get<bool>());
    ASSERT_TRUE(d->call({{"type", "delete_message"}, {"message_id", reply_org["message_id"]}, {"reason", "naam"}})["ok"].get<bool>());

    // A member who was away resumes and gets everything replayed.
    std::string token;
    {
        TestClient first(server->port());
        first.call({{"type", "hello"}, {"versions", {1}}});
        token = first.call({{"type", "login"}, {"handle", member.handle}, {"password", kPassword}})["result"]["token"];
    }
    auto r = std::make_unique<TestClient>(server->port());
    r->call({{"type", "hello"}, {"versions", {1}}});
    ASSERT_TRUE(r->call({{"type", "resume"}, {"token", token}, {"last_seen", {{{"room_id", 1}, {"seq", seen_before_away}}}}})["ok"].get<bool>());

    // Lists and history, as each observer would ask.
    for (auto* c : {m.get(), g.get(), d.get(), r.get()}) {
        c->call({{"type", "list_rooms"}});
        c->call({{"type", "history"}, {"room_id", 1}, {"after", 0}, {"limit", 200}});
        c->call({{"type", "list_cases"}, {"room_id", 1}});
        c->call({{"type", "get_case"}, {"case_id", case_id}});
        c->call({{"type", "search"}, {"query", "cliënt"}});
        c->call({{"type", "search"}, {"query", "moratorium"}});
        c->call({{"type", "similar_cases"}, {"title", "schuldsanering beslag"}});
        c->call({{"type", "list_reports"}, {"room_id", 1}});
        c->call({{"type", "audit"}, {"room_id", 1}});
        c->call({{"type", "export_my_data"}});
        c->call({{"type", "list_sessions"}, {"room_id", 1}, {"include_ended", true}});
        c->call({{"type", "get_session"}, {"session_id", session}});
        c->next_event([](const json&) { return false; }, std::chrono::milliseconds(200));  // let events arrive
    }
    // The session ends: its summary and attendance, as the organiser (the moderator) sees them.
    ASSERT_TRUE(d->call({{"type", "control_session"}, {"session_id", session}, {"action", "end"}})["ok"].get<bool>());
    json summary = d->call({{"type", "get_summary"}, {"session_id", session}, {"case_id", case_id}});
    ASSERT_TRUE(summary["ok"].get<bool>()) << summary.dump();
    EXPECT_NE(summary["result"]["markdown"].get<std::string>().find("Toets de beslagvrije voet."), std::string::npos);
    json attendance = d->call({{"type", "session_attendance"}, {"session_id", session}});
    ASSERT_TRUE(attendance["ok"].get<bool>()) << attendance.dump();
    EXPECT_EQ(attendance["result"]["anonymous"], 2) << "both authors who hid their names: counted, not named";
    ASSERT_EQ(attendance["result"]["attendees"].size(), 1u) << attendance.dump();
    EXPECT_EQ(attendance["result"]["attendees"][0]["member"]["handle"], member.handle) << "who signed up by name";
    for (auto* c : {m.get(), g.get(), d.get(), r.get()}) {
        c->call({{"type", "list_sessions"}, {"room_id", 1}, {"include_ended", true}});
        c->next_event([](const json&) { return false; }, std::chrono::milliseconds(100));
    }
    bool resumed_saw_state = false;
    for (const auto& frame : r->all_frames()) resumed_saw_state = resumed_saw_state || frame.value("event", "") == "session_state";
    EXPECT_TRUE(resumed_saw_state) << "the resumed member is told of the running session";

    // The queue shows what was reported, never who reported it.
    json queue = d->call({{"type", "list_reports"}, {"room_id", 1}});
    ASSERT_EQ(queue["result"]["reports"].size(), 2u) << queue.dump();
    EXPECT_EQ(queue.dump().find("\"handle\":\"" + member.handle + "\""), std::string::npos) << queue.dump();
    EXPECT_EQ(queue.dump().find(member.name), std::string::npos);
    EXPECT_EQ(queue["result"]["reports"][1]["message"]["author"]["pseudonym"], "asker");
    EXPECT_EQ(queue["result"]["reports"][1]["message"]["body"], "Mijn cliënt loopt vast bij de schuldsanering.");
    EXPECT_EQ(m->call({{"type", "list_reports"}, {"room_id", 1}})["error"]["code"], "forbidden");
    json audit = d->call({{"type", "audit"}, {"room_id", 1}});
    ASSERT_TRUE(audit["ok"].get<bool>()) << audit.dump();
    EXPECT_GE(audit["result"]["entries"].size(), 3u) << "mute, claim, hide";

    const std::vector<std::string> anon_secrets = {anon.handle, anon.name, "Wijkteam Noord Geheim", "WNG",
                                                   "\"account_id\":" + std::to_string(anon.id)};
    const std::vector<std::string> org_secrets = {orgposter.handle, orgposter.name,
                                                  "\"account_id\":" + std::to_string(orgposter.id)};
    std::set<std::string> events_seen;
    for (const auto& frame : m->all_frames())
        if (frame.contains("event")) events_seen.insert(frame["event"].get<std::string>());
    for (const char* kind : {"message", "case_updated", "message_hidden", "room_updated", "message_unhidden", "message_deleted",
                             "session_updated"})
        EXPECT_TRUE(events_seen.count(kind)) << "the check below covers " << kind << " frames";
    int frames_checked = 0, authors_checked = 0;
    std::map<long long, std::string> pseudonyms;
    for (auto* c : {m.get(), g.get(), d.get(), r.get()}) {
        for (const auto& frame : c->all_frames()) {
            ++frames_checked;
            std::string text = frame.dump();
            for (const auto& secret : anon_secrets)
                EXPECT_EQ(text.find(secret), std::string::npos) << "'" << secret << "' leaked in " << text;
            for (const auto& secret : org_secrets)
                EXPECT_EQ(text.find(secret), std::string::npos) << "'" << secret << "' leaked in " << text;
            std::vector<std::pair<long long, json>> messages;
            collect_authors(frame, messages);
            for (const auto& [id, message] : messages) {
                if (!hidden_by_anon.count(id) && !hidden_by_org.count(id)) continue;
                ++authors_checked;
                EXPECT_FALSE(message.contains("own")) << message.dump();
                const json& author = message["author"];
                for (const char* key : {"account_id", "handle", "display_name"})
                    EXPECT_FALSE(author.contains(key)) << key << " in " << author.dump();
                if (author["level"] == "anonymous") {
                    EXPECT_FALSE(author.contains("organisation")) << author.dump();
                } else {
                    EXPECT_EQ(author["level"], "organisation");
                    EXPECT_EQ(author["organisation"]["code"], "SZA");
                }
                pseudonyms[id] = author["pseudonym"];
            }
        }
    }
    // Pseudonyms: stable per thread, and not linkable across threads.
    EXPECT_EQ(pseudonyms[thread_a], "asker");
    EXPECT_EQ(pseudonyms[reply_asker["message_id"]], "asker");
    EXPECT_EQ(pseudonyms[reply_org["message_id"]], "colleague 1");
    EXPECT_EQ(pseudonyms[thread_b], "asker");
    EXPECT_EQ(pseudonyms[reply_b["message_id"]], "colleague 1");
    EXPECT_EQ(pseudonyms[case_id], "asker");
    EXPECT_EQ(pseudonyms[case_reply["message_id"]], "colleague 1");
    EXPECT_GE(authors_checked, 40);
    std::cout << "anonymity: " << frames_checked << " frames and " << authors_checked
              << " hidden author objects checked across 4 observers (one resumed), 0 leaks expected\n";

    // The author's own connection sees its own posts as its own, with full identity.
    a->call({{"type", "history"}, {"room_id", 1}, {"after", 0}});
    int own_seen = 0;
    for (const auto& frame : a->all_frames()) {
        std::vector<std::pair<long long, json>> messages;
        collect_authors(frame, messages);
        for (const auto& [id, message] : messages)
            if (hidden_by_anon.count(id)) {
                EXPECT_EQ(message["author"]["handle"], anon.handle);
                EXPECT_TRUE(message.value("own", false));
                ++own_seen;
            }
    }
    EXPECT_GE(own_seen, 3);
}

TEST_F(IdentityE2E, MuteByPostReferenceAndFourEyesReveal) {
    auto a = join(anon);
    auto m = join(member);
    auto d = join(moderator);
    auto x = join(admin1);
    auto y = join(admin2);
    long long msg = post(*a, "Een anonieme vraag.", "anonymous")["message_id"];

    // Mute "the author of this message": the moderator learns nothing about who it is.
    auto mute = d->call({{"type", "mute_author"}, {"message_id", msg}, {"duration_s", 600}, {"reason", "spam"}});
    ASSERT_TRUE(mute["ok"].get<bool>()) << mute.dump();
    EXPECT_EQ(mute["result"].size(), 3u) << mute.dump();
    EXPECT_EQ(mute.dump().find(anon.handle), std::string::npos);
    auto refused = a->call({{"type", "post"}, {"room_id", 1}, {"body", "nog eens"}, {"level", "anonymous"}});
    EXPECT_EQ(refused["error"]["code"], "muted");
    EXPECT_GT(refused["error"]["retry_after_ms"].get<long long>(), 590'000);
    EXPECT_TRUE(m->call({{"type", "post"}, {"room_id", 1}, {"body", "ik mag wel"}})["ok"].get<bool>());
    EXPECT_EQ(m->call({{"type", "mute_author"}, {"message_id", msg}, {"duration_s", 60}, {"reason", "x"}})["error"]["code"],
              "forbidden");

    // Reveal: one admin cannot do it alone.
    auto asked = x->call({{"type", "request_reveal"}, {"message_id", msg}, {"reason", "dreiging tegen een cliënt"}});
    ASSERT_TRUE(asked["ok"].get<bool>()) << asked.dump();
    long long reveal = asked["result"]["reveal_id"];
    EXPECT_EQ(asked.dump().find(anon.handle), std::string::npos);
    EXPECT_EQ(x->call({{"type", "approve_reveal"}, {"reveal_id", reveal}})["error"]["code"], "four_eyes_required");
    EXPECT_EQ(d->call({{"type", "approve_reveal"}, {"reveal_id", reveal}})["error"]["code"], "forbidden");
    auto approved = y->call({{"type", "approve_reveal"}, {"reveal_id", reveal}});
    ASSERT_TRUE(approved["ok"].get<bool>()) << approved.dump();
    EXPECT_EQ(approved["result"]["identity"]["handle"], anon.handle);
    EXPECT_EQ(approved["result"]["identity"]["organisation"]["code"], "WNG");
    EXPECT_EQ(y->call({{"type", "approve_reveal"}, {"reveal_id", reveal}})["error"]["code"], "reveal_already_approved");

    // The asking admin is told; the author is told; nobody else hears of it.
    auto told = x->next_event([](const json& e) { return e["event"] == "reveal_approved"; });
    ASSERT_TRUE(told);
    EXPECT_EQ((*told)["identity"]["handle"], anon.handle);
    auto notified = a->next_event([](const json& e) { return e["event"] == "identity_revealed"; });
    ASSERT_TRUE(notified);
    EXPECT_EQ((*notified)["message_id"], msg);
    EXPECT_EQ((*notified)["reason"], "dreiging tegen een cliënt");
    for (auto* c : {m.get(), d.get()})
        for (const auto& f : c->all_frames()) EXPECT_EQ(f.dump().find(anon.handle), std::string::npos) << f.dump();

    // The audit log has who, when, which post and why, and names the message, not the author.
    auto audit = admin(db, {"audit"});
    EXPECT_NE(audit.find("\tmute\tmessage:" + std::to_string(msg)), std::string::npos) << audit;
    EXPECT_NE(audit.find("\treveal_requested\tmessage:" + std::to_string(msg) + "\tdreiging"), std::string::npos) << audit;
    EXPECT_NE(audit.find("\t" + std::to_string(admin2.id) + "\t-\treveal_approved\tmessage:" + std::to_string(msg)),
              std::string::npos) << audit;
    // Entries about posts never name their author (the operator's account_created line does).
    std::istringstream lines(audit);
    for (std::string line; std::getline(lines, line);) {
        if (line.find("message:") == std::string::npos) continue;
        EXPECT_EQ(line.find(anon.handle), std::string::npos) << line;
    }
}

TEST_F(IdentityE2E, HideAndBanByPostReferenceRevealNothing) {
    auto a = join(anon);
    auto m = join(member);
    auto d = join(moderator);
    long long msg = post(*a, "Iets wat hier niet hoort.", "anonymous")["message_id"];

    auto hidden = d->call({{"type", "hide_message"}, {"message_id", msg}, {"category", "privacy"},
                           {"reason", "naam en adres van de cliënt"}});
    ASSERT_TRUE(hidden["ok"].get<bool>()) << hidden.dump();
    auto tomb = m->next_event([](const json& e) { return e["event"] == "message_hidden"; });
    ASSERT_TRUE(tomb);
    EXPECT_EQ((*tomb)["message_id"], msg);
    auto seen_by_member = m->call({{"type", "history"}, {"room_id", 1}})["result"]["messages"][0];
    EXPECT_TRUE(seen_by_member["hidden"].get<bool>());
    EXPECT_EQ(seen_by_member["body"], "") << "others get a tombstone";
    EXPECT_EQ(seen_by_member["hidden_reason"], "privacy") << "others see the category, not the moderator's note";
    auto seen_by_author = a->call({{"type", "history"}, {"room_id", 1}})["result"]["messages"][0];
    EXPECT_EQ(seen_by_author["body"], "Iets wat hier niet hoort.") << "the author still reads it";
    EXPECT_EQ(m->call({{"type", "hide_message"}, {"message_id", msg}, {"reason", "x"}})["error"]["code"], "forbidden");

    auto ban = d->call({{"type", "ban_author"}, {"message_id", msg}, {"duration_s", 600}, {"reason", "herhaling"}});
    ASSERT_TRUE(ban["ok"].get<bool>()) << ban.dump();
    EXPECT_EQ(ban.dump().find(anon.handle), std::string::npos);
    auto removed = a->next_event([](const json& e) { return e["event"] == "removed_from_room"; });
    ASSERT_TRUE(removed) << "the banned author is told";
    EXPECT_EQ((*removed)["reason"], "herhaling");
    auto rejoin = a->call({{"type", "join"}, {"room_id", 1}});
    EXPECT_EQ(rejoin["error"]["code"], "banned");
    EXPECT_GT(rejoin["error"]["retry_after_ms"].get<long long>(), 590'000);
    EXPECT_EQ(a->call({{"type", "post"}, {"room_id", 1}, {"body", "toch"}})["error"]["code"], "not_member");

    // Nobody else learns who was banned: no member_left, no name anywhere.
    EXPECT_TRUE(m->call({{"type", "post"}, {"room_id", 1}, {"body", "verder"}})["ok"].get<bool>());
    for (auto* c : {m.get(), d.get()})
        for (const auto& f : c->all_frames()) {
            EXPECT_NE(f.value("event", ""), "member_left") << f.dump();
            EXPECT_EQ(f.dump().find(anon.handle), std::string::npos) << f.dump();
            EXPECT_EQ(f.dump().find(anon.name), std::string::npos) << f.dump();
        }
    auto audit = admin(db, {"audit"});
    EXPECT_NE(audit.find("\thide\tmessage:" + std::to_string(msg)), std::string::npos) << audit;
    EXPECT_NE(audit.find("\tban\tmessage:" + std::to_string(msg)), std::string::npos) << audit;
}

TEST_F(IdentityE2E, AnOfflineAuthorIsToldAtTheNextLoginAndAdminCommandsRevealToo) {
    long long msg = 0;
    {
        auto a = join(anon);
        msg = post(*a, "Nog een anonieme vraag.", "anonymous")["message_id"];
    }
    std::string id = std::to_string(msg);
    auto reveal = admin(db, {"request-reveal", "--as", admin1.handle, "--message", id, "--reason", "klacht"});
    std::string reveal_id = reveal.substr(0, reveal.find('\n'));
    EXPECT_THROW(admin(db, {"approve-reveal", "--as", admin1.handle, "--id", reveal_id}), std::runtime_error)
        << "four eyes: the same admin cannot approve";
    EXPECT_THROW(admin(db, {"approve-reveal", "--as", member.handle, "--id", reveal_id}), std::runtime_error);
    auto identity = admin(db, {"approve-reveal", "--as", admin2.handle, "--id", reveal_id});
    EXPECT_NE(identity.find(anon.handle + "\t" + anon.name), std::string::npos) << identity;

    TestClient again(server->port());
    again.call({{"type", "hello"}, {"versions", {1}}});
    auto login = again.call({{"type", "login"}, {"handle", anon.handle}, {"password", kPassword}});
    ASSERT_EQ(login["result"]["notices"].size(), 1u) << login.dump();
    EXPECT_EQ(login["result"]["notices"][0]["kind"], "identity_revealed");
    EXPECT_EQ(login["result"]["notices"][0]["message_id"], msg);
    TestClient third(server->port());
    third.call({{"type", "hello"}, {"versions", {1}}});
    auto later = third.call({{"type", "login"}, {"handle", anon.handle}, {"password", kPassword}});
    EXPECT_TRUE(later["result"]["notices"].empty()) << "told once";
}

TEST_F(IdentityE2E, RoomsCanForbidAnonymityLevels) {
    admin(db, {"add-room", "--name", "alleen-met-naam", "--levels", "named"});
    auto a = std::make_unique<TestClient>(server->port());
    a->login(anon.handle, kPassword);
    ASSERT_TRUE(a->call({{"type", "join"}, {"room_id", 2}})["ok"].get<bool>());
    auto refused = a->call({{"type", "post"}, {"room_id", 2}, {"body", "x"}, {"level", "anonymous"}});
    EXPECT_EQ(refused["error"]["code"], "level_not_allowed");
    EXPECT_EQ(a->call({{"type", "history"}, {"room_id", 2}})["result"]["messages"].size(), 0u);
    EXPECT_TRUE(a->call({{"type", "post"}, {"room_id", 2}, {"body", "x"}, {"level", "named"}})["ok"].get<bool>());
}

TEST_F(IdentityE2E, InviteFlowEndToEnd) {
    TestClient g(server->port());
    g.login(organiser.handle, kPassword);
    auto invite = g.call({{"type", "create_invite"}, {"max_uses", 1}, {"valid_hours", 1}});
    ASSERT_TRUE(invite["ok"].get<bool>()) << invite.dump();
    std::string code = invite["result"]["code"];
    EXPECT_EQ(g.call({{"type", "create_invite"}, {"organisation_id", 1}})["error"]["code"], "forbidden")
        << "organisers invite only for their own organisation";

    auto register_with = [&](const std::string& invite_code, const std::string& handle,
                             const std::string& password) {
        TestClient c(server->port());
        c.call({{"type", "hello"}, {"versions", {1}}});
        return c.call({{"type", "register"}, {"invite", invite_code}, {"handle", handle},
                       {"display_name", "Nieuwe Collega"}, {"password", password}});
    };
    EXPECT_EQ(register_with(code, "nieuw", "kort")["error"]["code"], "weak_password");
    auto ok = register_with(code, "nieuw", "een-goed-wachtwoord");
    ASSERT_TRUE(ok["ok"].get<bool>()) << ok.dump();
    EXPECT_EQ(ok["result"]["account"]["organisation"]["code"], "BTO") << "lands in the inviter's organisation";
    EXPECT_FALSE(ok["result"]["token"].get<std::string>().empty());
    EXPECT_EQ(register_with(code, "nog.een", "een-goed-wachtwoord")["error"]["code"], "invite_used_up");
    EXPECT_EQ(register_with("verzonnen-code", "nog.een", "een-goed-wachtwoord")["error"]["code"], "invite_invalid");

    // An expired code: made by the admin command, then its expiry moved into the past.
    auto line = admin(db, {"create-invite", "--org", "SZA", "--uses", "5"});
    std::string late_code = line.substr(line.find('\t') + 1);
    late_code = late_code.substr(0, late_code.find('\t'));
    sqlite3* raw = nullptr;
    sqlite3_open(db.c_str(), &raw);
    sqlite3_busy_timeout(raw, 5000);
    ASSERT_EQ(sqlite3_exec(raw, "UPDATE invites SET expires_ms = 1 WHERE organisation_id = 2", nullptr, nullptr, nullptr), SQLITE_OK);
    sqlite3_close(raw);
    EXPECT_EQ(register_with(late_code, "te.laat", "een-goed-wachtwoord")["error"]["code"], "invite_expired");

    // A member cannot invite; the terminal client registers with a fresh code.
    TestClient plain(server->port());
    plain.login(member.handle, kPassword);
    EXPECT_EQ(plain.call({{"type", "create_invite"}})["error"]["code"], "forbidden");
    std::string fresh = g.call({{"type", "create_invite"}})["result"]["code"];
    ChildProcess cli({VRAAGBAAK_CLIENT_BIN, "--url", server->url(), "--user", "via.client", "--register",
                      "--invite", fresh, "--name", "Via De Client", "--lang", "en"},
                     {"VRAAGBAAK_PASSWORD=nog-een-goed-wachtwoord"});
    cli.close_stdin();
    EXPECT_EQ(cli.wait(), 0) << cli.drain_stderr();
    EXPECT_TRUE(cli.read_until("registered and logged in as Via De Client (@via.client)"));
    EXPECT_NE(admin(db, {"list-users"}).find("via.client\tVia De Client\tBTO\tmember\tactive"), std::string::npos);
}

TEST_F(IdentityE2E, AdminCommandsManageAccounts) {
    EXPECT_NE(admin(db, {"set-role", "--handle", member.handle, "--role", "moderator"}).find("moderator"), std::string::npos);
    admin(db, {"disable-user", "--handle", member.handle});
    TestClient c(server->port());
    c.call({{"type", "hello"}, {"versions", {1}}});
    EXPECT_EQ(c.call({{"type", "login"}, {"handle", member.handle}, {"password", kPassword}})["error"]["code"],
              "bad_credentials");
    admin(db, {"enable-user", "--handle", member.handle});
    admin(db, {"reset-password", "--handle", member.handle, "--password-stdin"}, "een-nieuw-wachtwoord\n");
    EXPECT_EQ(c.call({{"type", "login"}, {"handle", member.handle}, {"password", kPassword}})["error"]["code"],
              "bad_credentials");
    auto login = c.call({{"type", "login"}, {"handle", member.handle}, {"password", "een-nieuw-wachtwoord"}});
    ASSERT_TRUE(login["ok"].get<bool>()) << login.dump();
    EXPECT_EQ(login["result"]["role"], "moderator");
    EXPECT_THROW(admin(db, {"reset-password", "--handle", member.handle, "--password-stdin"}, "kort\n"),
                 std::runtime_error) << "the password policy holds for admins too";
    auto audit = admin(db, {"audit"});
    for (const char* action : {"role_changed", "account_disabled", "account_enabled", "password_reset"})
        EXPECT_NE(audit.find(action), std::string::npos) << action;
}

}  // namespace
