// End-to-end: the privacy guard through the real server — block, redact and warn, and nothing of
// refused text in the database files or the logs afterwards.

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
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

std::string code(const json& reply) { return reply_code(reply); }

class PrivacyE2E : public ::testing::Test {
protected:
    void SetUp() override {
        admin(db, {"add-org", "--name", "Buurtteam Oost", "--code", "BTO"});
        for (const char* h : {"eigenaar", "lid"})
            admin(db, {"add-user", "--handle", h, "--name", std::string("Naam ") + h, "--org", "BTO", "--password-stdin"},
                  kPassword + "\n");
        server = std::make_unique<ServerProcess>(db, std::vector<std::string>{"--log-level", "debug"});
        owner = signed_in("eigenaar");
        room = owner->call({{"type", "create_room"}, {"name", "casuistiek"}})["result"]["room"]["id"];
        member = signed_in("lid");
        member->call({{"type", "join"}, {"room_id", room}});
    }
    std::unique_ptr<TestClient> signed_in(const std::string& handle) {
        auto c = std::make_unique<TestClient>(server->port());
        c->login(handle, kPassword);
        return c;
    }
    json post(const std::string& body) { return member->call({{"type", "post"}, {"room_id", room}, {"body", body}}); }
    void set_mode(const std::string& mode) {
        ASSERT_EQ(code(owner->call({{"type", "update_room"}, {"room_id", room}, {"privacy_mode", mode}})), "ok");
    }
    // Every byte of the database files (main, WAL, shared memory) and what the server logged.
    std::string everything_stored() {
        std::string all;
        for (const auto& path : {db, db + "-wal", db + "-shm"}) {
            std::ifstream in(path, std::ios::binary);
            all.append(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
        }
        return all + server->process().drain_stderr();
    }

    TempDir dir;
    std::string db = dir.file("privacy.db");
    std::unique_ptr<ServerProcess> server;
    std::unique_ptr<TestClient> owner, member;
    long long room = 0;
};

TEST_F(PrivacyE2E, BlockIsTheDefaultAndLeavesNoTrace) {
    json refused = post("Mevrouw KANARIE-BLOK-7731 is bereikbaar op 06-12345678 en via j.jansen@gmail.com.");
    ASSERT_EQ(code(refused), "personal_data") << refused.dump();
    const auto& findings = refused["error"]["findings"];
    ASSERT_EQ(findings.size(), 2u);
    EXPECT_EQ(findings[0], json({{"field", "body"}, {"kind", "phone"}, {"start", 43}, {"end", 54}}));
    EXPECT_EQ(findings[1]["kind"], "email");
    EXPECT_EQ(refused["error"].dump().find("06-12345678"), std::string::npos) << "the error names no data";

    json ask = member->call({{"type", "ask"}, {"room_id", room}, {"title", "Zoon geboren 12-03-1990"},
                             {"body", "KANARIE-BLOK-7731"}, {"tags", {"jeugd en gezin"}}});
    ASSERT_EQ(code(ask), "personal_data");
    EXPECT_EQ(ask["error"]["findings"][0]["field"], "title");
    EXPECT_EQ(ask["error"]["findings"][0]["kind"], "birth_date");
    EXPECT_EQ(member->call({{"type", "history"}, {"room_id", room}})["result"]["messages"].size(), 0u);

    // The guard stands before the database: no byte of the refused text reached a file or a log.
    EXPECT_EQ(server->stop(), 0);
    EXPECT_EQ(everything_stored().find("KANARIE-BLOK-7731"), std::string::npos);
}

TEST_F(PrivacyE2E, RedactStoresMarkersInsteadOfTheData) {
    set_mode("redact");
    json redacted = post("Bel haar op 06-12345678 of mail naar fam.bakker@ziggo.nl, IBAN NL91ABNA0417164300.");
    ASSERT_EQ(code(redacted), "ok") << redacted.dump();
    EXPECT_TRUE(redacted["result"]["redacted"].get<bool>());
    EXPECT_EQ(redacted["result"]["findings"].size(), 3u);
    json history = member->call({{"type", "history"}, {"room_id", room}});
    EXPECT_EQ(history["result"]["messages"][0]["body"], "Bel haar op [TELEFOON] of mail naar [E-MAIL], IBAN [IBAN].");
    json bsn = post("Haar BSN is 123456782.");
    EXPECT_EQ(code(bsn), "personal_data") << "a BSN is refused even when redacting";
    EXPECT_EQ(server->stop(), 0);
    const std::string stored = everything_stored();
    for (const char* data : {"06-12345678", "fam.bakker@ziggo.nl", "NL91ABNA0417164300", "123456782"})
        EXPECT_EQ(stored.find(data), std::string::npos) << data;
}

TEST_F(PrivacyE2E, WarnStoresAndTellsTheAuthorButNeverABsn) {
    set_mode("warn");
    json warned = post("Het gezin woont op 1234 AB 56.");
    ASSERT_EQ(code(warned), "ok") << warned.dump();
    EXPECT_FALSE(warned["result"].contains("redacted"));
    ASSERT_EQ(warned["result"]["findings"].size(), 1u);
    EXPECT_EQ(warned["result"]["findings"][0]["kind"], "postcode");
    json history = member->call({{"type", "history"}, {"room_id", room}});
    EXPECT_EQ(history["result"]["messages"][0]["body"], "Het gezin woont op 1234 AB 56.");
    json bsn = post("BSN 1234.56.782 staat op de brief.");
    ASSERT_EQ(code(bsn), "personal_data");
    EXPECT_EQ(bsn["error"]["findings"][0]["kind"], "bsn");
    EXPECT_EQ(code(member->call({{"type", "update_room"}, {"room_id", room}, {"privacy_mode", "block"}})), "forbidden")
        << "only owners change the privacy mode";
}

TEST_F(PrivacyE2E, ASessionSummaryLeavesTheRoomRedactedEvenFromAWarnRoom) {
    set_mode("warn");
    auto asked = member->call({{"type", "ask"}, {"room_id", room}, {"title", "Bereikbaarheid"},
                               {"body", "Hoe bereik ik deze cliënt?"}, {"tags", {"wonen"}}});
    const long long kase = asked["result"]["case"]["id"];
    auto session = owner->call({{"type", "schedule_session"}, {"room_id", room}, {"title", "Kort overleg"},
                                {"starts_ms", 4102444800000LL}, {"method", "quick_consult"}, {"case_ids", {kase}}});
    const long long id = session["result"]["session"]["id"];
    ASSERT_EQ(code(owner->call({{"type", "control_session"}, {"session_id", id}, {"action", "start"}})), "ok");
    json warned = member->call({{"type", "post"}, {"room_id", room}, {"thread_id", kase}, {"kind", "comment"},
                                {"body", "Haar nummer is 06-12345678, bel na vijven."}});
    ASSERT_EQ(code(warned), "ok") << warned.dump();
    ASSERT_EQ(warned["result"]["findings"].size(), 1u) << "the room let it through with a warning";
    ASSERT_EQ(code(owner->call({{"type", "control_session"}, {"session_id", id}, {"action", "end"}})), "ok");
    json summary = member->call({{"type", "get_summary"}, {"session_id", id}, {"case_id", kase}});
    ASSERT_EQ(code(summary), "ok") << summary.dump();
    const std::string md = summary["result"]["markdown"];
    EXPECT_EQ(md.find("06-12345678"), std::string::npos) << md;
    EXPECT_NE(md.find("Haar nummer is [TELEFOON], bel na vijven."), std::string::npos) << md;
}

TEST_F(PrivacyE2E, TheTerminalClientShowsWhereTheDataIs) {
    ChildProcess client({VRAAGBAAK_CLIENT_BIN, "--url", server->url(), "--user", "lid", "--lang", "nl"},
                        {"VRAAGBAAK_PASSWORD=" + kPassword});
    client.write("/join casuistiek\nBel mevrouw op 06-12345678 morgen.\nBel mevrouw morgen.\n");
    client.close_stdin();
    ASSERT_EQ(client.wait(), 0) << client.drain_stderr();
    std::string out;
    while (auto line = client.read_line(1s)) out += *line + "\n";
    EXPECT_NE(out.find("niet verstuurd"), std::string::npos) << out;
    EXPECT_NE(out.find("telefoonnummer (16\u201326)"), std::string::npos) << out;
    EXPECT_NE(out.find("Bel mevrouw op \u00bb06-12345678\u00ab morgen."), std::string::npos) << out;
    EXPECT_NE(out.find("geplaatst in casuistiek"), std::string::npos) << "the corrected text went through: " << out;
    json history = member->call({{"type", "history"}, {"room_id", room}});
    ASSERT_EQ(history["result"]["messages"].size(), 1u);
    EXPECT_EQ(history["result"]["messages"][0]["body"], "Bel mevrouw morgen.");
}

class RetentionE2E : public PrivacyE2E {
protected:
    void SetUp() override {
        PrivacyE2E::SetUp();
        // Restart with a retention job that runs every second.
        member.reset();
        owner.reset();
        EXPECT_EQ(server->stop(), 0);
        server = std::make_unique<ServerProcess>(db, std::vector<std::string>{"--retention-interval-s", "1"});
        owner = signed_in("eigenaar");
        member = signed_in("lid");
    }
};

TEST_F(RetentionE2E, ClosedCasesPastRetentionLeaveNoTraceOthersStay) {
    ASSERT_EQ(code(owner->call({{"type", "update_room"}, {"room_id", room}, {"retention_days", 0}})), "ok");
    auto ask = [&](const std::string& canary) {
        return member->call({{"type", "ask"}, {"room_id", room}, {"title", "Vraag " + canary},
                             {"body", "Tekst met " + canary}, {"tags", {"wonen"}}})["result"]["case"]["id"].get<long long>();
    };
    const long long closed = ask("KANARIE-WEG-4471");
    const long long open = ask("KANARIE-BLIJFT-8812");
    ASSERT_EQ(code(owner->call({{"type", "post"}, {"room_id", room}, {"thread_id", closed},
                                {"body", "Antwoord KANARIE-ANTWOORD-3390"}, {"kind", "advice"}})), "ok");
    // A session on the case leaves a summary; it goes with the case.
    auto session = owner->call({{"type", "schedule_session"}, {"room_id", room}, {"title", "Overleg"},
                                {"starts_ms", 4102444800000LL}, {"method", "quick_consult"}, {"case_ids", {closed}}});
    const long long session_id = session["result"]["session"]["id"];
    ASSERT_EQ(code(owner->call({{"type", "control_session"}, {"session_id", session_id}, {"action", "start"}})), "ok");
    ASSERT_EQ(code(owner->call({{"type", "post"}, {"room_id", room}, {"thread_id", closed},
                                {"body", "Vraag KANARIE-SESSIE-7781"}, {"kind", "question"}})), "ok");
    ASSERT_EQ(code(owner->call({{"type", "control_session"}, {"session_id", session_id}, {"action", "end"}})), "ok");
    json summary = member->call({{"type", "get_summary"}, {"session_id", session_id}, {"case_id", closed}});
    ASSERT_EQ(code(summary), "ok") << summary.dump();
    EXPECT_NE(summary["result"]["markdown"].get<std::string>().find("KANARIE-SESSIE-7781"), std::string::npos);
    ASSERT_EQ(code(member->call({{"type", "close_case"}, {"case_id", closed}, {"outcome", "opgelost"},
                                 {"reflection", "goed gesprek"}})), "ok");
    bool gone = false;
    for (int i = 0; i < 50 && !gone; ++i) {
        std::this_thread::sleep_for(100ms);
        gone = code(member->call({{"type", "get_case"}, {"case_id", closed}})) == "case_not_found";
    }
    ASSERT_TRUE(gone) << "the retention job deleted the closed case";
    EXPECT_EQ(code(member->call({{"type", "get_case"}, {"case_id", open}})), "ok") << "open cases stay";
    EXPECT_TRUE(member->call({{"type", "search"}, {"query", "KANARIE-WEG-4471"}})["result"]["hits"].empty());
    EXPECT_EQ(code(member->call({{"type", "get_summary"}, {"session_id", session_id}, {"case_id", closed}})),
              "case_not_found") << "the summary went with its case";
    member.reset();
    owner.reset();
    EXPECT_EQ(server->stop(), 0);
    const std::string stored = everything_stored();
    for (const char* canary : {"KANARIE-WEG-4471", "KANARIE-ANTWOORD-3390", "KANARIE-SESSIE-7781"})
        EXPECT_EQ(stored.find(canary), std::string::npos) << canary << " is still in a database file";
    EXPECT_NE(stored.find("KANARIE-BLIJFT-8812"), std::string::npos) << "control: the search sees what is stored";
    EXPECT_NE(admin(db, {"audit"}).find("\tcases_purged\tretention\t1 cases"), std::string::npos);
}

TEST_F(PrivacyE2E, ExportHasEverythingOfMineAndErasureLeavesNoIdentity) {
    admin(db, {"add-user", "--handle", "kanarie.wis", "--name", "KANARIE-NAAM-9913", "--org", "BTO", "--password-stdin"},
          kPassword + "\n");
    auto gone = signed_in("kanarie.wis");
    ASSERT_EQ(code(gone->call({{"type", "join"}, {"room_id", room}})), "ok");
    ASSERT_EQ(code(gone->call({{"type", "post"}, {"room_id", room}, {"body", "Een gewoon bericht"}})), "ok");
    ASSERT_EQ(code(gone->call({{"type", "post"}, {"room_id", room}, {"body", "Anoniem KANARIE-POST-5522"},
                               {"level", "anonymous"}})), "ok");
    ASSERT_EQ(code(gone->call({{"type", "ask"}, {"room_id", room}, {"title", "Mijn vraag"}, {"body", "Hoe zit het?"},
                               {"tags", {"zorg en gezondheid"}}})), "ok");

    // Export: the account and everything it wrote, with the levels, as the author sees it.
    json mine = gone->call({{"type", "export_my_data"}});
    ASSERT_EQ(code(mine), "ok") << mine.dump();
    EXPECT_EQ(mine["result"]["account"]["display_name"], "KANARIE-NAAM-9913");
    ASSERT_EQ(mine["result"]["messages"].size(), 3u);
    EXPECT_EQ(mine["result"]["messages"][1]["author"]["level"], "anonymous");
    EXPECT_EQ(mine["result"]["messages"][1]["body"], "Anoniem KANARIE-POST-5522");
    EXPECT_TRUE(mine["result"]["messages"][1]["own"].get<bool>());
    ASSERT_EQ(mine["result"]["cases"].size(), 1u);
    EXPECT_EQ(mine["result"]["cases"][0]["title"], "Mijn vraag");
    json by_admin = json::parse(admin(db, {"export-user", "--handle", "kanarie.wis"}));
    EXPECT_EQ(by_admin, mine["result"]) << "the admin command prints the same export";
    {
        ChildProcess client({VRAAGBAAK_CLIENT_BIN, "--url", server->url(), "--user", "kanarie.wis"},
                            {"VRAAGBAAK_PASSWORD=" + kPassword});
        client.write("/export\n");
        client.close_stdin();
        ASSERT_EQ(client.wait(), 0) << client.drain_stderr();
        std::string out;
        while (auto line = client.read_line(1s)) out += *line + "\n";
        const auto start = out.find('{');
        ASSERT_NE(start, std::string::npos) << out;
        EXPECT_EQ(json::parse(out.substr(start)), mine["result"]) << "the client's /export prints the same JSON";
    }

    // Erasure with the posts deleted: no name, no handle, no text.
    gone.reset();
    EXPECT_NE(admin(db, {"erase-user", "--handle", "kanarie.wis", "--posts", "delete"}).find("erased"), std::string::npos);
    json history = member->call({{"type", "history"}, {"room_id", room}});
    for (const auto& m : history["result"]["messages"]) {
        EXPECT_EQ(m["body"], "") << m.dump();
        EXPECT_EQ(m["hidden_reason"], "deleted");
    }
    TestClient again(server->port());
    again.call({{"type", "hello"}, {"versions", {1}}});
    EXPECT_EQ(code(again.call({{"type", "login"}, {"handle", "kanarie.wis"}, {"password", kPassword}})), "bad_credentials");
    member.reset();
    owner.reset();
    EXPECT_EQ(server->stop(), 0);
    const std::string stored = everything_stored();
    for (const char* canary : {"KANARIE-NAAM-9913", "kanarie.wis", "KANARIE-POST-5522"})
        EXPECT_EQ(stored.find(canary), std::string::npos) << canary << " is still in a database file";
}

TEST_F(PrivacyE2E, ErasureCanKeepPostsWithoutTheirAuthor) {
    admin(db, {"add-user", "--handle", "kanarie.blijf", "--name", "KANARIE-NAAM-6640", "--org", "BTO", "--password-stdin"},
          kPassword + "\n");
    auto leaving = signed_in("kanarie.blijf");
    leaving->call({{"type", "join"}, {"room_id", room}});
    ASSERT_EQ(code(leaving->call({{"type", "post"}, {"room_id", room}, {"body", "Dit advies blijft nuttig"}})), "ok");
    leaving.reset();
    admin(db, {"erase-user", "--handle", "kanarie.blijf"});
    json history = member->call({{"type", "history"}, {"room_id", room}});
    ASSERT_EQ(history["result"]["messages"].size(), 1u);
    EXPECT_EQ(history["result"]["messages"][0]["body"], "Dit advies blijft nuttig");
    EXPECT_EQ(history["result"]["messages"][0]["author"]["display_name"], "erased");
    member.reset();
    owner.reset();
    EXPECT_EQ(server->stop(), 0);
    const std::string stored = everything_stored();
    EXPECT_EQ(stored.find("KANARIE-NAAM-6640"), std::string::npos);
    EXPECT_EQ(stored.find("kanarie.blijf"), std::string::npos);
}

}  // namespace
