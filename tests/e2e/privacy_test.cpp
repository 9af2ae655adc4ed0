// End-to-end: the privacy guard through the real server — block, redact and warn, and nothing of
// refused text in the database files or the logs afterwards.

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>

#include "support/child_process.hpp"
#include "support/server_process.hpp"
#include "support/temp_dir.hpp"
#include "support/test_client.hpp"

using namespace vraagbaak::test;
using nlohmann::json;

namespace {

const std::string kPassword = "een-lang-wachtwoord";

std::string code(const json& reply) {
    return reply.value("ok", false) ? "ok" : reply["error"]["code"].get<std::string>();
}

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

}  // namespace
