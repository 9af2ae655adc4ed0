// Identity in the core: password hashing, session tokens (issue, resume, expiry, revoke),
// login rate limits.

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "core/hub.hpp"
#include "core/login_limiter.hpp"
#include "core/password.hpp"
#include "core/secrets.hpp"
#include "storage/sqlite_store.hpp"
#include "support/fake_peer.hpp"
#include "support/temp_dir.hpp"

namespace c = vraagbaak::core;
namespace s = vraagbaak::storage;
using nlohmann::json;

namespace {

TEST(Password, Argon2idHashesAreSaltedAndVerified) {
    c::init_crypto();
    auto h1 = c::hash_password("correct horse", c::PasswordCost::interactive());
    auto h2 = c::hash_password("correct horse", c::PasswordCost::interactive());
    EXPECT_EQ(h1.rfind("$argon2id$", 0), 0u) << h1;
    EXPECT_NE(h1, h2) << "salted";
    EXPECT_TRUE(c::verify_password(h1, "correct horse"));
    EXPECT_FALSE(c::verify_password(h1, "correct horsE"));
    EXPECT_FALSE(c::verify_password("not a hash", "correct horse"));
}

TEST(Secrets, TokensAreLongRandomAndStoredOnlyAsHashes) {
    auto a = c::new_secret();
    auto b = c::new_secret();
    EXPECT_EQ(a.size(), 43u) << "256 bits in URL-safe base64";
    EXPECT_NE(a, b);
    EXPECT_EQ(c::secret_hash(a), c::secret_hash(a));
    EXPECT_NE(c::secret_hash(a), c::secret_hash(b));
    EXPECT_EQ(c::secret_hash(a).find(a), std::string::npos);
}

TEST(LoginLimiter, BlocksAfterTheLimitUntilTheOldestFailureLeavesTheWindow) {
    c::LoginLimiter limiter(3, 1000);
    EXPECT_FALSE(limiter.retry_after("k", 0));
    limiter.record_failure("k", 0);
    limiter.record_failure("k", 100);
    EXPECT_FALSE(limiter.retry_after("k", 150));
    limiter.record_failure("k", 200);
    EXPECT_EQ(limiter.retry_after("k", 300), 700);
    EXPECT_FALSE(limiter.retry_after("k", 1001)) << "the first failure left the window";
    EXPECT_FALSE(limiter.retry_after("other", 300));
    limiter.reset("k");
    EXPECT_FALSE(limiter.retry_after("k", 300));
}

using vraagbaak::test::FakePeer;

class IdentityHubTest : public ::testing::Test {
protected:
    void SetUp() override {
        c::init_crypto();
        store.create_account({"anna", "Anna", std::nullopt,
                              c::hash_password("wachtwoord12", c::PasswordCost::minimal()), 1});
    }
    c::ConnectionId connect(const std::string& address = "10.0.0.1") {
        auto peer = std::make_shared<FakePeer>();
        hub.open(++next_id, peer, address);
        peers[next_id] = peer;
        call(next_id, {{"type", "hello"}, {"versions", {1}}});
        return next_id;
    }
    json call(c::ConnectionId conn, json request) {
        request["id"] = "q" + std::to_string(++next_request);
        hub.on_frame(conn, request.dump());
        for (const auto& f : peers[conn]->frames)
            if (f.contains("reply_to") && f["reply_to"] == request["id"]) return f;
        ADD_FAILURE() << "no reply to " << request.dump();
        return {};
    }
    json login(c::ConnectionId conn, const std::string& handle, const std::string& password) {
        return call(conn, {{"type", "login"}, {"handle", handle}, {"password", password}});
    }
    json call2(c::Hub& h, c::ConnectionId conn, json request) {
        request["id"] = "r" + std::to_string(++next_request);
        h.on_frame(conn, request.dump());
        for (const auto& f : peers[conn]->frames)
            if (f.contains("reply_to") && f["reply_to"] == request["id"]) return f;
        ADD_FAILURE() << "no reply to " << request.dump();
        return {};
    }
    static std::string code(const json& reply) {
        return reply["ok"].get<bool>() ? "ok" : reply["error"]["code"].get<std::string>();
    }

    vraagbaak::test::TempDir dir;
    s::SqliteStore store{{dir.file("id.db")}};
    c::InlineOffloader offloader;
    std::int64_t now = 1'000'000;
    c::HubConfig config = [] {
        c::HubConfig cfg;
        cfg.session_ttl_ms = 60'000;
        cfg.login_failures_per_handle = 3;
        cfg.login_failures_per_address = 5;
        cfg.login_window_ms = 10'000;
        return cfg;
    }();
    c::Hub hub{store, offloader, config, [this] { return now; }};
    std::map<c::ConnectionId, std::shared_ptr<FakePeer>> peers;
    c::ConnectionId next_id = 0;
    int next_request = 0;
};

TEST_F(IdentityHubTest, TokenIsIssuedResumedRevokedAndExpires) {
    auto first = connect();
    auto reply = login(first, "anna", "wachtwoord12");
    ASSERT_EQ(code(reply), "ok");
    std::string token = reply["result"]["token"];
    EXPECT_GE(token.size(), 22u) << "at least 128 bits";
    EXPECT_EQ(reply["result"]["expires_ms"], now + 60'000);
    EXPECT_EQ(reply["result"]["role"], "member");

    // A reconnect resumes without the password.
    auto second = connect();
    auto resumed = call(second, {{"type", "resume"}, {"token", token}});
    ASSERT_EQ(code(resumed), "ok");
    EXPECT_EQ(resumed["result"]["account"]["handle"], "anna");
    EXPECT_EQ(resumed["result"]["token"], token);
    EXPECT_EQ(code(call(second, {{"type", "list_rooms"}})), "ok");

    // Logout revokes it for everyone.
    EXPECT_EQ(code(call(first, {{"type", "logout"}})), "ok");
    EXPECT_EQ(code(call(first, {{"type", "list_rooms"}})), "auth_required");
    EXPECT_EQ(code(call(connect(), {{"type", "resume"}, {"token", token}})), "invalid_token");

    // A fresh token expires after the configured time.
    auto third = connect();
    std::string token2 = login(third, "anna", "wachtwoord12")["result"]["token"];
    now += 59'999;
    EXPECT_EQ(code(call(connect(), {{"type", "resume"}, {"token", token2}})), "ok");
    now += 2;
    EXPECT_EQ(code(call(connect(), {{"type", "resume"}, {"token", token2}})), "invalid_token");
    EXPECT_EQ(code(call(connect(), {{"type", "resume"}, {"token", "made-up"}})), "invalid_token");
}

TEST_F(IdentityHubTest, RevokingAllSessionsAndDisablingEndResumes) {
    auto conn = connect();
    std::string token = login(conn, "anna", "wachtwoord12")["result"]["token"];
    auto anna = store.find_account_by_handle("anna");
    EXPECT_EQ(store.revoke_sessions_of(anna->id), 1);
    EXPECT_EQ(code(call(connect(), {{"type", "resume"}, {"token", token}})), "invalid_token");
    store.set_disabled(anna->id, true);
    EXPECT_EQ(code(login(connect(), "anna", "wachtwoord12")), "bad_credentials")
        << "a disabled account looks like a wrong password";
}

TEST_F(IdentityHubTest, FailedLoginsAreRateLimitedPerHandleWithoutRevealingWhetherItExists) {
    for (int i = 0; i < 3; ++i) EXPECT_EQ(code(login(connect("10.0.0." + std::to_string(i)), "anna", "fout")), "bad_credentials");
    auto blocked = login(connect("10.0.0.9"), "anna", "wachtwoord12");
    EXPECT_EQ(code(blocked), "rate_limited") << "even with the right password";
    EXPECT_EQ(blocked["error"]["retry_after_ms"], 10'000);

    for (int i = 0; i < 3; ++i) login(connect("10.0.1." + std::to_string(i)), "nobody", "fout");
    auto unknown = login(connect("10.0.1.9"), "nobody", "fout");
    EXPECT_EQ(code(unknown), "rate_limited") << "unknown handles are limited the same way";

    now += 10'001;
    EXPECT_EQ(code(login(connect("10.0.0.9"), "anna", "wachtwoord12")), "ok") << "the window passed";
}

TEST_F(IdentityHubTest, FailedLoginsAreRateLimitedPerAddress) {
    for (int i = 0; i < 5; ++i) login(connect("192.0.2.7"), "user" + std::to_string(i), "fout");
    auto blocked = login(connect("192.0.2.7"), "anna", "wachtwoord12");
    EXPECT_EQ(code(blocked), "rate_limited");
    EXPECT_EQ(code(login(connect("192.0.2.8"), "anna", "wachtwoord12")), "ok");
}

TEST_F(IdentityHubTest, ResumeReplaysWhatWasMissedOrSaysToPageHistory) {
    store.create_account({"bram", "Bram", std::nullopt, c::hash_password("wachtwoord12", c::PasswordCost::minimal()), 1});
    store.create_room({"kamer", "", std::nullopt, 1});
    c::HubConfig small = config;
    small.catch_up_limit = 5;
    c::Hub hub2{store, offloader, small, [this] { return now; }};
    auto open = [&] {
        auto peer = std::make_shared<FakePeer>();
        hub2.open(++next_id, peer, "10.1.1.1");
        peers[next_id] = peer;
        call2(hub2, next_id, {{"type", "hello"}, {"versions", {1}}});
        return next_id;
    };
    auto anna = open();
    std::string token = call2(hub2, anna, {{"type", "login"}, {"handle", "anna"}, {"password", "wachtwoord12"}})["result"]["token"];
    call2(hub2, anna, {{"type", "join"}, {"room_id", 1}});  // seq 1
    hub2.close(anna);
    auto bram = open();
    call2(hub2, bram, {{"type", "login"}, {"handle", "bram"}, {"password", "wachtwoord12"}});
    call2(hub2, bram, {{"type", "join"}, {"room_id", 1}});  // seq 2
    for (int i = 1; i <= 3; ++i)                           // seq 3, 4, 5
        call2(hub2, bram, {{"type", "post"}, {"room_id", 1}, {"body", "m" + std::to_string(i)}});
    call2(hub2, bram, {{"type", "leave"}, {"room_id", 1}});  // seq 6

    auto back = open();
    auto resumed = call2(hub2, back, {{"type", "resume"}, {"token", token},
                                      {"last_seen", {{{"room_id", 1}, {"seq", 1}}}}});
    ASSERT_EQ(code(resumed), "ok");
    std::vector<std::pair<std::string, int>> replayed;
    bool after_reply = false;
    for (const auto& f : peers[back]->frames) {
        if (f.contains("reply_to") && f["type"] == "resume") after_reply = true;
        if (!f.contains("event")) continue;
        EXPECT_TRUE(after_reply) << "the replay follows the reply";
        const auto& seq = f["event"] == "message" ? f["message"]["seq"] : f["seq"];
        replayed.emplace_back(f["event"].get<std::string>(), seq.get<int>());
    }
    EXPECT_EQ(replayed, (std::vector<std::pair<std::string, int>>{
                            {"member_joined", 2}, {"message", 3}, {"message", 4}, {"message", 5}, {"member_left", 6}}))
        << "messages and events in one order, each once";

    auto far = open();
    call2(hub2, far, {{"type", "resume"}, {"token", token}, {"last_seen", {{{"room_id", 1}, {"seq", 0}}}}});
    bool gap = false;
    for (const auto& f : peers[far]->frames)
        if (f.value("event", "") == "catch_up_gap") {
            gap = true;
            EXPECT_EQ(f["after_seq"], 0);
            EXPECT_EQ(f["last_seq"], 6);
        } else {
            EXPECT_FALSE(f.contains("event")) << "over the limit nothing is replayed: " << f.dump();
        }
    EXPECT_TRUE(gap);
}

TEST_F(IdentityHubTest, ARetriedPostIsAcknowledgedAgainButStoredAndBroadcastOnce) {
    store.create_room({"kamer", "", std::nullopt, 1});
    auto anna = connect();
    login(anna, "anna", "wachtwoord12");
    call(anna, {{"type", "join"}, {"room_id", 1}});
    peers[anna]->frames.clear();
    auto first = call(anna, {{"type", "post"}, {"room_id", 1}, {"body", "hoi"}, {"client_msg_id", "k1"}});
    auto retry = call(anna, {{"type", "post"}, {"room_id", 1}, {"body", "hoi"}, {"client_msg_id", "k1"}});
    EXPECT_EQ(first["result"]["seq"], retry["result"]["seq"]);
    EXPECT_FALSE(first["result"].contains("duplicate"));
    EXPECT_TRUE(retry["result"]["duplicate"].get<bool>());
    int events = 0;
    for (const auto& f : peers[anna]->frames) events += f.value("event", "") == "message";
    EXPECT_EQ(events, 1);

    // Muted since: a retry of what was stored is still acknowledged, a new post is not.
    store.set_mute(1, store.find_account_by_handle("anna")->id, now + 60'000);
    auto late_retry = call(anna, {{"type", "post"}, {"room_id", 1}, {"body", "hoi"}, {"client_msg_id", "k1"}});
    EXPECT_EQ(late_retry["result"]["seq"], first["result"]["seq"]) << late_retry.dump();
    EXPECT_EQ(code(call(anna, {{"type", "post"}, {"room_id", 1}, {"body", "nieuw"}, {"client_msg_id", "k2"}})), "muted");
}

}  // namespace
