// End-to-end tests: the real vraagbaak-server on an ephemeral port with a temporary database,
// driven by real WebSocket clients and by the real vraagbaak client in scripted mode.

#include <arpa/inet.h>
#include <signal.h>
#include <gtest/gtest.h>

#include <iostream>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include <atomic>
#include <functional>
#include <optional>
#include <thread>

#include "support/child_process.hpp"
#include "support/server_process.hpp"
#include "support/temp_dir.hpp"
#include "support/test_client.hpp"

using namespace vraagbaak::test;
using nlohmann::json;

namespace {

const std::string kAnnaPassword = "anna-wachtwoord";
const std::string kBramPassword = "bram-wachtwoord";

class E2E : public ::testing::Test {
protected:
    void SetUp() override {
        add_user(db, "anna", "Anna de Vries", kAnnaPassword);
        add_user(db, "bram", "Bram Jansen", kBramPassword);
        admin(db, {"add-room", "--name", "schulden", "--topic", "Schulden en beslag"});
    }

    std::unique_ptr<ChildProcess> client(const std::string& user, const std::string& password,
                                         std::vector<std::string> extra = {}) {
        std::vector<std::string> argv{VRAAGBAAK_CLIENT_BIN, "--url", server->url(), "--user", user, "--lang", "en"};
        for (auto& e : extra) argv.push_back(e);
        return std::make_unique<ChildProcess>(argv, std::vector<std::string>{"VRAAGBAAK_PASSWORD=" + password});
    }

    TempDir dir;
    std::string db = dir.file("vraagbaak.db");
    std::unique_ptr<ServerProcess> server = std::make_unique<ServerProcess>(db);
};

struct Seen {
    long long seq;
    std::string author;
    std::string body;
    bool operator==(const Seen&) const = default;
};

Seen seen(const json& message) {
    return {message["seq"].get<long long>(), message["author"]["handle"].get<std::string>(),
            message["body"].get<std::string>()};
}

TEST_F(E2E, TwoClientsExchangeMessagesInTheSameOrderAndHistorySurvivesARestart) {
    TestClient bram(server->port());
    bram.login("bram", kBramPassword);
    ASSERT_TRUE(bram.call({{"type", "join"}, {"room_id", 1}})["ok"].get<bool>());

    // Anna is the real terminal client in scripted mode, printing raw frames.
    auto anna = client("anna", kAnnaPassword, {"--json"});
    anna->write("/join schulden\n");
    ASSERT_TRUE(anna->read_until("\"type\":\"join\"")) << anna->drain_stderr();

    constexpr int kRounds = 5;
    for (int i = 1; i <= kRounds; ++i) {
        anna->write("vraag " + std::to_string(i) + " van Anna\n");
        auto r = bram.call({{"type", "post"}, {"room_id", 1}, {"body", "antwoord " + std::to_string(i) + " van Bram"}});
        ASSERT_TRUE(r["ok"].get<bool>()) << r.dump();
    }

    std::vector<Seen> seen_by_bram;
    while (seen_by_bram.size() < 2 * kRounds) {
        auto e = bram.next_event([](const json& j) { return j["event"] == "message"; });
        ASSERT_TRUE(e) << "bram saw only " << seen_by_bram.size() << " messages";
        seen_by_bram.push_back(seen((*e)["message"]));
    }
    std::vector<Seen> seen_by_anna;
    while (seen_by_anna.size() < 2 * kRounds) {
        auto line = anna->read_until("\"event\":\"message\"");
        ASSERT_TRUE(line) << "anna saw only " << seen_by_anna.size() << " messages; " << anna->drain_stderr();
        seen_by_anna.push_back(seen(json::parse(*line)["message"]));
    }
    anna->close_stdin();
    EXPECT_EQ(anna->wait(), 0);

    EXPECT_EQ(seen_by_anna, seen_by_bram) << "both see the same messages in the same order";
    for (std::size_t i = 0; i < seen_by_bram.size(); ++i)
        EXPECT_EQ(seen_by_bram[i].seq, static_cast<long long>(i + 3)) << "without gaps after the two joins";
    int from_anna = 0;
    for (const auto& s : seen_by_bram) from_anna += s.author == "anna";
    EXPECT_EQ(from_anna, kRounds);

    // Restart on the same database: the history is complete.
    EXPECT_EQ(server->stop(), 0);
    server = std::make_unique<ServerProcess>(db);
    TestClient later(server->port());
    later.login("anna", kAnnaPassword);
    auto history = later.call({{"type", "history"}, {"room_id", 1}, {"after", 0}, {"limit", 200}});
    ASSERT_TRUE(history["ok"].get<bool>()) << history.dump();
    std::vector<Seen> stored;
    for (const auto& m : history["result"]["messages"]) stored.push_back(seen(m));
    EXPECT_EQ(stored, seen_by_bram);
    EXPECT_FALSE(history["result"]["has_more"].get<bool>());
}

TEST_F(E2E, AClientThatDropsMidBurstResumesWithEveryEventExactlyOnceInOrder) {
    constexpr int kBurst = 150;
    // anna's join, bram's join, the burst, and bram leaving and coming back half-way.
    constexpr long long kLastSeq = kBurst + 4;
    auto anna = std::make_unique<TestClient>(server->port());
    anna->call({{"type", "hello"}, {"versions", {1}}});
    std::string token =
        anna->call({{"type", "login"}, {"handle", "anna"}, {"password", kAnnaPassword}})["result"]["token"];
    ASSERT_TRUE(anna->call({{"type", "join"}, {"room_id", 1}})["ok"].get<bool>());

    std::atomic<int> acknowledged{0};
    std::thread poster([&] {
        TestClient bram(server->port());
        bram.login("bram", kBramPassword);
        bram.call({{"type", "join"}, {"room_id", 1}});
        for (int i = 1; i <= kBurst; ++i) {
            if (bram.call({{"type", "post"}, {"room_id", 1}, {"body", "burst " + std::to_string(i)}})["ok"].get<bool>())
                ++acknowledged;
            if (i == kBurst / 2) {
                bram.call({{"type", "leave"}, {"room_id", 1}});
                bram.call({{"type", "join"}, {"room_id", 1}});
            }
        }
    });

    // Every room event carries the room's seq; a message carries it inside.
    std::vector<long long> seqs;
    std::map<std::string, int> kinds;
    auto in_room = [](const json& e) { return e["event"] == "message" || e.contains("seq"); };
    auto note = [&](const json& e) {
        seqs.push_back(e["event"] == "message" ? e["message"]["seq"] : e["seq"]);
        ++kinds[e["event"].get<std::string>()];
    };
    while (seqs.size() < 40) {
        auto e = anna->next_event(in_room);
        ASSERT_TRUE(e) << "saw only " << seqs.size();
        note(*e);
    }
    anna.reset();  // gone in the middle of the burst

    TestClient back(server->port());
    back.call({{"type", "hello"}, {"versions", {1}}});
    auto resumed = back.call({{"type", "resume"}, {"token", token},
                              {"last_seen", {{{"room_id", 1}, {"seq", seqs.back()}}}}});
    ASSERT_TRUE(resumed["ok"].get<bool>()) << resumed.dump();
    while (seqs.back() < kLastSeq) {
        auto e = back.next_event(in_room, 20s);
        ASSERT_TRUE(e) << "stuck after seq " << seqs.back();
        note(*e);
    }
    poster.join();
    EXPECT_EQ(acknowledged.load(), kBurst);
    ASSERT_EQ(seqs.size(), static_cast<std::size_t>(kLastSeq)) << "nothing twice";
    for (std::size_t i = 0; i < seqs.size(); ++i) EXPECT_EQ(seqs[i], static_cast<long long>(i + 1)) << "in order, none missing";
    EXPECT_EQ(kinds["message"], kBurst);
    EXPECT_EQ(kinds["member_joined"], 3);
    EXPECT_EQ(kinds["member_left"], 1);
    std::cout << "loss test: " << kLastSeq << " room events (" << kBurst << " messages), 40 before the drop, "
              << kLastSeq - 40 << " after resume, 0 lost, 0 duplicated\n";
}

TEST_F(E2E, ARetriedPostStoresOneMessage) {
    TestClient anna(server->port());
    anna.login("anna", kAnnaPassword);
    anna.call({{"type", "join"}, {"room_id", 1}});
    json post = {{"type", "post"}, {"room_id", 1}, {"body", "een keer"}, {"client_msg_id", "a-0001"}};
    auto first = anna.call(post);
    auto retry = anna.call(post);
    EXPECT_EQ(first["result"]["message_id"], retry["result"]["message_id"]);
    EXPECT_TRUE(retry["result"]["duplicate"].get<bool>());
    auto h = anna.call({{"type", "history"}, {"room_id", 1}});
    EXPECT_EQ(h["result"]["messages"].size(), 1u);
}

TEST_F(E2E, TheClientReconnectsResumesAndResendsWhatWasNotAcknowledged) {
    unsigned port = free_port();
    server->stop();
    server = std::make_unique<ServerProcess>(db, std::vector<std::string>{}, port);
    auto anna = client("anna", kAnnaPassword, {"--json"});
    anna->write("/join schulden\nvoor de storing\n");
    ASSERT_TRUE(anna->read_until("\"body\":\"voor de storing\"")) << anna->drain_stderr();

    server->kill();  // a crash
    anna->write("tijdens de storing\n");
    server = std::make_unique<ServerProcess>(db, std::vector<std::string>{}, port);
    {
        TestClient bram(port);
        bram.login("bram", kBramPassword);
        bram.call({{"type", "join"}, {"room_id", 1}});
        bram.call({{"type", "post"}, {"room_id", 1}, {"body", "gemist of live"}});
    }
    std::map<std::string, int> seen;
    std::vector<long long> seqs;
    while (seen["tijdens de storing"] < 1 || seen["gemist of live"] < 1) {
        auto line = anna->read_until("\"event\":\"message\"", 20s);
        ASSERT_TRUE(line) << anna->drain_stderr();
        auto m = json::parse(*line)["message"];
        ++seen[m["body"].get<std::string>()];
        seqs.push_back(m["seq"]);
    }
    anna->close_stdin();
    EXPECT_EQ(anna->wait(), 0) << anna->drain_stderr();
    EXPECT_NE(anna->drain_stderr().find("reconnected"), std::string::npos);
    for (std::size_t i = 1; i < seqs.size(); ++i) EXPECT_LT(seqs[i - 1], seqs[i]) << "in order";

    TestClient check(port);
    check.login("anna", kAnnaPassword);
    auto h = check.call({{"type", "history"}, {"room_id", 1}, {"after", 0}});
    std::map<std::string, int> stored;
    for (const auto& m : h["result"]["messages"]) ++stored[m["body"].get<std::string>()];
    EXPECT_EQ(stored["voor de storing"], 1);
    EXPECT_EQ(stored["tijdens de storing"], 1) << "the post written during the outage is stored once";
    EXPECT_EQ(stored["gemist of live"], 1);
    // The bystander member_joined frame is not a message; the messages anna saw are exactly these.
    EXPECT_EQ(seen["tijdens de storing"], 1);
    EXPECT_EQ(seen["gemist of live"], 1);
}

TEST_F(E2E, AfterALongAbsenceTheClientPagesHistoryForWhatIsNotReplayed) {
    unsigned port = free_port();
    server->stop();
    server = std::make_unique<ServerProcess>(db, std::vector<std::string>{"--catch-up-limit", "2"}, port);
    auto anna = client("anna", kAnnaPassword, {"--json"});
    anna->write("/join schulden\nhallo\n");
    ASSERT_TRUE(anna->read_until("\"body\":\"hallo\"")) << anna->drain_stderr();

    // Frozen while the server restarts and five messages are posted: more than it will replay.
    anna->signal(SIGSTOP);
    server->kill();
    server = std::make_unique<ServerProcess>(db, std::vector<std::string>{"--catch-up-limit", "2"}, port);
    {
        TestClient bram(port);
        bram.login("bram", kBramPassword);
        bram.call({{"type", "join"}, {"room_id", 1}});
        for (int i = 1; i <= 5; ++i) bram.call({{"type", "post"}, {"room_id", 1}, {"body", "gemist " + std::to_string(i)}});
    }
    anna->signal(SIGCONT);
    ASSERT_TRUE(anna->read_until("\"event\":\"catch_up_gap\"", 20s)) << anna->drain_stderr();
    // The client pages history; --json prints the raw history reply with all five.
    auto page = anna->read_until("\"type\":\"history\"", 20s);
    ASSERT_TRUE(page) << anna->drain_stderr();
    auto messages = json::parse(*page)["result"]["messages"];
    ASSERT_EQ(messages.size(), 5u);
    for (int i = 0; i < 5; ++i) EXPECT_EQ(messages[static_cast<std::size_t>(i)]["body"], "gemist " + std::to_string(i + 1));
    anna->close_stdin();
    EXPECT_EQ(anna->wait(), 0);
}

TEST_F(E2E, ScriptedClientPrintsOneHumanLinePerEvent) {
    auto anna = client("anna", kAnnaPassword);
    anna->write("/join schulden\nEerste vraag:\\nmeerdere regels?\n/history 5\n/post nergens hallo\n");
    anna->close_stdin();
    ASSERT_EQ(anna->wait(), 0) << anna->drain_stderr();
    std::vector<std::string> lines;
    while (auto line = anna->read_line(1s)) lines.push_back(*line);
    auto has = [&](const std::string& needle) {
        for (const auto& l : lines)
            if (l.find(needle) != std::string::npos) return true;
        return false;
    };
    EXPECT_TRUE(has("logged in as Anna de Vries (@anna)"));
    EXPECT_TRUE(has("joined schulden"));
    EXPECT_TRUE(has("posted to schulden as #2")) << "#1 is the join";
    EXPECT_TRUE(has("[schulden #2 "));
    EXPECT_TRUE(has("history of schulden (1 messages)"));
    EXPECT_NE(anna->drain_stderr().find("unknown room 'nergens'"), std::string::npos);
}

TEST_F(E2E, ScriptedClientSpeaksDutch) {
    auto anna = std::make_unique<ChildProcess>(
        std::vector<std::string>{VRAAGBAAK_CLIENT_BIN, "--url", server->url(), "--user", "anna"},
        std::vector<std::string>{"VRAAGBAAK_PASSWORD=" + kAnnaPassword, "LANG=nl_NL.UTF-8", "LC_ALL="});
    anna->write("/join schulden\n/leave\n");
    anna->close_stdin();
    ASSERT_EQ(anna->wait(), 0);
    EXPECT_TRUE(anna->read_until("ingelogd als Anna de Vries"));
    EXPECT_TRUE(anna->read_until("lid van schulden"));
    EXPECT_TRUE(anna->read_until("schulden verlaten"));
}

TEST_F(E2E, ClientExitsNonZeroOnBadPasswordOrNoServer) {
    auto wrong = client("anna", "not-the-password");
    wrong->close_stdin();
    EXPECT_EQ(wrong->wait(), 3);
    EXPECT_NE(wrong->drain_stderr().find("login failed"), std::string::npos);

    auto nowhere = std::make_unique<ChildProcess>(
        std::vector<std::string>{VRAAGBAAK_CLIENT_BIN, "--url", "ws://127.0.0.1:1/ws", "--user", "anna"},
        std::vector<std::string>{"VRAAGBAAK_PASSWORD=x"});
    nowhere->close_stdin();
    EXPECT_EQ(nowhere->wait(), 2);
    EXPECT_NE(nowhere->drain_stderr().find("cannot connect"), std::string::npos);
}

TEST_F(E2E, BadInputGetsTypedErrorsChangesNothingAndKeepsTheConnection) {
    TestClient c(server->port());
    int tried = 0, clean = 0;
    auto expect_error = [&](const std::string& raw, const std::string& code) {
        ++tried;
        c.send_raw(raw);
        auto f = c.next_frame();
        ASSERT_TRUE(f) << raw;
        ASSERT_TRUE(f->contains("error")) << f->dump();
        EXPECT_EQ((*f)["error"]["code"], code) << raw;
        EXPECT_FALSE((*f)["error"]["message"].get<std::string>().empty());
        if ((*f)["error"]["code"] == code) ++clean;
    };
    expect_error(R"({"id":"1","type":"list_rooms"})", "hello_required");
    expect_error("{{{", "malformed_json");
    expect_error("42", "invalid_request");
    expect_error(R"({"id":"2","type":"hello","versions":"1"})", "invalid_field");
    ASSERT_TRUE(c.call({{"type", "hello"}, {"versions", {1}}})["ok"].get<bool>());
    expect_error(R"({"id":"3","type":"join","room_id":1})", "auth_required");
    ASSERT_TRUE(c.call({{"type", "login"}, {"handle", "anna"}, {"password", kAnnaPassword}})["ok"].get<bool>());
    expect_error(R"({"id":"4","type":"self_destruct"})", "unknown_type");
    expect_error(R"({"id":"5","type":"post","room_id":1,"body":"niet lid"})", "not_member");
    expect_error(R"({"id":"6","type":"post","room_id":"een","body":"x"})", "invalid_field");
    expect_error(R"({"id":"7","type":"post","room_id":1})", "invalid_field");
    ASSERT_TRUE(c.call({{"type", "join"}, {"room_id", 1}})["ok"].get<bool>());
    ASSERT_TRUE(c.next_event([](const json& e) { return e["event"] == "member_joined"; }));
    expect_error(R"({"id":"8","type":"post","room_id":1,"body":")" + std::string(8001, 'x') + "\"}", "too_long");
    expect_error(R"({"id":"10","type":"post","room_id":999,"body":"x"})", "room_not_found");

    auto rooms = c.call({{"type", "list_rooms"}});
    ASSERT_TRUE(rooms["ok"].get<bool>()) << "the connection is still usable";
    EXPECT_EQ(rooms["result"]["rooms"][0]["last_seq"], 1) << "only the join was stored";
    std::cout << "bad input: " << tried << " bad requests tried, " << clean
              << " rejected cleanly with their typed error; nothing stored, the connection kept\n";
}

TEST_F(E2E, OversizedFrameClosesWithTooBigAndOthersCarryOn) {
    server->stop();
    server = std::make_unique<ServerProcess>(db, std::vector<std::string>{"--max-frame-bytes", "4096"});
    TestClient bystander(server->port());
    bystander.login("bram", kBramPassword);
    TestClient big(server->port());
    big.login("anna", kAnnaPassword);
    big.send_raw(R"({"id":"x","type":"post","room_id":1,"body":")" + std::string(5000, 'a') + "\"}");
    EXPECT_EQ(big.wait_closed(), 1009);
    EXPECT_TRUE(bystander.call({{"type", "list_rooms"}})["ok"].get<bool>());
}

TEST_F(E2E, InvalidUtf8TextFrameClosesWithBadPayload) {
    // RFC 6455 8.1: a text frame that is not UTF-8 fails the connection with 1007. The WebSocket
    // layer checks this before the codec sees the frame.
    TestClient c(server->port());
    c.login("anna", kAnnaPassword);
    c.send_raw("{\"id\":\"9\",\"type\":\"post\",\"room_id\":1,\"body\":\"\xC3\"}");
    EXPECT_EQ(c.wait_closed(), 1007);
    TestClient after(server->port());
    after.login("anna", kAnnaPassword);
    auto rooms = after.call({{"type", "list_rooms"}});
    EXPECT_EQ(rooms["result"]["rooms"][0]["last_seq"], 0);
}

TEST_F(E2E, AcknowledgedPostSurvivesAServerCrash) {
    {
        TestClient c(server->port());
        c.login("anna", kAnnaPassword);
        c.call({{"type", "join"}, {"room_id", 1}});
        auto ack = c.call({{"type", "post"}, {"room_id", 1}, {"body", "blijft bewaard"}});
        ASSERT_TRUE(ack["ok"].get<bool>());
        server->kill();  // SIGKILL right after the acknowledgement
    }
    server = std::make_unique<ServerProcess>(db);
    TestClient c(server->port());
    c.login("anna", kAnnaPassword);
    auto h = c.call({{"type", "history"}, {"room_id", 1}});
    ASSERT_EQ(h["result"]["messages"].size(), 1u);
    EXPECT_EQ(h["result"]["messages"][0]["body"], "blijft bewaard");
}

// With one CPU the core runs on the network thread (a thread of its own could only take turns
// with it): the same conversation, acknowledgements, history and clean shutdown.
// Restarts the server with `args` (on `cpu` if given) and returns its log up to "started".
// Then: 50 acknowledged posts seen by the other member once each and in order, history, and a
// clean SIGTERM; what the server's way of running must never change.
std::string restart_and_check_delivery(std::unique_ptr<ServerProcess>& server, const std::string& db,
                                       std::vector<std::string> args, std::optional<int> cpu,
                                       const std::function<void(const std::string& log)>& before_shutdown = {}) {
    server->stop();
    args.insert(args.begin(), {"--log-level", "info"});
    server = std::make_unique<ServerProcess>(db, args, 0, cpu);
    std::string log;
    for (int i = 0; i < 100 && log.find("started") == std::string::npos; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        log += server->process().drain_stderr();
    }

    TestClient anna(server->port());
    anna.login("anna", kAnnaPassword);
    TestClient bram(server->port());
    bram.login("bram", kBramPassword);
    EXPECT_TRUE(anna.call({{"type", "join"}, {"room_id", 1}})["ok"].get<bool>());
    EXPECT_TRUE(bram.call({{"type", "join"}, {"room_id", 1}})["ok"].get<bool>());
    constexpr int kPosts = 50;
    std::vector<long long> acked;
    for (int i = 0; i < kPosts; ++i) {
        auto r = anna.call({{"type", "post"}, {"room_id", 1}, {"body", "bericht " + std::to_string(i)}});
        EXPECT_TRUE(r["ok"].get<bool>()) << r.dump();
        acked.push_back(r["result"]["seq"].get<long long>());
    }
    std::vector<long long> seen_by_bram;
    while (seen_by_bram.size() < kPosts) {
        auto e = bram.next_event([](const json& j) { return j["event"] == "message"; });
        if (!e) break;
        seen_by_bram.push_back((*e)["message"]["seq"].get<long long>());
    }
    EXPECT_EQ(seen_by_bram, acked) << "every post, once, in order";
    auto history = bram.call({{"type", "history"}, {"room_id", 1}, {"limit", 10}});
    EXPECT_EQ(history["result"]["messages"].size(), 10u);
    EXPECT_EQ(history["result"]["messages"][9]["body"], "bericht 49");
    if (before_shutdown) before_shutdown(log);
    server->process().signal(SIGTERM);
    EXPECT_EQ(anna.wait_closed(), 1001);
    EXPECT_EQ(server->process().wait(), 0) << server->process().drain_stderr();
    return log;
}

TEST_F(E2E, OnOneCpuTheCoreSharesTheNetworkThreadAndNothingChanges) {
    const auto log = restart_and_check_delivery(server, db, {}, 0);
    EXPECT_NE(log.find("core=\"on the network thread\""), std::string::npos) << log;
}

// Where the kernel allows io_uring, each step of a fan-out is written with one system call.
TEST_F(E2E, WithIoUringTheWritesOfAFanOutGoThroughTheSendRing) {
    restart_and_check_delivery(server, db, {}, std::nullopt, [&](const std::string& log) {
        if (log.find("writes=sendmsg") != std::string::npos) GTEST_SKIP() << "io_uring is not available here";
        EXPECT_NE(log.find("writes=io_uring"), std::string::npos) << log;
        const std::string metrics = http_get(server->port(), "/metrics");
        const std::string counter = "\nvraagbaak_ring_writes_total ";
        const auto at = metrics.find(counter);
        ASSERT_NE(at, std::string::npos) << metrics;
        EXPECT_GE(std::stoll(metrics.substr(at + counter.size())), 50) << "the 50 broadcast frames at least";
    });
}

TEST_F(E2E, WithoutIoUringEveryConnectionIsWrittenDirectlyAndNothingChanges) {
    restart_and_check_delivery(server, db, {"--io-uring", "false"}, std::nullopt, [&](const std::string& log) {
        EXPECT_NE(log.find("writes=sendmsg"), std::string::npos) << log;
        EXPECT_NE(http_get(server->port(), "/metrics").find("\nvraagbaak_ring_writes_total 0\n"), std::string::npos);
    });
}

TEST_F(E2E, ShutdownClosesClientsWithGoingAway) {
    TestClient c(server->port());
    c.login("anna", kAnnaPassword);
    server->process().signal(SIGTERM);
    EXPECT_EQ(c.wait_closed(), 1001);
    EXPECT_EQ(server->process().wait(), 0);
}


TEST_F(E2E, HealthzAnswersAndOtherPathsDoNotUpgrade) {
    EXPECT_EQ(http_get(server->port(), "/healthz").rfind("HTTP/1.1 200", 0), 0u);
    EXPECT_EQ(http_get(server->port(), "/nothing").rfind("HTTP/1.1 404", 0), 0u);
    EXPECT_EQ(http_get(server->port(), "/readyz").rfind("HTTP/1.1 200", 0), 0u) << "the database takes writes";
    EXPECT_EQ(http_get(server->port(), "/ws").rfind("HTTP/1.1 426", 0), 0u);
    EXPECT_THROW(TestClient(server->port(), "/elsewhere"), std::runtime_error);
}

TEST(E2EStartup, PlainServerCreatesNoAccountsAndTryoutSeedsOnlyAnEmptyDatabase) {
    TempDir dir;
    std::string db = dir.file("t.db");
    {
        ServerProcess plain(db);
        plain.stop();
    }
    EXPECT_EQ(admin(db, {"list-users"}), "");
    std::string anna_password;
    {
        ServerProcess tryout(db, {"--tryout"});
        auto line = tryout.process().read_until("  anna  password ");
        ASSERT_TRUE(line);
        anna_password = line->substr(line->find("password ") + 9, 12);
        TestClient c(tryout.port());
        c.login("anna", anna_password);
        auto rooms = c.call({{"type", "list_rooms"}})["result"]["rooms"];
        EXPECT_GE(rooms.size(), 3u);
        tryout.stop();
    }
    {
        ServerProcess again(db, {"--tryout"});
        again.stop();
        EXPECT_FALSE(again.process().read_until("password", 1s)) << "no second seeding";
    }
}

TEST(E2EStartup, UnusableDatabaseOrPortFailsWithAClearMessage) {
    TempDir dir;
    ChildProcess bad_db({VRAAGBAAK_SERVER_BIN, "--listen", "127.0.0.1:0", "--db", dir.file("missing/dir/x.db")});
    EXPECT_EQ(bad_db.wait(), 2);
    EXPECT_NE(bad_db.drain_stderr().find("cannot use database"), std::string::npos);

    ServerProcess first(dir.file("a.db"));
    ChildProcess second({VRAAGBAAK_SERVER_BIN, "--listen", "127.0.0.1:" + std::to_string(first.port()),
                         "--db", dir.file("b.db")});
    EXPECT_EQ(second.wait(), 2);
    EXPECT_NE(second.drain_stderr().find("cannot listen"), std::string::npos);
}

}  // namespace
