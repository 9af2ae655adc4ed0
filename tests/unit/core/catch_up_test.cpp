// Reads shared between viewers: everyone who resumes a room from the same cursor, or asks for the
// same page of history, gets what was read and encoded once — except their own messages (marked
// own, with their identity) — and a change to what was said is never served from a shared copy.

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "core/hub.hpp"
#include "storage/sqlite_store.hpp"
#include "support/fake_peer.hpp"
#include "support/hub_calls.hpp"
#include "support/metrics.hpp"
#include "support/temp_dir.hpp"

namespace c = vraagbaak::core;
namespace s = vraagbaak::storage;
using nlohmann::json;

namespace {

using vraagbaak::test::FakePeer;

class CatchUpTest : public ::testing::Test {
protected:
    void SetUp() override {
        vraagbaak::test::seed_people(store, {"anna", "bram", "carla", "daan"});
    }

    c::ConnectionId connect() {
        auto id = static_cast<c::ConnectionId>(peers.size() + 1);
        peers.push_back(std::make_shared<FakePeer>());
        hub.open(id, peers.back());
        call(id, {{"type", "hello"}, {"versions", {1}}});
        return id;
    }
    // Logged in and joined; returns the session token.
    std::string sign_in(const std::string& handle) {
        auto id = connect();
        std::string token = call(id, {{"type", "login"}, {"handle", handle}, {"password", "wachtwoord"}})["result"]["token"];
        call(id, {{"type", "join"}, {"room_id", 1}});
        connection_of[handle] = id;
        return token;
    }
    json call(c::ConnectionId id, json request) {
        return vraagbaak::test::call(hub, id, *peers[id - 1], std::move(request), next_request);
    }
    // A new connection resumes from `cursor`; the message events it was sent.
    std::vector<json> resume(const std::string& token, std::int64_t cursor) {
        auto id = connect();
        peers[id - 1]->take();
        call(id, {{"type", "resume"}, {"token", token}, {"last_seen", {{{"room_id", 1}, {"seq", cursor}}}}});
        std::vector<json> out;
        for (const auto& f : peers[id - 1]->frames)
            if (f.value("event", "") == "message") out.push_back(f["message"]);
        return out;
    }

    vraagbaak::test::TempDir dir;
    s::SqliteStore store{s::SqliteOptions{dir.file("catch-up.db")}};
    c::InlineOffloader offloader;
    c::Hub hub{store, offloader, {}};
    std::vector<std::shared_ptr<FakePeer>> peers;
    std::map<std::string, c::ConnectionId> connection_of;
    int next_request = 0;
};

TEST_F(CatchUpTest, ResumesFromTheSameCursorShareOneReadButEachSeesItsOwnMessagesAsOwn) {
    auto anna = sign_in("anna");
    auto bram = sign_in("bram");
    auto carla = sign_in("carla");
    auto daan = sign_in("daan");
    const std::int64_t cursor = call(connection_of["daan"], {{"type", "post"}, {"room_id", 1}, {"body", "begin"}})["result"]["seq"];
    call(connection_of["anna"], {{"type", "post"}, {"room_id", 1}, {"body", "anoniem gevraagd"}, {"level", "anonymous"}});
    call(connection_of["bram"], {{"type", "post"}, {"room_id", 1}, {"body", "met naam"}});

    const auto queries_before = vraagbaak::metrics::get().store_queries.load();
    auto seen_by_carla = resume(carla, cursor);
    const auto queries_first = vraagbaak::metrics::get().store_queries.load() - queries_before;
    auto seen_by_daan = resume(daan, cursor);
    const auto queries_second = vraagbaak::metrics::get().store_queries.load() - queries_before - queries_first;
    auto seen_by_anna = resume(anna, cursor);
    auto seen_by_bram = resume(bram, cursor);
    EXPECT_LT(queries_second, queries_first) << "the second resume from the same cursor reads no history";

    ASSERT_EQ(seen_by_carla.size(), 2u);
    EXPECT_EQ(seen_by_carla, seen_by_daan);
    // The anonymous question: nobody else learns who asked; its author sees it as her own.
    EXPECT_FALSE(seen_by_carla[0].value("own", false));
    EXPECT_EQ(seen_by_carla[0]["author"].value("handle", ""), "");
    ASSERT_EQ(seen_by_anna.size(), 2u);
    EXPECT_TRUE(seen_by_anna[0].value("own", false));
    EXPECT_EQ(seen_by_anna[0]["author"]["handle"], "anna");
    EXPECT_EQ(seen_by_anna[1], seen_by_carla[1]);
    ASSERT_EQ(seen_by_bram.size(), 2u);
    EXPECT_EQ(seen_by_bram[0], seen_by_carla[0]);
    EXPECT_TRUE(seen_by_bram[1].value("own", false));
}

TEST_F(CatchUpTest, AnyOtherRequestDropsTheSharedCopy) {
    sign_in("anna");
    auto carla = sign_in("carla");
    const std::int64_t cursor = call(connection_of["anna"], {{"type", "post"}, {"room_id", 1}, {"body", "een"}})["result"]["seq"];
    call(connection_of["anna"], {{"type", "post"}, {"room_id", 1}, {"body", "twee"}});
    ASSERT_EQ(resume(carla, cursor).size(), 1u);
    // Another kind of request (anything but a sign-in, a post, a join or a read; here a room list)
    // may have changed what was said: the next resume reads afresh, so it costs more again.
    const auto before = vraagbaak::metrics::get().store_queries.load();
    resume(carla, cursor);
    const auto shared = vraagbaak::metrics::get().store_queries.load() - before;
    call(connection_of["anna"], {{"type", "list_rooms"}});
    const auto before_fresh = vraagbaak::metrics::get().store_queries.load();
    ASSERT_EQ(resume(carla, cursor).size(), 1u);
    const auto fresh = vraagbaak::metrics::get().store_queries.load() - before_fresh;
    EXPECT_GT(fresh, shared);
}

TEST_F(CatchUpTest, AHistoryPageIsSharedByThoseWhoWroteNoneOfItAndOwnForItsAuthors) {
    sign_in("anna");
    sign_in("bram");
    sign_in("carla");
    sign_in("daan");
    call(connection_of["anna"], {{"type", "post"}, {"room_id", 1}, {"body", "anoniem"}, {"level", "anonymous"}});
    call(connection_of["bram"], {{"type", "post"}, {"room_id", 1}, {"body", "met naam"}});
    auto page = [&](const std::string& who) {
        return call(connection_of[who], {{"type", "history"}, {"room_id", 1}, {"limit", 10}})["result"];
    };
    auto& queries = vraagbaak::metrics::get().store_queries;
    auto before = queries.load();
    auto carla = page("carla");
    const auto first = queries.load() - before;
    before = queries.load();
    auto daan = page("daan");
    const auto second = queries.load() - before;
    EXPECT_LT(second, first) << "the second reader got the page without reading the messages";
    EXPECT_EQ(carla, daan);
    ASSERT_EQ(carla["messages"].size(), 2u);
    EXPECT_EQ(carla["messages"][0]["author"].value("handle", ""), "") << "anonymous to others";
    auto anna = page("anna");
    EXPECT_TRUE(anna["messages"][0].value("own", false));
    EXPECT_EQ(anna["messages"][0]["author"]["handle"], "anna");
    EXPECT_EQ(anna["messages"][1], carla["messages"][1]);
    // A new post changes the room's newest seq: the next page is read afresh and holds it.
    call(connection_of["bram"], {{"type", "post"}, {"room_id", 1}, {"body", "nog een"}});
    EXPECT_EQ(page("daan")["messages"].size(), 3u);
}

TEST_F(CatchUpTest, AKeptPageTakesTheNewestPostsAndIsWhatAFreshReadWouldBe) {
    sign_in("anna");
    sign_in("bram");
    sign_in("carla");
    sign_in("daan");
    auto post = [&](const std::string& who, const std::string& body, const std::string& level = "named") {
        call(connection_of[who], {{"type", "post"}, {"room_id", 1}, {"body", body}, {"level", level}});
    };
    auto page = [&](const std::string& who) {
        return call(connection_of[who], {{"type", "history"}, {"room_id", 1}, {"limit", 3}})["result"];
    };
    // What a read of the store gives now: any other request (a room list) drops the kept pages.
    auto fresh = [&](const std::string& who) {
        call(connection_of["anna"], {{"type", "list_rooms"}});
        return page(who);
    };
    auto& extended = vraagbaak::metrics::get().history_pages_extended;
    post("anna", "een", "anonymous");
    post("bram", "twee");
    page("carla");  // read whole and kept

    // Two more: the page overflows its limit of 3, so the oldest goes and has_more turns true.
    post("anna", "drie", "anonymous");
    post("bram", "vier");
    auto before = extended.load();
    auto taken = page("daan");
    EXPECT_EQ(extended.load(), before + 1) << "the kept page took the new posts";
    ASSERT_EQ(taken["messages"].size(), 3u);
    EXPECT_EQ(taken["messages"][0]["body"], "twee");
    EXPECT_EQ(taken["messages"][2]["body"], "vier");
    EXPECT_TRUE(taken["has_more"]);
    EXPECT_EQ(taken["messages"][1]["author"].value("handle", ""), "") << "still anonymous to others";
    EXPECT_EQ(taken, fresh("daan"));

    // Extended again: carla gets what daan got, read from nothing but the new post.
    page("carla");
    post("bram", "vijf");
    before = extended.load();
    auto again = page("carla");
    EXPECT_EQ(extended.load(), before + 1);
    EXPECT_EQ(again, fresh("daan"));

    // Her own new post: carla's page is her own (marked own), not an extension for everyone.
    page("daan");
    post("carla", "zes");
    before = extended.load();
    auto own = page("carla");
    EXPECT_EQ(extended.load(), before) << "a page with the viewer's own message is not shared";
    EXPECT_TRUE(own["messages"][2].value("own", false));
    EXPECT_EQ(page("daan"), fresh("daan")) << "nor does anyone else get her view";
    // Anna wrote a message of the kept page: hers is read for her alone.
    page("daan");
    post("bram", "zeven");
    before = extended.load();
    EXPECT_EQ(page("anna"), fresh("anna"));
    EXPECT_EQ(extended.load(), before);
}

}  // namespace
