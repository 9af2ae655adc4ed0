// End-to-end: what was acknowledged survives a crash. Clients post with unique client message
// ids and note an id only when its acknowledgement arrives; the server is killed with SIGKILL at
// a random moment and started again on the same database; the clients resend what was not
// acknowledged. After every cycle the database must hold every acknowledged post exactly once,
// nothing nobody sent, gap-free sequences per room, and pass integrity_check.
//
// VRAAGBAAK_CRASH_CYCLES sets the number of cycles (default 20).

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <thread>

#include "support/server_process.hpp"
#include "support/temp_dir.hpp"
#include "support/test_client.hpp"

using namespace vraagbaak::test;
using nlohmann::json;

namespace {

const std::string kPassword = "een-lang-wachtwoord";
constexpr int kRooms = 3;
constexpr int kClients = 4;

// Read-only queries against the database file of a stopped server.
class Db {
public:
    explicit Db(const std::string& path) {
        if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK)
            throw std::runtime_error("cannot open " + path);
    }
    ~Db() { sqlite3_close(db_); }
    std::vector<std::vector<std::string>> rows(const std::string& sql) {
        sqlite3_stmt* st = nullptr;
        if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &st, nullptr) != SQLITE_OK)
            throw std::runtime_error(sqlite3_errmsg(db_));
        std::vector<std::vector<std::string>> out;
        while (sqlite3_step(st) == SQLITE_ROW) {
            std::vector<std::string> row;
            for (int i = 0; i < sqlite3_column_count(st); ++i) {
                auto* text = sqlite3_column_text(st, i);
                row.emplace_back(text ? reinterpret_cast<const char*>(text) : "");
            }
            out.push_back(std::move(row));
        }
        sqlite3_finalize(st);
        return out;
    }

private:
    sqlite3* db_ = nullptr;
};

struct Post {
    int room = 0;
    std::string body;
};

// What the clients know: everything they sent, and what was acknowledged.
struct Ledger {
    std::mutex mutex;
    std::map<std::string, Post> sent;        // client_msg_id → post
    std::set<std::string> acknowledged;
    std::map<std::string, int> pending;      // sent, not acknowledged: client_msg_id → client
};

class CrashE2E : public ::testing::Test {
protected:
    void SetUp() override {
        admin(db, {"add-org", "--name", "Buurtteam Oost", "--code", "BTO"});
        for (int c = 0; c < kClients; ++c)
            admin(db, {"add-user", "--handle", handle(c), "--name", "Schrijver " + std::to_string(c), "--org", "BTO",
                       "--password-stdin"},
                  kPassword + "\n");
        for (int r = 1; r <= kRooms; ++r) admin(db, {"add-room", "--name", "kamer-" + std::to_string(r)});
    }
    static std::string handle(int c) { return "schrijver" + std::to_string(c); }

    std::unique_ptr<TestClient> connect(int c) {
        auto client = std::make_unique<TestClient>(server->port());
        client->login(handle(c), kPassword);
        for (int r = 1; r <= kRooms; ++r) client->call({{"type", "join"}, {"room_id", r}});
        return client;
    }
    // Sends one post; true when acknowledged.
    bool send(TestClient& client, const std::string& id, const Post& post) {
        auto reply = client.call({{"type", "post"}, {"room_id", post.room}, {"body", post.body}, {"client_msg_id", id}}, 3s);
        if (reply.value("ok", false) && reply["result"].value("duplicate", false)) ++stored_before_ack;
        return reply.value("ok", false);
    }
    std::atomic<int> stored_before_ack{0};  // resent posts the crash had stored but not acknowledged
    std::atomic<int> resent{0};

    TempDir dir;
    std::string db = dir.file("crash.db");
    std::unique_ptr<ServerProcess> server;
    Ledger ledger;
};

TEST_F(CrashE2E, AcknowledgedPostsSurviveSigkill) {
    int cycles = 20;
    if (const char* env = std::getenv("VRAAGBAAK_CRASH_CYCLES")) cycles = std::max(1, std::atoi(env));
    std::mt19937 random(20261123);
    long long recovery_total_ms = 0, recovery_max_ms = 0;
    std::size_t lost = 0, duplicates = 0, phantoms = 0, gaps = 0;

    for (int cycle = 0; cycle <= cycles; ++cycle) {
        const auto started = std::chrono::steady_clock::now();
        server = std::make_unique<ServerProcess>(db);
        const long long recovery_ms =
            std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count();
        if (cycle > 0) {
            recovery_total_ms += recovery_ms;
            recovery_max_ms = std::max(recovery_max_ms, recovery_ms);
        }
        const bool last = cycle == cycles;
        std::atomic<bool> stop{false};
        std::vector<std::thread> writers;
        for (int c = 0; c < kClients; ++c) {
            writers.emplace_back([&, c] {
                try {
                    auto client = connect(c);
                    // First what was not acknowledged before the crash, with the same ids.
                    std::vector<std::pair<std::string, Post>> resend;
                    {
                        std::lock_guard lock(ledger.mutex);
                        for (const auto& [id, owner] : ledger.pending)
                            if (owner == c) resend.emplace_back(id, ledger.sent[id]);
                    }
                    resent += static_cast<int>(resend.size());
                    for (const auto& [id, post] : resend)
                        if (send(*client, id, post)) {
                            std::lock_guard lock(ledger.mutex);
                            ledger.acknowledged.insert(id);
                            ledger.pending.erase(id);
                        }
                    for (int n = 0; !stop && !last; ++n) {
                        const std::string id = "c" + std::to_string(cycle) + "-w" + std::to_string(c) + "-" + std::to_string(n);
                        Post post{1 + (n + c) % kRooms, "bericht " + id};
                        {
                            std::lock_guard lock(ledger.mutex);
                            ledger.sent[id] = post;
                            ledger.pending[id] = c;
                        }
                        if (!send(*client, id, post)) break;
                        std::lock_guard lock(ledger.mutex);
                        ledger.acknowledged.insert(id);
                        ledger.pending.erase(id);
                    }
                } catch (const std::exception&) {
                    // The server died under us: what is pending stays pending.
                }
            });
        }
        if (!last) {
            std::this_thread::sleep_for(std::chrono::milliseconds(150 + random() % 450));
            server->kill();  // SIGKILL: no shutdown, no checkpoint
        }
        stop = true;
        for (auto& w : writers) w.join();
        if (last) {
            ASSERT_EQ(server->stop(), 0);
        }
        server.reset();

        // The database as the crash left it.
        Db check(db);
        ASSERT_EQ(check.rows("PRAGMA integrity_check").at(0).at(0), "ok") << "cycle " << cycle;
        std::map<std::string, int> stored;  // client_msg_id → copies
        for (const auto& row : check.rows("SELECT client_msg_id FROM messages WHERE client_msg_id IS NOT NULL"))
            ++stored[row[0]];
        std::lock_guard lock(ledger.mutex);
        for (const auto& id : ledger.acknowledged)
            if (!stored.count(id)) ++lost;
        for (const auto& [id, copies] : stored) {
            if (copies > 1) ++duplicates;
            if (!ledger.sent.count(id)) ++phantoms;
        }
        for (int r = 1; r <= kRooms; ++r) {
            const std::string room = std::to_string(r);
            auto seqs = check.rows("SELECT seq FROM messages WHERE room_id = " + room +
                                   " UNION ALL SELECT seq FROM room_events WHERE room_id = " + room + " ORDER BY 1");
            const long long last_seq = std::stoll(check.rows("SELECT last_seq FROM rooms WHERE id = " + room).at(0).at(0));
            if (static_cast<long long>(seqs.size()) != last_seq) ++gaps;
            for (std::size_t i = 0; i < seqs.size(); ++i) {
                if (std::stoll(seqs[i][0]) != static_cast<long long>(i) + 1) {
                    ++gaps;
                    break;
                }
            }
        }
        EXPECT_EQ(lost, 0u) << "cycle " << cycle;
        EXPECT_EQ(duplicates, 0u) << "cycle " << cycle;
        EXPECT_EQ(phantoms, 0u) << "cycle " << cycle;
        EXPECT_EQ(gaps, 0u) << "cycle " << cycle;
    }
    std::lock_guard lock(ledger.mutex);
    EXPECT_TRUE(ledger.pending.empty()) << "after the last restart every post was acknowledged";
    EXPECT_EQ(ledger.acknowledged.size(), ledger.sent.size());
    std::cout << "crash: " << cycles << " cycles, " << ledger.sent.size() << " sent, " << ledger.acknowledged.size()
              << " acknowledged (" << resent << " resent after a crash, " << stored_before_ack
              << " of them stored before it), lost " << lost << ", duplicates " << duplicates << ", phantoms " << phantoms
              << ", sequence gaps " << gaps << ", recovery mean " << recovery_total_ms / std::max(1, cycles)
              << " ms, max " << recovery_max_ms << " ms\n";
}

}  // namespace
