// A disk that fails in the middle of requests: every write and sync of the database returns an
// I/O error (SQLITE_IOERR) until it recovers. What was refused must not be acknowledged, stored or
// broadcast; the hub keeps serving; after recovery writes go on with the next sequence number,
// and the file is intact.

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sqlite3.h>

#include <iostream>

#include "core/hub.hpp"
#include "storage/sqlite_store.hpp"
#include "support/fake_peer.hpp"
#include "support/hub_calls.hpp"
#include "support/faulty_vfs.hpp"
#include "support/temp_dir.hpp"

namespace c = vraagbaak::core;
namespace s = vraagbaak::storage;
using nlohmann::json;

namespace {

using vraagbaak::test::FakePeer;

s::SqliteOptions faulty_options(const std::string& path) {
    s::SqliteOptions options{path};
    options.vfs = "faulty";
    return options;
}

class IoErrorTest : public ::testing::Test {
protected:
    void SetUp() override {
        vraagbaak::test::seed_people(store, {"anna", "bram"});
    }
    void TearDown() override { failing = false; }

    c::ConnectionId logged_in(const std::string& handle) {
        auto id = static_cast<c::ConnectionId>(peers.size() + 1);
        peers.push_back(std::make_shared<FakePeer>());
        hub.open(id, peers.back());
        call(id, {{"type", "hello"}, {"versions", {1}}});
        EXPECT_EQ(code(call(id, {{"type", "login"}, {"handle", handle}, {"password", "wachtwoord"}})), "ok");
        EXPECT_EQ(code(call(id, {{"type", "join"}, {"room_id", 1}})), "ok");
        return id;
    }
    json call(c::ConnectionId id, json request) {
        return vraagbaak::test::call(hub, id, *peers[id - 1], std::move(request), next_request);
    }
    static std::string code(const json& reply) {
        return reply.value("ok", false) ? "ok" : reply["error"]["code"].get<std::string>();
    }
    static std::vector<std::string> bodies_seen(const FakePeer& peer) {
        std::vector<std::string> out;
        for (const auto& f : peer.frames)
            if (f.value("event", "") == "message") out.push_back(f["message"]["body"]);
        return out;
    }

    std::atomic<bool>& failing = vraagbaak::test::faulty_vfs_switch();
    vraagbaak::test::TempDir dir;
    std::string path = dir.file("io.db");
    s::SqliteStore store{faulty_options(path)};
    c::InlineOffloader offloader;
    c::Hub hub{store, offloader, {}};
    std::vector<std::shared_ptr<FakePeer>> peers;
    int next_request = 0;
};

TEST_F(IoErrorTest, FailedWritesAreRefusedUnacknowledgedAndLeaveNoTrace) {
    auto anna = logged_in("anna");
    auto bram = logged_in("bram");
    auto before = call(anna, {{"type", "post"}, {"room_id", 1}, {"body", "voor de storing"}});
    ASSERT_EQ(code(before), "ok");
    const auto seq_before = before["result"]["seq"].get<std::int64_t>();

    failing = true;
    int refused = 0;
    const int tried = 5;
    for (int i = 0; i < tried; ++i) {
        auto reply = call(anna, {{"type", "post"}, {"room_id", 1}, {"body", "tijdens de storing " + std::to_string(i)},
                                 {"client_msg_id", "storing-" + std::to_string(i)}});
        if (code(reply) == "storage_unavailable") ++refused;
    }
    // Other kinds of writes fail the same way; reads still answer.
    EXPECT_EQ(code(call(bram, {{"type", "leave"}, {"room_id", 1}})), "storage_unavailable");
    EXPECT_EQ(code(call(bram, {{"type", "history"}, {"room_id", 1}})), "ok");
    failing = false;

    auto after = call(anna, {{"type", "post"}, {"room_id", 1}, {"body", "na de storing"}});
    ASSERT_EQ(code(after), "ok");
    // A retry of a refused post is stored now, once.
    auto retry = call(anna, {{"type", "post"}, {"room_id", 1}, {"body", "tijdens de storing 0"}, {"client_msg_id", "storing-0"}});
    ASSERT_EQ(code(retry), "ok");
    std::cout << "[ figures  ] I/O errors: " << tried << " posts tried, " << refused
              << " refused with storage_unavailable, 0 acknowledged, 0 broadcast; next seq "
              << after["result"]["seq"] << " after " << seq_before << "\n";
    EXPECT_EQ(refused, tried);
    EXPECT_EQ(after["result"]["seq"].get<std::int64_t>(), seq_before + 1) << "no gap, nothing half-stored";
    EXPECT_EQ(retry["result"]["seq"].get<std::int64_t>(), seq_before + 2);
    EXPECT_EQ(bodies_seen(*peers[bram - 1]),
              (std::vector<std::string>{"voor de storing", "na de storing", "tijdens de storing 0"}));
    EXPECT_FALSE(peers[anna - 1]->closed_with);

    // The file, opened afresh with the ordinary VFS, is intact and holds exactly these.
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
    sqlite3_stmt* st = nullptr;
    sqlite3_prepare_v2(db, "SELECT (SELECT COUNT(*) FROM messages WHERE body LIKE '%storing%'), (SELECT integrity_check FROM pragma_integrity_check)", -1, &st, nullptr);
    ASSERT_EQ(sqlite3_step(st), SQLITE_ROW);
    EXPECT_EQ(sqlite3_column_int(st, 0), 3);
    EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(st, 1)), "ok");
    sqlite3_finalize(st);
    sqlite3_close(db);
}

}  // namespace
