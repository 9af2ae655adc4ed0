// End-to-end: vraagstukken as cases — lifecycle with several clients, permissions, lists,
// search with Dutch diacritics, "asked before?", and no identity leaking through any of it.

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include <nlohmann/json.hpp>

#include "support/child_process.hpp"
#include "support/server_process.hpp"
#include "support/temp_dir.hpp"
#include "support/test_client.hpp"

using namespace vraagbaak::test;
using nlohmann::json;

namespace {

const std::string kPassword = "een-lang-wachtwoord";

class CasesE2E : public ::testing::Test {
protected:
    void SetUp() override {
        admin(db, {"add-org", "--name", "Geheime Organisatie Vrager", "--code", "GOV"});
        admin(db, {"add-org", "--name", "Buurtteam Oost", "--code", "BTO"});
        for (auto [handle, name, org, role] :
             {std::tuple{"vrager", "Verborgen Vrager Naam", "GOV", "member"},
              std::tuple{"bert", "Bert Collega", "BTO", "member"}, std::tuple{"cora", "Cora Collega", "BTO", "member"},
              std::tuple{"mod", "Mo Derator", "BTO", "moderator"}, std::tuple{"buiten", "Buiten Staander", "BTO", "member"}}) {
            admin(db, {"add-user", "--handle", handle, "--name", name, "--org", org, "--role", role, "--password-stdin"},
                  kPassword + "\n");
        }
        admin(db, {"add-room", "--name", "casuistiek"});
        admin(db, {"add-room", "--name", "andere-kamer"});
        server = std::make_unique<ServerProcess>(db);
    }
    std::unique_ptr<TestClient> member(const std::string& handle) {
        auto c = std::make_unique<TestClient>(server->port());
        c->login(handle, kPassword);
        EXPECT_TRUE(c->call({{"type", "join"}, {"room_id", 1}})["ok"].get<bool>());
        return c;
    }
    static std::string code(const json& reply) { return reply_code(reply); }

    TempDir dir;
    std::string db = dir.file("cases.db");
    std::unique_ptr<ServerProcess> server;
};

TEST_F(CasesE2E, ACaseLivesFromQuestionToReflection) {
    auto asker = member("vrager");
    auto bert = member("bert");
    auto cora = member("cora");
    auto mod = member("mod");

    auto asked = asker->call({{"type", "ask"}, {"room_id", 1}, {"title", "Huurachterstand en beslag"},
                              {"body", "Mijn cliënt heeft drie maanden huurachterstand; de verhuurder dreigt."},
                              {"tags", {"wonen", "schulden"}}, {"level", "anonymous"}});
    ASSERT_EQ(code(asked), "ok") << asked.dump();
    long long id = asked["result"]["case"]["id"];
    EXPECT_EQ(asked["result"]["case"]["status"], "open");
    EXPECT_TRUE(asked["result"]["case"]["mine"].get<bool>());
    auto opened = bert->next_event([](const json& e) { return e["event"] == "case_updated"; });
    ASSERT_TRUE(opened);
    EXPECT_EQ((*opened)["case"]["title"], "Huurachterstand en beslag");
    EXPECT_FALSE((*opened)["case"].contains("mine"));
    EXPECT_EQ(code(asker->call({{"type", "ask"}, {"room_id", 1}, {"title", "t"}, {"body", "b"}, {"tags", {"ruimtevaart"}}})),
              "invalid_field") << "tags come from the configured list";

    // Replies of every kind.
    std::map<std::string, long long> reply_ids;
    for (auto [who, kind] : {std::pair{bert.get(), "question"}, std::pair{cora.get(), "idea"},
                             std::pair{bert.get(), "advice"}, std::pair{cora.get(), "experience"}}) {
        auto r = who->call({{"type", "post"}, {"room_id", 1}, {"thread_id", id}, {"body", std::string("een ") + kind},
                            {"kind", kind}});
        ASSERT_EQ(code(r), "ok") << r.dump();
        reply_ids[kind] = r["result"]["message_id"];
    }
    auto answer = asker->next_event([](const json& e) { return e["event"] == "case_updated" && e["case"]["status"] == "answered"; });
    ASSERT_TRUE(answer) << "the first reply by someone else answers the case";
    EXPECT_TRUE((*answer)["case"]["mine"].get<bool>());
    auto plain = asker->call({{"type", "post"}, {"room_id", 1}, {"thread_id", id}, {"body", "dank"}});
    EXPECT_EQ(code(plain), "ok");
    EXPECT_EQ(code(bert->call({{"type", "post"}, {"room_id", 1}, {"body", "los"}, {"kind", "advice"}})), "invalid_field")
        << "kinds belong to case replies";

    // Helpful, close and reopen belong to the asker (reopen also to moderators).
    EXPECT_EQ(code(bert->call({{"type", "mark_helpful"}, {"message_id", reply_ids["advice"]}})), "forbidden");
    EXPECT_EQ(code(asker->call({{"type", "mark_helpful"}, {"message_id", reply_ids["advice"]}})), "ok");
    EXPECT_TRUE(cora->next_event([](const json& e) { return e["event"] == "helpful_marked"; }));
    EXPECT_EQ(code(bert->call({{"type", "close_case"}, {"case_id", id}, {"outcome", "x"}, {"reflection", "y"}})), "forbidden");
    auto closed = asker->call({{"type", "close_case"}, {"case_id", id}, {"outcome", "betalingsregeling getroffen"},
                               {"reflection", "de vraag naar de verhuurder hielp; ik bel eerder"}});
    ASSERT_EQ(code(closed), "ok") << closed.dump();
    EXPECT_EQ(closed["result"]["case"]["status"], "closed");
    EXPECT_EQ(code(cora->call({{"type", "post"}, {"room_id", 1}, {"thread_id", id}, {"body", "nog iets"}})), "case_closed");
    auto readable = cora->call({{"type", "get_case"}, {"case_id", id}});
    ASSERT_EQ(code(readable), "ok") << "closed cases stay readable";
    EXPECT_EQ(readable["result"]["case"]["reflection"], "de vraag naar de verhuurder hielp; ik bel eerder");
    auto messages = readable["result"]["messages"];
    ASSERT_EQ(messages.size(), 6u);
    EXPECT_EQ(messages[0]["author"]["pseudonym"], "asker");
    EXPECT_EQ(messages[1]["kind"], "question");
    EXPECT_EQ(messages[5]["kind"], "comment");
    bool helpful_seen = false;
    for (const auto& m : messages) helpful_seen = helpful_seen || (m.value("helpful", false) && m["id"] == reply_ids["advice"]);
    EXPECT_TRUE(helpful_seen);
    EXPECT_EQ(code(bert->call({{"type", "reopen_case"}, {"case_id", id}})), "forbidden");
    auto reopened = mod->call({{"type", "reopen_case"}, {"case_id", id}});
    EXPECT_EQ(reopened["result"]["case"]["status"], "answered");

    // Outsiders (not in the room) see nothing of it.
    TestClient outsider(server->port());
    outsider.login("buiten", kPassword);
    EXPECT_EQ(code(outsider.call({{"type", "get_case"}, {"case_id", id}})), "case_not_found");
    EXPECT_EQ(code(outsider.call({{"type", "list_cases"}, {"room_id", 1}})), "not_member");
    EXPECT_TRUE(outsider.call({{"type", "search"}, {"query", "huurachterstand"}})["result"]["hits"].empty());
}

TEST_F(CasesE2E, ListsSearchAndAskedBefore) {
    auto asker = member("vrager");
    auto bert = member("bert");
    auto ask = [&](TestClient& c, const std::string& title, const std::string& body, const std::string& tag,
                   const std::string& level) {
        auto r = c.call({{"type", "ask"}, {"room_id", 1}, {"title", title}, {"body", body}, {"tags", {tag}}, {"level", level}});
        EXPECT_EQ(code(r), "ok") << r.dump();
        return r["result"]["case"]["id"].get<long long>();
    };
    long long zorg = ask(*asker, "Ouderenzorg en eigen bijdrage", "De cliënt is niet geïnformeerd over de eigen bijdrage.",
                         "zorg en gezondheid", "anonymous");
    long long werk = ask(*bert, "Re-integratie loopt vast", "Werkgever stopt met proefplaatsing.", "werk en inkomen", "named");
    // Activity is kept in milliseconds: the reply must come in a later one than the second case
    // for "activity" to order them (the server answers well within one).
    std::this_thread::sleep_for(std::chrono::milliseconds(3));
    bert->call({{"type", "post"}, {"room_id", 1}, {"thread_id", zorg}, {"body", "Vraag het CAK."}, {"kind", "advice"}});

    auto list = [&](json extra) {
        json req = {{"type", "list_cases"}, {"room_id", 1}};
        if (extra.is_object()) req.update(extra);
        std::vector<long long> ids;
        auto reply = asker->call(req);
        EXPECT_EQ(code(reply), "ok") << reply.dump();
        for (const auto& c : reply["result"]["cases"]) ids.push_back(c["id"]);
        return ids;
    };
    EXPECT_EQ(list(json::object()), (std::vector{werk, zorg}));
    EXPECT_EQ(list({{"sort", "activity"}}), (std::vector{zorg, werk}));
    EXPECT_EQ(list({{"tag", "werk en inkomen"}}), (std::vector{werk}));
    EXPECT_EQ(list({{"mine", true}}), (std::vector{zorg}));
    EXPECT_EQ(list({{"unanswered", true}}), (std::vector{werk}));
    EXPECT_EQ(list({{"status", "answered"}}), (std::vector{zorg}));
    auto page = asker->call({{"type", "list_cases"}, {"room_id", 1}, {"limit", 1}})["result"];
    EXPECT_TRUE(page["has_more"].get<bool>());

    // Case and diacritics are folded; results are ranked and carry snippets.
    auto search = [&](const std::string& q) { return bert->call({{"type", "search"}, {"query", q}})["result"]["hits"]; };
    auto hits = search("ouderenzorg");
    ASSERT_EQ(hits.size(), 1u);
    EXPECT_EQ(hits[0]["case_id"], zorg);
    EXPECT_EQ(hits[0]["case_title"], "Ouderenzorg en eigen bijdrage");
    hits = search("geinformeerd");
    ASSERT_EQ(hits.size(), 1u) << "'geinformeerd' finds 'geïnformeerd'";
    EXPECT_NE(hits[0]["snippet"].get<std::string>().find("[geïnformeerd]"), std::string::npos) << hits[0].dump();
    EXPECT_EQ(search("CAK").size(), 1u);
    EXPECT_TRUE(search("NEAR(\"x\" OR *").empty()) << "query syntax in user text is just words";
    // An anonymous asker stays anonymous in search results.
    for (const auto& h : search("bijdrage")) {
        EXPECT_FALSE(h["message"]["author"].contains("handle")) << h.dump();
        EXPECT_EQ(h.dump().find("Verborgen Vrager"), std::string::npos);
        EXPECT_EQ(h.dump().find("GOV"), std::string::npos);
    }

    // "Asked before?" while drafting.
    auto similar = bert->call({{"type", "similar_cases"}, {"room_id", 1}, {"title", "Eigen bijdrage ouderenzorg"},
                               {"body", "cliënt weet niets van de bijdrage"}});
    ASSERT_GE(similar["result"]["cases"].size(), 1u);
    EXPECT_EQ(similar["result"]["cases"][0]["id"], zorg);
    EXPECT_EQ(similar["result"]["cases"][0]["asker_level"], "anonymous");
}

TEST_F(CasesE2E, UnreadCountsAndNotificationsLiveAndOnTheNextSignIn) {
    auto asker = member("vrager");
    auto bert = member("bert");
    long long id = asker->call({{"type", "ask"}, {"room_id", 1}, {"title", "Vraag"}, {"body", "Wie weet het?"},
                                {"tags", {"wonen"}}})["result"]["case"]["id"];
    // Online: a reply in my case and a mention reach me at once.
    bert->call({{"type", "post"}, {"room_id", 1}, {"thread_id", id}, {"body", "Ik denk mee."}, {"kind", "idea"}});
    auto reply = asker->next_event([](const json& e) { return e["event"] == "notification"; });
    ASSERT_TRUE(reply);
    EXPECT_EQ((*reply)["kind"], "case_reply");
    EXPECT_EQ((*reply)["case_id"], id);
    bert->call({{"type", "post"}, {"room_id", 1}, {"body", "@vrager kijk even naar de regeling."}});
    auto mention = asker->next_event([](const json& e) { return e["event"] == "notification"; });
    ASSERT_TRUE(mention);
    EXPECT_EQ((*mention)["kind"], "mention");

    // Offline: the same things wait for the next sign-in. Logging out makes "offline" certain; a
    // closed socket is forgotten by the server a moment later, asynchronously.
    ASSERT_EQ(code(asker->call({{"type", "logout"}})), "ok");
    asker.reset();
    bert->call({{"type", "post"}, {"room_id", 1}, {"thread_id", id}, {"body", "Nog een idee."}, {"kind", "idea"}});
    bert->call({{"type", "post"}, {"room_id", 1}, {"body", "@vrager en @bert en @niemand."}});
    TestClient back(server->port());
    back.call({{"type", "hello"}, {"versions", {1}}});
    auto login = back.call({{"type", "login"}, {"handle", "vrager"}, {"password", kPassword}});
    auto notices = login["result"]["notices"];
    ASSERT_EQ(notices.size(), 2u) << login.dump();
    EXPECT_EQ(notices[0]["kind"], "case_reply");
    EXPECT_EQ(notices[1]["kind"], "mention");

    // Unread: per room and per case, until marked read.
    auto room_one = [&] {
        json listed = back.call({{"type", "list_rooms"}});  // kept alive while iterated
        for (const auto& room : listed["result"]["rooms"])
            if (room["id"] == 1) return room;
        return json();
    };
    long long last_seq = room_one()["last_seq"];
    EXPECT_EQ(last_seq, 9) << "2 joins, 5 messages and 2 case updates share the room's sequence";
    EXPECT_EQ(room_one()["unread"], 4) << "bert's four messages; one's own and the events are not unread";
    auto cases = back.call({{"type", "list_cases"}, {"room_id", 1}})["result"]["cases"];
    EXPECT_EQ(cases[0]["unread"], 2) << "the two replies; the asker wrote the first message";
    auto marked = back.call({{"type", "mark_read"}, {"room_id", 1}, {"seq", last_seq}});
    EXPECT_EQ(marked["result"]["unread"], 0);
    EXPECT_EQ(back.call({{"type", "mark_read"}, {"room_id", 1}, {"seq", 1}})["result"]["read_seq"], last_seq)
        << "markers only move forward";
    EXPECT_FALSE(back.call({{"type", "list_cases"}, {"room_id", 1}})["result"]["cases"][0].contains("unread"));
    back.call({{"type", "post"}, {"room_id", 1}, {"body", "mijn eigen bericht"}});
    EXPECT_EQ(room_one()["unread"], 0) << "one's own post is not news";
}

TEST_F(CasesE2E, EveryCaseEventIsSequencedAndReplayedOnResume) {
    auto asker = member("vrager");
    auto cora = member("cora");
    auto mod = member("mod");
    // Bert reads along, then drops off; his cursor is the room's last seq.
    std::string token;
    long long cursor = 0;
    {
        TestClient bert(server->port());
        bert.call({{"type", "hello"}, {"versions", {1}}});
        token = bert.call({{"type", "login"}, {"handle", "bert"}, {"password", kPassword}})["result"]["token"];
        json joined = bert.call({{"type", "join"}, {"room_id", 1}});
        cursor = joined["result"]["room"]["last_seq"];
    }
    long long id = asker->call({{"type", "ask"}, {"room_id", 1}, {"title", "Beslag"}, {"body", "Wat nu?"},
                                {"tags", {"schulden"}}, {"level", "anonymous"}})["result"]["case"]["id"];
    long long advice = cora->call({{"type", "post"}, {"room_id", 1}, {"thread_id", id}, {"body", "Bel de deurwaarder."},
                                   {"kind", "advice"}})["result"]["message_id"];
    ASSERT_EQ(code(asker->call({{"type", "mark_helpful"}, {"message_id", advice}, {"helpful", true}})), "ok");
    ASSERT_EQ(code(mod->call({{"type", "hide_message"}, {"message_id", advice}, {"reason", "naam van de cliënt"}})), "ok");
    ASSERT_EQ(code(asker->call({{"type", "close_case"}, {"case_id", id}, {"outcome", "regeling"}, {"reflection", "bellen"}})), "ok");

    TestClient back(server->port());
    back.call({{"type", "hello"}, {"versions", {1}}});
    ASSERT_EQ(code(back.call({{"type", "resume"}, {"token", token}, {"last_seen", {{{"room_id", 1}, {"seq", cursor}}}}})), "ok");
    std::vector<std::string> kinds;
    std::vector<long long> seqs;
    while (kinds.size() < 7) {
        auto e = back.next_event([](const json&) { return true; }, 5s);
        ASSERT_TRUE(e) << "replayed only " << kinds.size();
        std::string kind = (*e)["event"];
        if (kind == "case_updated") {
            kind += ":" + (*e)["case"]["status"].get<std::string>();
            EXPECT_FALSE((*e)["case"].contains("mine")) << "bert did not ask";
        }
        EXPECT_EQ(e->dump().find("Verborgen"), std::string::npos) << "the anonymous asker stays hidden: " << e->dump();
        kinds.push_back(kind);
        seqs.push_back(kind == "message" ? (*e)["message"]["seq"] : (*e)["seq"]);
    }
    EXPECT_EQ(kinds, (std::vector<std::string>{"message", "case_updated:open", "message", "case_updated:answered",
                                               "helpful_marked", "message_hidden", "case_updated:closed"}));
    for (std::size_t i = 0; i < seqs.size(); ++i) EXPECT_EQ(seqs[i], cursor + 1 + static_cast<long long>(i));
    EXPECT_FALSE(back.next_event([](const json&) { return true; }, 300ms)) << "nothing more, nothing twice";
}

TEST_F(CasesE2E, AReopenedCaseIsOpenAgainUnlessSomeoneElseHadAnswered) {
    auto asker = member("vrager");
    long long id = asker->call({{"type", "ask"}, {"room_id", 1}, {"title", "Alleen ik"}, {"body", "Vraag"},
                                {"tags", {"wonen"}}})["result"]["case"]["id"];
    asker->call({{"type", "post"}, {"room_id", 1}, {"thread_id", id}, {"body", "Aanvulling"}});
    asker->call({{"type", "close_case"}, {"case_id", id}, {"outcome", "zelf opgelost"}, {"reflection", "-"}});
    auto reopened = asker->call({{"type", "reopen_case"}, {"case_id", id}});
    EXPECT_EQ(reopened["result"]["case"]["status"], "open") << "the asker's own comment is no answer";
}

TEST_F(CasesE2E, CaseTagsAreConfigurable) {
    server->stop();
    server = std::make_unique<ServerProcess>(db, std::vector<std::string>{"--case-tags", "armoede, inburgering"});
    TestClient c(server->port());
    auto hello = c.call({{"type", "hello"}, {"versions", {1}}});
    EXPECT_EQ(hello["result"]["limits"]["tags"], json({"armoede", "inburgering"}));
    c.call({{"type", "login"}, {"handle", "vrager"}, {"password", kPassword}});
    c.call({{"type", "join"}, {"room_id", 1}});
    EXPECT_EQ(code(c.call({{"type", "ask"}, {"room_id", 1}, {"title", "t"}, {"body", "b"}, {"tags", {"wonen"}}})),
              "invalid_field");
    EXPECT_EQ(code(c.call({{"type", "ask"}, {"room_id", 1}, {"title", "t"}, {"body", "b"}, {"tags", {"inburgering"}}})),
              "ok");
}

TEST_F(CasesE2E, TheTerminalClientAsksRepliesClosesAndSearches) {
    auto run = [&](const std::string& user, const std::string& script) {
        ChildProcess cli({VRAAGBAAK_CLIENT_BIN, "--url", server->url(), "--user", user, "--lang", "en"},
                         {"VRAAGBAAK_PASSWORD=" + kPassword});
        cli.write(script);
        cli.close_stdin();
        EXPECT_EQ(cli.wait(20s), 0) << cli.drain_stderr();
        std::string out;
        while (auto line = cli.read_line(1s)) out += *line + "\n";
        return out;
    };
    auto asked = run("vrager",
                     "/join casuistiek\n/level anonymous\n/ask Beslag op de zorgtoeslag\nschulden, regels en beleid\n"
                     "Mijn cliënt heeft beslag op de zorgtoeslag.\nKan dat zomaar?\n.\ny\n/cases\n");
    EXPECT_NE(asked.find("case 1 opened in casuistiek"), std::string::npos) << asked;
    EXPECT_NE(asked.find("[you, shown as the asker]"), std::string::npos) << asked;
    EXPECT_NE(asked.find("case 1 [open] Beslag op de zorgtoeslag (regels en beleid, schulden) — 0 replies\n"),
              std::string::npos) << "one's own case is not unread: " << asked;

    auto replied = run("bert", "/join casuistiek\n/cases unanswered\n/advice 1 Vraag een berekening van de beslagvrije voet.\n"
                               "/search zorgtoeslag\n/ask Toeslagen\nschulden\nBeslag op de toeslag?\n.\nn\n");
    EXPECT_NE(replied.find("[advice]: Vraag een berekening"), std::string::npos) << replied;
    EXPECT_NE(replied.find("\"Beslag op de zorgtoeslag\": Mijn cliënt heeft beslag op de [zorgtoeslag]"), std::string::npos)
        << replied;
    EXPECT_NE(replied.find("asked before? similar cases:\n  case 1"), std::string::npos) << replied;
    EXPECT_NE(replied.find("not sent"), std::string::npos) << replied;
    EXPECT_EQ(replied.find("Verborgen Vrager"), std::string::npos) << "the asker stays anonymous: " << replied;

    auto closed = run("vrager", "/helpful 2\n/close 1 beslagvrije voet hersteld | de berekening vragen hielp\n/case 1\n");
    EXPECT_NE(closed.find("while you were away: 1 replies in your cases, 0 mentions"), std::string::npos) << closed;
    EXPECT_NE(closed.find("case 1 [closed]"), std::string::npos) << closed;
    EXPECT_NE(closed.find("outcome: beslagvrije voet hersteld — reflection: de berekening vragen hielp"), std::string::npos)
        << closed;
    EXPECT_NE(closed.find("[advice] ★"), std::string::npos) << closed;
}

}  // namespace
