#include "core/hub.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "core/password.hpp"
#include "storage/sqlite_store.hpp"
#include "support/fake_peer.hpp"
#include "support/temp_dir.hpp"

namespace c = vraagbaak::core;
namespace s = vraagbaak::storage;
using nlohmann::json;

namespace {

using vraagbaak::test::FakePeer;

class HubTest : public ::testing::Test {
protected:
    void SetUp() override {
        c::init_crypto();
        for (const char* handle : {"anna", "bram", "carla"})
            store.create_account({handle, std::string("Name ") + handle, std::nullopt,
                                  c::hash_password("wachtwoord", c::PasswordCost::minimal()), 1});
        store.create_room({"schulden", "", std::nullopt, 1});
    }

    std::shared_ptr<FakePeer> connect() {
        auto peer = std::make_shared<FakePeer>();
        hub.open(++next_id, peer);
        peers[next_id] = peer;
        return peer;
    }
    // Sends a request and returns the one reply to it (asserting there is exactly one).
    json call(c::ConnectionId conn, json request) {
        request["id"] = "q" + std::to_string(++next_request);
        hub.on_frame(conn, request.dump());
        auto frames = peers[conn]->frames;
        json reply;
        int replies = 0;
        for (const auto& f : frames)
            if (f.contains("reply_to") && f["reply_to"] == request["id"]) {
                reply = f;
                ++replies;
            }
        EXPECT_EQ(replies, 1) << request.dump();
        return reply;
    }
    c::ConnectionId logged_in(const std::string& handle) {
        connect();
        auto id = next_id;
        EXPECT_TRUE(call(id, {{"type", "hello"}, {"versions", {1}}})["ok"].get<bool>());
        auto reply = call(id, {{"type", "login"}, {"handle", handle}, {"password", "wachtwoord"}});
        EXPECT_TRUE(reply["ok"].get<bool>()) << reply.dump();
        peers[id]->take();
        return id;
    }
    static std::string code(const json& reply) {
        return reply["ok"].get<bool>() ? "ok" : reply["error"]["code"].get<std::string>();
    }

    vraagbaak::test::TempDir dir;
    s::SqliteStore store{{dir.file("hub.db")}};
    c::InlineOffloader offloader;
    std::int64_t now = 1000;
    c::Hub hub{store, offloader, {}, [this] { return now; }};
    std::map<c::ConnectionId, std::shared_ptr<FakePeer>> peers;
    c::ConnectionId next_id = 0;
    int next_request = 0;
};

TEST_F(HubTest, HelloFirstThenLogin) {
    auto peer = connect();
    EXPECT_EQ(code(call(1, {{"type", "list_rooms"}})), "hello_required");
    EXPECT_EQ(code(call(1, {{"type", "login"}, {"handle", "anna"}, {"password", "wachtwoord"}})), "hello_required");
    auto hello = call(1, {{"type", "hello"}, {"versions", {1}}, {"client", "test"}});
    EXPECT_EQ(hello["result"]["version"], 1);
    EXPECT_EQ(hello["result"]["limits"]["max_frame_bytes"], 65536);
    EXPECT_EQ(code(call(1, {{"type", "hello"}, {"versions", {1}}})), "already_said_hello");
    EXPECT_EQ(code(call(1, {{"type", "list_rooms"}})), "auth_required");
    auto login = call(1, {{"type", "login"}, {"handle", "anna"}, {"password", "wachtwoord"}});
    EXPECT_EQ(login["result"]["account"]["handle"], "anna");
    EXPECT_EQ(code(call(1, {{"type", "login"}, {"handle", "anna"}, {"password", "wachtwoord"}})), "already_logged_in");
}

TEST_F(HubTest, UnsupportedVersionIsRefused) {
    connect();
    EXPECT_EQ(code(call(1, {{"type", "hello"}, {"versions", {2, 3}}})), "unsupported_version");
    EXPECT_EQ(code(call(1, {{"type", "list_rooms"}})), "hello_required");
}

TEST_F(HubTest, WrongPasswordAndUnknownHandleLookAlike) {
    connect();
    call(1, {{"type", "hello"}, {"versions", {1}}});
    auto wrong = call(1, {{"type", "login"}, {"handle", "anna"}, {"password", "fout"}});
    auto unknown = call(1, {{"type", "login"}, {"handle", "nobody"}, {"password", "fout"}});
    EXPECT_EQ(code(wrong), "bad_credentials");
    EXPECT_EQ(wrong["error"], unknown["error"]);
}

TEST_F(HubTest, MalformedFramesGetTypedErrorsAndTheConnectionStaysUsable) {
    auto peer = connect();
    hub.on_frame(1, "{not json");
    hub.on_frame(1, "[]");
    hub.on_frame(1, R"({"id":"z","type":"fly"})");
    auto frames = peer->take();
    ASSERT_EQ(frames.size(), 3u);
    EXPECT_EQ(frames[0]["error"]["code"], "malformed_json");
    EXPECT_TRUE(frames[0]["reply_to"].is_null());
    EXPECT_EQ(frames[1]["error"]["code"], "invalid_request");
    EXPECT_EQ(frames[2]["error"]["code"], "unknown_type");
    EXPECT_EQ(frames[2]["reply_to"], "z");
    EXPECT_EQ(code(call(1, {{"type", "hello"}, {"versions", {1}}})), "ok");
}

TEST_F(HubTest, PostNeedsMembershipAndStoresNothingOtherwise) {
    auto anna = logged_in("anna");
    EXPECT_EQ(code(call(anna, {{"type", "post"}, {"room_id", 1}, {"body", "hoi"}})), "not_member");
    EXPECT_EQ(code(call(anna, {{"type", "post"}, {"room_id", 99}, {"body", "hoi"}})), "room_not_found");
    EXPECT_EQ(code(call(anna, {{"type", "history"}, {"room_id", 1}})), "not_member");
    EXPECT_EQ(store.find_room(1, std::nullopt)->last_seq, 0);
}

TEST_F(HubTest, PostIsRepliedThenBroadcastToEveryMemberWithTheSameSeq) {
    auto anna = logged_in("anna");
    auto bram = logged_in("bram");
    auto carla = logged_in("carla");  // not a member: must hear nothing
    call(anna, {{"type", "join"}, {"room_id", 1}});
    call(bram, {{"type", "join"}, {"room_id", 1}});
    for (auto& [id, peer] : peers) peer->take();

    auto reply = call(anna, {{"type", "post"}, {"room_id", 1}, {"body", "Wie weet raad?"}});
    EXPECT_EQ(reply["result"]["seq"], 3) << "after the two joins";
    auto to_anna = peers[anna]->take();
    ASSERT_EQ(to_anna.size(), 2u);
    EXPECT_TRUE(to_anna[0].contains("reply_to")) << "the reply comes before the event";
    EXPECT_EQ(to_anna[1]["event"], "message");
    auto to_bram = peers[bram]->take();
    ASSERT_EQ(to_bram.size(), 1u);
    EXPECT_EQ(to_bram[0]["message"]["seq"], 3);
    EXPECT_EQ(to_bram[0]["message"]["body"], "Wie weet raad?");
    EXPECT_EQ(to_bram[0]["message"]["author"]["handle"], "anna");
    EXPECT_EQ(to_bram[0]["message"]["ts_ms"], now);
    EXPECT_TRUE(peers[carla]->take().empty());
}

TEST_F(HubTest, JoinAndLeaveAreAnnouncedToTheRoom) {
    auto anna = logged_in("anna");
    auto bram = logged_in("bram");
    call(anna, {{"type", "join"}, {"room_id", 1}});
    peers[anna]->take();
    auto join = call(bram, {{"type", "join"}, {"room_id", 1}});
    EXPECT_TRUE(join["result"]["room"]["joined"].get<bool>());
    EXPECT_EQ(join["result"]["room"]["member_count"], 2);
    auto seen = peers[anna]->take();
    ASSERT_EQ(seen.size(), 1u);
    EXPECT_EQ(seen[0]["event"], "member_joined");
    EXPECT_EQ(seen[0]["member"]["handle"], "bram");
    EXPECT_EQ(seen[0]["seq"], 2) << "the room's second event, after anna's join";
    EXPECT_EQ(join["result"]["room"]["last_seq"], 2);

    EXPECT_EQ(code(call(bram, {{"type", "join"}, {"room_id", 1}})), "ok") << "joining again is harmless";
    EXPECT_TRUE(peers[anna]->take().empty()) << "and announces nothing";

    EXPECT_EQ(code(call(bram, {{"type", "leave"}, {"room_id", 1}})), "ok");
    seen = peers[anna]->take();
    ASSERT_EQ(seen.size(), 1u);
    EXPECT_EQ(seen[0]["event"], "member_left");
    EXPECT_EQ(seen[0]["seq"], 3);
    EXPECT_EQ(code(call(bram, {{"type", "leave"}, {"room_id", 1}})), "not_member");
    peers[bram]->take();
    call(anna, {{"type", "post"}, {"room_id", 1}, {"body", "na vertrek"}});
    for (const auto& f : peers[bram]->take()) EXPECT_FALSE(f.contains("event")) << f.dump();
}

TEST_F(HubTest, MembershipFollowsTheAccountToEveryConnection) {
    auto anna1 = logged_in("anna");
    auto anna2 = logged_in("anna");
    call(anna1, {{"type", "join"}, {"room_id", 1}});
    EXPECT_EQ(peers[anna2]->take().size(), 1u) << "the other connection hears of the join too";
    peers[anna1]->take();
    call(anna2, {{"type", "post"}, {"room_id", 1}, {"body", "vanaf mijn tweede apparaat"}});
    auto seen = peers[anna1]->take();
    ASSERT_EQ(seen.size(), 1u);
    EXPECT_EQ(seen[0]["message"]["body"], "vanaf mijn tweede apparaat");
}

TEST_F(HubTest, MembershipIsRestoredAtLogin) {
    auto anna = logged_in("anna");
    call(anna, {{"type", "join"}, {"room_id", 1}});
    hub.close(anna);
    auto again = logged_in("anna");
    EXPECT_EQ(code(call(again, {{"type", "post"}, {"room_id", 1}, {"body", "terug"}})), "ok");
}

TEST_F(HubTest, CreateRoomJoinsTheCreatorAndRefusesDuplicates) {
    auto anna = logged_in("anna");
    auto created = call(anna, {{"type", "create_room"}, {"name", "wonen"}, {"topic", "Huisvesting"}});
    EXPECT_EQ(created["result"]["room"]["member_count"], 1);
    EXPECT_TRUE(created["result"]["room"]["joined"].get<bool>());
    auto again = call(anna, {{"type", "create_room"}, {"name", "Wonen"}});
    EXPECT_EQ(code(again), "room_exists");
    EXPECT_EQ(again["error"]["field"], "name");
    auto rooms = call(anna, {{"type", "list_rooms"}})["result"]["rooms"];
    EXPECT_EQ(rooms.size(), 2u);
}

TEST_F(HubTest, HistoryPagesWithSequenceNumbers) {
    auto anna = logged_in("anna");
    call(anna, {{"type", "join"}, {"room_id", 1}});
    for (int i = 1; i <= 5; ++i) call(anna, {{"type", "post"}, {"room_id", 1}, {"body", "m" + std::to_string(i)}});
    auto page = call(anna, {{"type", "history"}, {"room_id", 1}, {"limit", 2}})["result"];
    EXPECT_EQ(page["messages"].size(), 2u);
    EXPECT_EQ(page["messages"][0]["seq"], 5) << "seq 1 is anna's join";
    EXPECT_TRUE(page["has_more"].get<bool>());
    page = call(anna, {{"type", "history"}, {"room_id", 1}, {"after", 4}})["result"];
    EXPECT_EQ(page["messages"].size(), 2u);
    EXPECT_FALSE(page["has_more"].get<bool>());
}

TEST_F(HubTest, ConfiguredBodyLimitIsEnforced) {
    c::Hub small{store, offloader, {"t", 65536, 10}};
    auto peer = std::make_shared<FakePeer>();
    small.open(1, peer);
    small.on_frame(1, R"({"id":"1","type":"hello","versions":[1]})");
    small.on_frame(1, R"({"id":"2","type":"login","handle":"anna","password":"wachtwoord"})");
    small.on_frame(1, R"({"id":"3","type":"join","room_id":1})");
    small.on_frame(1, R"({"id":"4","type":"post","room_id":1,"body":"elf tekens!"})");
    auto frames = peer->take();
    ASSERT_FALSE(frames.empty());
    EXPECT_EQ(frames.back()["reply_to"], "4");
    EXPECT_EQ(frames.back()["error"]["code"], "too_long");
    EXPECT_EQ(store.find_room(1, std::nullopt)->last_seq, 1) << "only the join";
}

TEST_F(HubTest, CloseAllClosesEveryPeer) {
    auto a = connect();
    auto b = connect();
    hub.close_all(c::CloseCode::going_away, "bye");
    EXPECT_EQ(a->closed_with, c::CloseCode::going_away);
    EXPECT_EQ(b->closed_with, c::CloseCode::going_away);
}

TEST_F(HubTest, FramesForAClosedConnectionAreIgnored) {
    auto peer = connect();
    hub.close(1);
    hub.on_frame(1, R"({"id":"1","type":"hello","versions":[1]})");
    EXPECT_TRUE(peer->frames.empty());
    EXPECT_EQ(hub.connection_count(), 0u);
}

}  // namespace
