// Group commit: posts that arrive while the core is busy share one transaction, and each is
// acknowledged and broadcast only after that transaction's COMMIT. The core's queue is played by
// hand here (QueuedOffloader), so each test decides what arrives before the commit runs.

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sqlite3.h>

#include <chrono>
#include <deque>
#include <functional>
#include <optional>

#include "core/hub.hpp"
#include "storage/sqlite_store.hpp"
#include "support/fake_peer.hpp"
#include "support/hub_calls.hpp"
#include "support/faulty_vfs.hpp"
#include "support/metrics.hpp"
#include "support/temp_dir.hpp"

namespace c = vraagbaak::core;
namespace s = vraagbaak::storage;
using nlohmann::json;

namespace {

using vraagbaak::test::FakePeer;

// The core thread's queue: what the hub asks to run later waits until pump().
class QueuedOffloader final : public c::Offloader {
public:
    void run(std::function<void()> work, std::function<void()> then) override {
        work();
        queue.push_back(std::move(then));
    }
    // A wait is played as its place in the queue; how long it was asked to be is kept.
    void after(std::chrono::microseconds delay, std::function<void()> then) override {
        waits.push_back(delay.count());
        queue.push_back(std::move(then));
    }
    void pump() {
        while (pump_one()) {
        }
    }
    bool pump_one() {
        if (queue.empty()) return false;
        auto next = std::move(queue.front());
        queue.pop_front();
        next();
        return true;
    }
    std::deque<std::function<void()>> queue;
    std::vector<std::int64_t> waits;
};

c::HubConfig grouping(int max, int wait_us) {
    c::HubConfig config;
    config.group_commit_max = max;
    config.group_commit_wait_us = wait_us;
    return config;
}

class GroupCommitTest : public ::testing::Test {
protected:
    void SetUp() override {
        vraagbaak::test::seed_people(store, {"anna", "bram", "carla"});
    }
    void TearDown() override { failing = false; }

    c::ConnectionId logged_in(const std::string& handle) {
        auto id = static_cast<c::ConnectionId>(peers.size() + 1);
        peers.push_back(std::make_shared<FakePeer>());
        hub.open(id, peers.back());
        send(id, {{"type", "hello"}, {"versions", {1}}});
        send(id, {{"type", "login"}, {"handle", handle}, {"password", "wachtwoord"}});
        offloader.pump();
        send(id, {{"type", "join"}, {"room_id", 1}});
        offloader.pump();
        peers.back()->take();
        return id;
    }
    // Sends without letting the core's queue run; returns the request id.
    std::string send(c::ConnectionId id, json request) {
        request["id"] = "q" + std::to_string(++next_request);
        hub.on_frame(id, request.dump());
        return request["id"];
    }
    std::string post(c::ConnectionId id, const std::string& body) {
        return send(id, {{"type", "post"}, {"room_id", 1}, {"body", body}});
    }
    std::optional<json> reply(c::ConnectionId id, const std::string& request) const {
        return vraagbaak::test::reply_to(*peers[id - 1], request);
    }
    std::vector<std::string> bodies_seen(c::ConnectionId id) const {
        std::vector<std::string> out;
        for (const auto& f : peers[id - 1]->frames)
            if (f.value("event", "") == "message") out.push_back(f["message"]["body"]);
        return out;
    }
    // What another connection to the file sees: committed rows only.
    int committed_posts() const { return count_in_file("SELECT COUNT(*) FROM messages"); }
    int indexed(const std::string& word) const {
        return count_in_file("SELECT COUNT(*) FROM message_fts WHERE message_fts MATCH ?1", word);
    }
    int count_in_file(const char* sql, const std::optional<std::string>& word = std::nullopt) const {
        sqlite3* db = nullptr;
        sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
        sqlite3_stmt* st = nullptr;
        sqlite3_prepare_v2(db, sql, -1, &st, nullptr);
        if (word) sqlite3_bind_text(st, 1, word->c_str(), -1, SQLITE_TRANSIENT);
        int n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;
        sqlite3_finalize(st);
        sqlite3_close(db);
        return n;
    }
    std::vector<std::string> found(c::ConnectionId id, const std::string& query) {
        auto asked = send(id, {{"type", "search"}, {"query", query}});
        std::vector<std::string> out;
        if (auto r = reply(id, asked))
            for (const auto& hit : (*r)["result"]["hits"]) out.push_back(hit["message"]["body"]);
        return out;
    }
    std::atomic<bool>& failing = vraagbaak::test::faulty_vfs_switch();
    vraagbaak::test::TempDir dir;
    std::string path = dir.file("group.db");
    s::SqliteStore store{[this] {
        s::SqliteOptions options{path};
        options.vfs = "faulty";
        return options;
    }()};
    QueuedOffloader offloader;
    c::Hub hub{store, offloader, grouping(3, 100)};  // and 40 µs a post of the group before
    std::vector<std::shared_ptr<FakePeer>> peers;
    int next_request = 0;
};

TEST_F(GroupCommitTest, PostsThatArriveTogetherShareOneCommitAndAreAnsweredAfterIt) {
    auto anna = logged_in("anna");
    auto bram = logged_in("bram");
    auto carla = logged_in("carla");
    const auto groups_before = vraagbaak::metrics::get().commit_groups.load();
    auto first = post(anna, "eerste");
    auto second = post(bram, "tweede");
    // Not committed yet: nobody has heard of either post, and the file does not hold them.
    EXPECT_FALSE(reply(anna, first));
    EXPECT_FALSE(reply(bram, second));
    EXPECT_TRUE(bodies_seen(carla).empty());
    EXPECT_EQ(committed_posts(), 0);

    offloader.pump();  // the commit the first post scheduled
    ASSERT_TRUE(reply(anna, first));
    ASSERT_TRUE(reply(bram, second));
    EXPECT_TRUE((*reply(anna, first))["ok"]);
    EXPECT_EQ((*reply(bram, second))["result"]["seq"].get<int>(), (*reply(anna, first))["result"]["seq"].get<int>() + 1);
    EXPECT_EQ(bodies_seen(carla), (std::vector<std::string>{"eerste", "tweede"}));
    EXPECT_EQ(committed_posts(), 2);
    EXPECT_EQ(vraagbaak::metrics::get().commit_groups.load() - groups_before, 1u);
    // The group's posts enter the full-text index with its COMMIT.
    EXPECT_EQ(indexed("eerste"), 1);
    EXPECT_EQ(indexed("tweede"), 1);
}

TEST_F(GroupCommitTest, ASearchWaitsForTheGroupAndFindsItsPosts) {
    auto anna = logged_in("anna");
    post(anna, "schuldhulp aanvragen");
    post(anna, "schuldhulp afgewezen");
    EXPECT_EQ(indexed("schuldhulp"), 0);  // not committed yet
    const auto hits = found(anna, "schuldhulp");
    EXPECT_EQ(hits.size(), 2u);
    EXPECT_EQ(indexed("schuldhulp"), 2);
}

TEST_F(GroupCommitTest, AGroupIsCommittedWhenFull) {
    auto anna = logged_in("anna");
    auto bram = logged_in("bram");
    post(anna, "een");
    post(anna, "twee");
    EXPECT_EQ(committed_posts(), 0);
    auto third = post(anna, "drie");  // the third fills the group (at most 3 here)
    EXPECT_EQ(committed_posts(), 3);
    EXPECT_TRUE(reply(anna, third));
    auto fourth = post(anna, "vier");
    EXPECT_FALSE(reply(anna, fourth));
    offloader.pump();
    EXPECT_EQ(bodies_seen(bram), (std::vector<std::string>{"een", "twee", "drie", "vier"}));
}

TEST_F(GroupCommitTest, WhilePostsKeepComingAGroupWaitsAMomentForMore) {
    auto anna = logged_in("anna");
    auto bram = logged_in("bram");
    post(anna, "alleen");
    offloader.pump();
    post(anna, "samen een");
    post(bram, "samen twee");
    offloader.pump();
    EXPECT_TRUE(offloader.waits.empty());  // neither group followed one with company
    auto next = post(anna, "daarna");
    EXPECT_EQ(offloader.waits, (std::vector<std::int64_t>{80}));  // the last group held two
    EXPECT_FALSE(reply(anna, next));
    EXPECT_EQ(committed_posts(), 3);
    offloader.pump();
    EXPECT_TRUE(reply(anna, next));
    EXPECT_EQ(committed_posts(), 4);
    // That group held one: the next post commits without waiting.
    post(bram, "weer alleen");
    offloader.pump();
    EXPECT_EQ(offloader.waits.size(), 1u);
    EXPECT_EQ(committed_posts(), 5);
}

TEST_F(GroupCommitTest, TheLargerTheGroupBeforeTheLongerAGroupWaitsUpToTheLimit) {
    auto anna = logged_in("anna");
    auto bram = logged_in("bram");
    auto carla = logged_in("carla");
    post(anna, "een");
    post(bram, "twee");
    offloader.pump();
    post(anna, "drie");  // after a group of two: 80 µs
    post(bram, "vier");
    post(carla, "vijf");  // a full group commits at once
    EXPECT_EQ(committed_posts(), 5);
    offloader.pump();
    post(anna, "zes");  // after a group of three: 120 µs, more than the limit
    EXPECT_EQ(offloader.waits, (std::vector<std::int64_t>{80, 100}));
    offloader.pump();
    EXPECT_EQ(committed_posts(), 6);
}

TEST_F(GroupCommitTest, AGroupClosedEarlyLeavesItsWaitWithoutEffectOnTheNext) {
    auto anna = logged_in("anna");
    auto bram = logged_in("bram");
    post(anna, "een");
    post(bram, "twee");
    offloader.pump();
    post(anna, "wacht");  // waits: the group before held two
    ASSERT_EQ(offloader.waits.size(), 1u);
    send(anna, {{"type", "history"}, {"room_id", 1}});  // closes that group at once
    EXPECT_EQ(committed_posts(), 3);
    auto later = post(bram, "nieuw");  // a new group, closed after the frames queued now
    ASSERT_TRUE(offloader.pump_one());   // the first group's wait runs out
    EXPECT_FALSE(reply(bram, later));    // and leaves the new group open
    EXPECT_EQ(committed_posts(), 3);
    offloader.pump();
    EXPECT_TRUE(reply(bram, later));
    EXPECT_EQ(committed_posts(), 4);
}

TEST_F(GroupCommitTest, AnyOtherRequestWaitsForTheGroupAndSeesItsPosts) {
    auto anna = logged_in("anna");
    auto posted = post(anna, "eerst posten");
    auto history = send(anna, {{"type", "history"}, {"room_id", 1}});
    const auto& frames = peers[anna - 1]->frames;
    ASSERT_EQ(frames.size(), 3u);  // the post's reply, its broadcast, then the history
    EXPECT_EQ(frames[0]["reply_to"], posted);
    EXPECT_EQ(frames[2]["reply_to"], history);
    ASSERT_EQ(frames[2]["result"]["messages"].size(), 1u);
    EXPECT_EQ(frames[2]["result"]["messages"][0]["body"], "eerst posten");
}

TEST_F(GroupCommitTest, AFailedCommitRefusesEveryPostOfTheGroupAndLeavesNoGap) {
    auto anna = logged_in("anna");
    auto bram = logged_in("bram");
    auto before = post(anna, "voor");
    offloader.pump();
    const int seq_before = (*reply(anna, before))["result"]["seq"];
    peers[anna - 1]->take();
    peers[bram - 1]->take();
    auto first = post(anna, "een");
    auto second = post(bram, "twee");
    failing = true;  // the disk fails before the COMMIT
    offloader.pump();
    failing = false;
    ASSERT_TRUE(reply(anna, first));
    ASSERT_TRUE(reply(bram, second));
    EXPECT_EQ((*reply(anna, first))["error"]["code"], "storage_unavailable");
    EXPECT_EQ((*reply(bram, second))["error"]["code"], "storage_unavailable");
    EXPECT_TRUE(bodies_seen(anna).empty());
    EXPECT_TRUE(bodies_seen(bram).empty());
    EXPECT_EQ(committed_posts(), 1);
    EXPECT_EQ(indexed("een"), 0) << "a refused post is not in the full-text index";
    EXPECT_EQ(indexed("twee"), 0);
    EXPECT_EQ(indexed("voor"), 1);

    auto after = post(anna, "daarna");
    offloader.pump();
    ASSERT_TRUE(reply(anna, after));
    EXPECT_EQ((*reply(anna, after))["result"]["seq"], seq_before + 1) << "the refused posts took no sequence numbers";
    EXPECT_EQ(bodies_seen(bram), (std::vector<std::string>{"daarna"}));
    EXPECT_EQ(found(anna, "daarna"), (std::vector<std::string>{"daarna"}));
}

}  // namespace
