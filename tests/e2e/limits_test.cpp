// End-to-end: hostile and broken clients against the real server — request floods, too many
// connections from one address, foreign browser origins, slowloris, silent peers, expired
// sessions and a reader that stops reading. Each test prints its figures.

#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <iostream>
#include <thread>

#include "support/raw_socket.hpp"
#include "support/server_process.hpp"
#include "support/temp_dir.hpp"
#include "support/test_client.hpp"

using namespace vraagbaak::test;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

namespace {

const std::string kPassword = "een-lang-wachtwoord";

long long ms_since(Clock::time_point t) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t).count();
}

long long rss_kib(pid_t pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/status");
    for (std::string line; std::getline(in, line);)
        if (line.rfind("VmRSS:", 0) == 0) return std::stoll(line.substr(6));
    return -1;
}

class LimitsE2E : public ::testing::Test {
protected:
    void start(std::vector<std::string> args) {
        admin(db, {"add-org", "--name", "Buurtteam Oost", "--code", "BTO"});
        for (const char* h : {"anna", "bram", "cees"})
            admin(db, {"add-user", "--handle", h, "--name", std::string("Naam ") + h, "--org", "BTO", "--password-stdin"},
                  kPassword + "\n");
        admin(db, {"add-room", "--name", "kamer"});
        server = std::make_unique<ServerProcess>(db, std::move(args));
    }
    std::unique_ptr<TestClient> member(const std::string& handle) {
        auto c = std::make_unique<TestClient>(server->port());
        c->login(handle, kPassword);
        EXPECT_EQ(reply_code(c->call({{"type", "join"}, {"room_id", 1}})), "ok");
        return c;
    }

    TempDir dir;
    std::string db = dir.file("limits.db");
    std::unique_ptr<ServerProcess> server;
};

TEST_F(LimitsE2E, AFloodOfRequestsIsRefusedWithWhenToRetryAndHurtsNobodyElse) {
    start({"--requests-per-second", "5"});  // bursts of 25
    auto flooder = member("anna");
    const int sent = 200;
    for (int i = 0; i < sent; ++i)
        flooder->send_raw(json{{"id", "f" + std::to_string(i)}, {"type", "list_rooms"}}.dump());
    int served = 0, refused = 0;
    long long max_retry = 0;
    for (int i = 0; i < sent; ++i) {
        auto frame = flooder->next_frame(5s);
        while (frame && !frame->contains("reply_to")) frame = flooder->next_frame(5s);  // events
        ASSERT_TRUE(frame) << "every request gets a reply";
        if ((*frame)["ok"].get<bool>()) {
            ++served;
        } else {
            ASSERT_EQ((*frame)["error"]["code"], "rate_limited") << frame->dump();
            ASSERT_GT((*frame)["error"]["retry_after_ms"].get<long long>(), 0);
            max_retry = std::max(max_retry, (*frame)["error"]["retry_after_ms"].get<long long>());
            ++refused;
        }
    }
    EXPECT_GT(refused, 100);
    EXPECT_LE(served, 40) << "a burst of 25 and what refilled meanwhile";
    // Someone else is not slowed down, and the flooder may go on after waiting.
    auto other = member("bram");
    EXPECT_EQ(reply_code(other->call({{"type", "list_rooms"}})), "ok");
    std::this_thread::sleep_for(std::chrono::milliseconds(max_retry + 50));
    EXPECT_EQ(reply_code(flooder->call({{"type", "list_rooms"}})), "ok");
    std::cout << "rate limit: " << sent << " requests in a burst: " << served << " served, " << refused
              << " refused with rate_limited (retry_after_ms up to " << max_retry << ")\n";
}

TEST_F(LimitsE2E, AnAccountsConnectionsShareALimitTwiceAConnections) {
    start({"--requests-per-second", "5"});  // per connection bursts of 25; per account of 50
    std::vector<std::unique_ptr<TestClient>> same;
    for (int i = 0; i < 4; ++i) same.push_back(member("anna"));
    // Four connections of one account, 20 requests each at once: together over the account's
    // burst though each stays under its own.
    const auto sent = Clock::now();
    for (auto& c : same)
        for (int i = 0; i < 20; ++i) c->send_raw(json{{"id", "a" + std::to_string(i)}, {"type", "list_rooms"}}.dump());
    int served = 0, refused = 0;
    for (auto& c : same) {
        for (int i = 0; i < 20; ++i) {
            auto frame = c->next_frame(5s);
            while (frame && !frame->contains("reply_to")) frame = c->next_frame(5s);
            ASSERT_TRUE(frame);
            ((*frame)["ok"].get<bool>() ? served : refused) += 1;
        }
    }
    EXPECT_GT(refused, 0) << "the account's limit held";
    // The burst, and what the account's 10 a second refilled meanwhile (a slow build, such as
    // the sanitizers', takes a few hundred milliseconds for the 80 requests).
    const double elapsed_s = std::chrono::duration<double>(Clock::now() - sent).count();
    EXPECT_LE(served, 50 + static_cast<int>(10 * elapsed_s)) << "in " << elapsed_s << " s";
    EXPECT_EQ(reply_code(member("bram")->call({{"type", "list_rooms"}})), "ok") << "another account is not affected";
    std::cout << "account limit: 4 connections x 20 requests: " << served << " served, " << refused << " refused\n";
}

TEST_F(LimitsE2E, OneAddressCannotTakeEverySocket) {
    start({"--max-connections-per-address", "5"});
    std::vector<std::unique_ptr<TestClient>> held;
    for (int i = 0; i < 5; ++i) held.push_back(std::make_unique<TestClient>(server->port()));
    EXPECT_THROW(TestClient(server->port()), std::runtime_error) << "the sixth is refused";
    EXPECT_EQ(http_get(server->port(), "/healthz").rfind("HTTP/1.1 429", 0), 0u);
    held.pop_back();
    std::this_thread::sleep_for(200ms);  // the server notices the close
    EXPECT_NO_THROW(TestClient(server->port())) << "a freed slot can be used again";
    std::cout << "connections per address: 5 held, the 6th refused with 429, accepted again after one closed\n";
}

TEST_F(LimitsE2E, OnlyConfiguredBrowserOriginsMayOpenASocket) {
    start({"--allowed-origins", "https://vraagbaak.example.nl"});
    RawSocket foreign(server->port());
    EXPECT_EQ(foreign.upgrade("Origin: https://evil.example\r\n").rfind("HTTP/1.1 403", 0), 0u);
    RawSocket ours(server->port());
    EXPECT_EQ(ours.upgrade("Origin: https://vraagbaak.example.nl\r\n").rfind("HTTP/1.1 101", 0), 0u);
    RawSocket tool(server->port());
    EXPECT_EQ(tool.upgrade().rfind("HTTP/1.1 101", 0), 0u) << "no Origin: not a browser, let in";
}

TEST_F(LimitsE2E, SlowlorisIsCutOffWhileOthersStillConnectQuickly) {
    start({"--handshake-timeout-s", "1"});
    const int lorises = 50;
    std::vector<std::unique_ptr<RawSocket>> slow;
    for (int i = 0; i < lorises; ++i) {
        slow.push_back(std::make_unique<RawSocket>(server->port()));
        slow.back()->write("GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n");  // and never more
    }
    const auto before = Clock::now();
    TestClient normal(server->port());
    EXPECT_EQ(reply_code(normal.call({{"type", "hello"}, {"versions", {1}}})), "ok");
    const long long handshake_ms = ms_since(before);
    EXPECT_LT(handshake_ms, 500);
    const auto waiting = Clock::now();
    int closed = 0;
    for (auto& s : slow) closed += s->wait_closed(3s) ? 1 : 0;
    EXPECT_EQ(closed, lorises);
    std::cout << "slowloris: " << closed << "/" << lorises << " closed within " << ms_since(waiting) + 0
              << " ms of waiting (handshake timeout 1 s); a normal handshake meanwhile took " << handshake_ms << " ms\n";
}

TEST_F(LimitsE2E, ASilentPeerIsDroppedAndALiveOneIsKept) {
    start({"--idle-timeout-s", "2"});
    RawSocket silent(server->port());
    ASSERT_EQ(silent.upgrade().rfind("HTTP/1.1 101", 0), 0u);
    TestClient live(server->port());  // answers pings by itself
    const auto since = Clock::now();
    // The silent one reads (and so sees the ping) but never answers it.
    EXPECT_TRUE(silent.wait_closed(6s));
    const long long dropped_ms = ms_since(since);
    EXPECT_GE(dropped_ms, 1500);
    EXPECT_EQ(reply_code(live.call({{"type", "hello"}, {"versions", {1}}})), "ok") << "the live one is still there";
    std::cout << "idle timeout 2 s: a silent peer dropped after " << dropped_ms << " ms, a live one kept\n";
}

TEST_F(LimitsE2E, AnExpiredSessionClosesItsSocket) {
    start({"--session-ttl-hours", "0.001"});  // 3.6 s
    TestClient c(server->port());
    c.login("anna", kPassword);
    const auto since = Clock::now();
    auto code = c.wait_closed(8s);
    ASSERT_TRUE(code);
    EXPECT_EQ(*code, 1008);
    EXPECT_GE(ms_since(since), 2500);
    std::cout << "session expiry: the socket closed " << ms_since(since) << " ms after login (token life 3.6 s)\n";
}

TEST_F(LimitsE2E, AReaderThatStopsIsCutOffWithoutSlowingTheOthersAndResumesWithoutLoss) {
    start({});
    // The slow reader: logs in and joins over a raw socket, then never reads again.
    auto token_client = std::make_unique<TestClient>(server->port());
    token_client->call({{"type", "hello"}, {"versions", {1}}});
    const std::string token = token_client->call({{"type", "login"}, {"handle", "cees"}, {"password", kPassword}})["result"]["token"];
    ASSERT_EQ(reply_code(token_client->call({{"type", "join"}, {"room_id", 1}})), "ok");
    token_client.reset();
    RawSocket stuck(server->port());
    stuck.small_receive_buffer();
    ASSERT_EQ(stuck.upgrade().rfind("HTTP/1.1 101", 0), 0u);
    stuck.write(RawSocket::text_frame(R"({"id":"1","type":"hello","versions":[1]})"));
    stuck.write(RawSocket::text_frame(R"({"id":"2","type":"resume","token":")" + token + R"("})"));
    std::this_thread::sleep_for(300ms);

    auto poster = member("anna");
    auto reader = member("bram");
    const long long rss_before = rss_kib(server->process().pid());
    const std::string body(7000, 'x');
    std::vector<long long> latencies;
    const auto started = Clock::now();
    int posts = 0;
    long long evicted_after_ms = -1;
    for (; posts < 1500; ++posts) {
        const auto sent = Clock::now();
        ASSERT_EQ(reply_code(poster->call({{"type", "post"}, {"room_id", 1}, {"body", std::to_string(posts) + body}})), "ok");
        auto seen = reader->next_event([](const json& e) { return e.value("event", "") == "message"; }, 5s);
        ASSERT_TRUE(seen) << "the other reader gets every message";
        latencies.push_back(ms_since(sent));
        if (posts % 50 == 49) {
            const std::string m = http_get(server->port(), "/metrics");
            if (m.find("vraagbaak_slow_readers_cut_off_total 1") != std::string::npos) {
                evicted_after_ms = ms_since(started);
                break;
            }
        }
    }
    const long long rss_after = rss_kib(server->process().pid());
    ASSERT_GE(evicted_after_ms, 0) << "the reader that stopped was cut off (after " << posts << " posts)";
    std::sort(latencies.begin(), latencies.end());
    const long long p99 = latencies[latencies.size() * 99 / 100];
    EXPECT_LT(p99, 200) << "the others were not held back";
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
    // Under ASan the server keeps freed memory in quarantine (256 MiB by default), under TSan it
    // also maps shadow memory for everything it touched (65 MiB here once, against 2 MiB in a
    // plain build): RSS says nothing about what it holds then. The queue bound itself is
    // checked by the cut-off above; the plain build checks the growth.
    std::cout << "(sanitizer build: RSS growth not checked)\n";
#else
    EXPECT_LT(rss_after - rss_before, 64 * 1024) << "memory stays bounded";
#endif

    // It resumes and gets every message it missed (or is told to page history).
    TestClient back(server->port());
    back.call({{"type", "hello"}, {"versions", {1}}});
    auto resumed = back.call({{"type", "resume"}, {"token", token}, {"last_seen", {{{"room_id", 1}, {"seq", 1}}}}});
    ASSERT_EQ(reply_code(resumed), "ok") << resumed.dump();
    int replayed = 0;
    bool gap = false;
    while (auto e = back.next_event([](const json& f) { return f.contains("event"); }, 2s)) {
        if ((*e)["event"] == "message") ++replayed;
        if ((*e)["event"] == "catch_up_gap") gap = true;
    }
    EXPECT_TRUE(gap || replayed == posts + 1);
    std::cout << "slow reader: cut off after " << posts + 1 << " posts of 7 KB (" << evicted_after_ms
              << " ms); server RSS grew " << (rss_after - rss_before) / 1024 << " MiB; the other reader's p99 "
              << p99 << " ms; on resume " << (gap ? "told to page history" : std::to_string(replayed) + " replayed")
              << "\n";
}

}  // namespace
