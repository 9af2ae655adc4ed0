// End-to-end: operations — an online backup under write load that holds every post
// acknowledged before it, restore with its checks, and the automatic backup before a migration.

#include <gtest/gtest.h>

#include <chrono>
#include <iostream>
#include <sqlite3.h>

#include <atomic>
#include <fstream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <thread>
#include <unistd.h>

#include "support/child_process.hpp"
#include "support/server_process.hpp"
#include "support/temp_dir.hpp"
#include "support/test_client.hpp"

using namespace vraagbaak::test;
using nlohmann::json;

namespace {

const std::string kPassword = "een-lang-wachtwoord";

// The database most of these tests start from: one account, "schrijver", and one room, "kamer".
void add_writer_and_room(const std::string& db) {
    admin(db, {"add-user", "--handle", "schrijver", "--name", "Schrijver", "--password-stdin"}, kPassword + "\n");
    admin(db, {"add-room", "--name", "kamer"});
}

// Runs one query returning integers; -1 rows when the file cannot be read.
std::vector<long long> integers(const std::string& path, const std::string& sql) {
    std::vector<long long> out;
    sqlite3* db = nullptr;
    if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
        sqlite3_stmt* stmt = nullptr;
        if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK)
            while (sqlite3_step(stmt) == SQLITE_ROW) out.push_back(sqlite3_column_int64(stmt, 0));
        sqlite3_finalize(stmt);
    }
    sqlite3_close(db);
    return out;
}

void exec(const std::string& path, const std::string& sql) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    char* error = nullptr;
    EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error), SQLITE_OK) << (error ? error : "");
    sqlite3_free(error);
    sqlite3_close(db);
}

TEST(OperationsE2E, BackupUnderLoadHoldsEveryAcknowledgedPostAndRestores) {
    TempDir dir;
    const std::string db = dir.file("live.db");
    add_writer_and_room(db);
    ServerProcess server(db);

    std::mutex mutex;
    std::set<long long> acknowledged;
    std::atomic<bool> stop{false};
    std::thread writer([&] {
        TestClient c(server.port());
        c.login("schrijver", kPassword);
        c.call({{"type", "join"}, {"room_id", 1}});
        for (int i = 0; !stop; ++i) {
            json r = c.call({{"type", "post"}, {"room_id", 1}, {"body", "bericht " + std::to_string(i)}});
            if (r.value("ok", false)) {
                std::lock_guard lock(mutex);
                acknowledged.insert(r["result"]["message_id"].get<long long>());
            }
        }
    });
    auto count = [&] {
        std::lock_guard lock(mutex);
        return acknowledged.size();
    };
    while (count() < 50) std::this_thread::sleep_for(10ms);
    std::set<long long> before_backup;
    {
        std::lock_guard lock(mutex);
        before_backup = acknowledged;
    }
    const std::string copy = dir.file("copy.db");
    admin(db, {"backup", "--to", copy});
    const std::size_t at_backup_end = count();
    while (count() < at_backup_end + 30) std::this_thread::sleep_for(10ms);  // writes went on
    stop = true;
    writer.join();

    auto in_copy = integers(copy, "SELECT id FROM messages");
    std::set<long long> copied(in_copy.begin(), in_copy.end());
    for (long long id : before_backup) EXPECT_TRUE(copied.count(id)) << "post " << id << " was acknowledged before the backup";
    EXPECT_EQ(integers(copy, "PRAGMA user_version").at(0), integers(db, "PRAGMA user_version").at(0));
    std::cout << "backup under load: " << before_backup.size() << " posts acknowledged before, " << copied.size()
              << " in the copy, " << count() << " in all\n";

    // Restore into a fresh path and serve from it.
    const std::string restored = dir.file("restored.db");
    EXPECT_NE(admin(restored, {"restore", "--from", copy}).find("restored"), std::string::npos);
    ServerProcess again(restored);
    TestClient reader(again.port());
    reader.login("schrijver", kPassword);
    json history = reader.call({{"type", "history"}, {"room_id", 1}, {"after", 0}, {"limit", 200}});
    ASSERT_TRUE(history["ok"].get<bool>()) << history.dump();
    EXPECT_GE(history["result"]["messages"].size(), std::min<std::size_t>(before_backup.size(), 200));
}

TEST(OperationsE2E, RestoreRefusesDamagedAndNewerCopies) {
    TempDir dir;
    const std::string db = dir.file("db.db");
    admin(db, {"add-room", "--name", "kamer"});
    const std::string garbage = dir.file("garbage.db");
    std::ofstream(garbage) << "dit is geen database";
    ChildProcess bad({VRAAGBAAK_SERVER_BIN, "admin", "--db", db, "restore", "--from", garbage});
    EXPECT_NE(bad.wait(), 0);
    EXPECT_NE(bad.drain_stderr().find("not a database"), std::string::npos);

    const std::string newer = dir.file("newer.db");
    admin(db, {"backup", "--to", newer});
    exec(newer, "PRAGMA user_version = 999");
    ChildProcess refused({VRAAGBAAK_SERVER_BIN, "admin", "--db", db, "restore", "--from", newer});
    EXPECT_NE(refused.wait(), 0);
    EXPECT_NE(refused.drain_stderr().find("newer than this server knows"), std::string::npos);
    EXPECT_EQ(integers(db, "SELECT COUNT(*) FROM rooms").at(0), 1) << "the database was left alone";

    // And the server itself refuses to start on a newer schema, saying why.
    exec(db, "PRAGMA user_version = 999");
    ChildProcess server({VRAAGBAAK_SERVER_BIN, "--listen", "127.0.0.1:0", "--db", db});
    EXPECT_NE(server.wait(), 0);
    EXPECT_NE(server.drain_stderr().find("newer than this server knows"), std::string::npos);
}

TEST(OperationsE2E, AMigrationKeepsACopyOfTheDatabaseAsItWas) {
    TempDir dir;
    const std::string db = dir.file("old.db");
    admin(db, {"add-room", "--name", "bewaard"});
    const int latest = static_cast<int>(integers(db, "PRAGMA user_version").at(0));
    // Mark it as the previous schema version. The latest migration rebuilds the messages table
    // with the same columns, so it applies as well to a table it already rebuilt as to the one
    // an older server left (tests/unit/storage/migrations_test.cpp migrates a real one).
    exec(db, "PRAGMA user_version = " + std::to_string(latest - 1));
    admin(db, {"list-orgs"});  // opens the store: migrates
    EXPECT_EQ(integers(db, "PRAGMA user_version").at(0), latest);
    const std::string copy = db + ".before-v" + std::to_string(latest) + ".bak";
    ASSERT_EQ(integers(copy, "PRAGMA user_version").size(), 1u) << "no backup at " << copy;
    EXPECT_EQ(integers(copy, "PRAGMA user_version").at(0), latest - 1);
    EXPECT_EQ(integers(copy, "SELECT COUNT(*) FROM rooms").at(0), 1);
}

bool executable(const std::string& path) { return ::access(path.c_str(), X_OK) == 0; }

std::string read_file(const std::string& path) {
    std::ifstream in(path);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::string replaced(std::string text, const std::string& from, const std::string& to) {
    for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
        text.replace(at, from.size(), to);
    return text;
}

TEST(OperationsE2E, TheSystemdUnitVerifies) {
    if (!executable("/usr/bin/systemd-analyze")) GTEST_SKIP() << "systemd-analyze is not installed";
    TempDir dir;
    // The unit as shipped, pointing at the binary just built.
    const std::string unit = dir.file("vraagbaak.service");
    std::ofstream(unit) << replaced(read_file(VRAAGBAAK_DEPLOY_DIR "/vraagbaak.service"), "/usr/local/bin/vraagbaak-server",
                                    VRAAGBAAK_SERVER_BIN);
    ChildProcess verify({"/usr/bin/systemd-analyze", "verify", unit});
    EXPECT_EQ(verify.wait(), 0) << verify.drain_stderr();
    const std::string complaints = verify.drain_stderr();
    EXPECT_EQ(complaints.find("vraagbaak.service:"), std::string::npos) << complaints;
}

TEST(OperationsE2E, TheNginxExampleParses) {
    if (!executable("/usr/sbin/nginx") || !executable("/usr/bin/openssl")) GTEST_SKIP() << "nginx is not installed";
    TempDir dir;
    ChildProcess cert({"/usr/bin/openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj",
                       "/CN=vraagbaak.test", "-keyout", dir.file("key.pem"), "-out", dir.file("cert.pem")});
    ASSERT_EQ(cert.wait(), 0);
    std::string site = read_file(VRAAGBAAK_DEPLOY_DIR "/nginx-vraagbaak.conf");
    site = replaced(site, "/etc/ssl/certs/vraagbaak.example.nl.pem", dir.file("cert.pem"));
    site = replaced(site, "/etc/ssl/private/vraagbaak.example.nl.key", dir.file("key.pem"));
    std::ofstream(dir.file("site.conf")) << site;
    std::ofstream(dir.file("nginx.conf")) << "pid " << dir.file("nginx.pid") << ";\nerror_log " << dir.file("error.log")
                                          << ";\nevents {}\nhttp {\n  access_log off;\n  include " << dir.file("site.conf")
                                          << ";\n}\n";
    ChildProcess test({"/usr/sbin/nginx", "-t", "-p", dir.file(""), "-c", dir.file("nginx.conf")});
    EXPECT_EQ(test.wait(), 0) << test.drain_stderr();
}

TEST(OperationsE2E, GracefulShutdownWithClientsConnectedLosesNoAcknowledgedPost) {
    TempDir dir;
    const std::string db = dir.file("shutdown.db");
    add_writer_and_room(db);
    auto server = std::make_unique<ServerProcess>(db);

    constexpr int kWriters = 4;
    std::mutex mutex;
    std::set<long long> acknowledged;
    std::vector<int> close_codes(kWriters, 0);
    std::atomic<int> ready{0};
    std::vector<std::thread> writers;
    for (int w = 0; w < kWriters; ++w)
        writers.emplace_back([&, w] {
            TestClient c(server->port());
            c.login("schrijver", kPassword);
            c.call({{"type", "join"}, {"room_id", 1}});
            ++ready;
            for (int i = 0;; ++i) {
                json r;
                try {
                    r = c.call({{"type", "post"}, {"room_id", 1}, {"body", "w" + std::to_string(w) + "-" + std::to_string(i)}}, 2s);
                } catch (const std::exception&) {
                    break;  // the connection went away
                }
                if (!r.value("ok", false)) break;
                std::lock_guard lock(mutex);
                acknowledged.insert(r["result"]["message_id"].get<long long>());
            }
            close_codes[static_cast<std::size_t>(w)] = c.wait_closed(2s).value_or(-1);
        });
    while (ready < kWriters) std::this_thread::sleep_for(10ms);
    std::this_thread::sleep_for(300ms);  // posts flowing
    EXPECT_EQ(server->stop(), 0) << "SIGTERM ends the server cleanly";
    for (auto& t : writers) t.join();
    for (int code : close_codes) EXPECT_EQ(code, 1001) << "clients are told: going away";

    auto stored = integers(db, "SELECT id FROM messages");
    std::set<long long> kept(stored.begin(), stored.end());
    for (long long id : acknowledged) EXPECT_TRUE(kept.count(id)) << "acknowledged post " << id << " was lost";
    EXPECT_GT(acknowledged.size(), 10u);
    std::cout << "graceful shutdown: " << acknowledged.size() << " posts acknowledged by 4 writers, all kept\n";
}

struct ServerRun {
    int status;
    std::string out, err;
};

ServerRun run_server(std::vector<std::string> args) {
    args.insert(args.begin(), VRAAGBAAK_SERVER_BIN);
    ChildProcess p(args);
    ServerRun r{p.wait().value_or(-1), "", ""};
    while (auto line = p.read_line(200ms)) r.out += *line + "\n";
    r.err = p.drain_stderr();
    return r;
}

TEST(OperationsE2E, ADamagedDatabaseIsRefusedAtStartWithWhatToDo) {
    TempDir dir;
    const std::string db = dir.file("damaged.db");
    for (int i = 0; i < 30; ++i) admin(db, {"add-room", "--name", "kamer" + std::to_string(i), "--topic", std::string(300, 'x')});
    {
        // Overwrite part of a b-tree page in the middle of the file, as a bad disk would.
        std::fstream f(db, std::ios::in | std::ios::out | std::ios::binary);
        f.seekp(4096 * 4);
        const std::string garbage(600, '\xff');
        f.write(garbage.data(), static_cast<std::streamsize>(garbage.size()));
    }
    ServerRun run = run_server({"--listen", "127.0.0.1:0", "--db", db});
    EXPECT_NE(run.status, 0);
    EXPECT_EQ(run.out.find("listening"), std::string::npos) << run.out;
    EXPECT_NE(run.err.find("is damaged"), std::string::npos) << run.err;
    EXPECT_NE(run.err.find("admin restore --from FILE"), std::string::npos) << run.err;
}

TEST(OperationsE2E, AFullDiskRefusesWritesCleanlyAndTheServerStaysUp) {
    TempDir dir;
    const std::string db = dir.file("full.db");
    add_writer_and_room(db);
    const long long pages = integers(db, "PRAGMA page_count").at(0);
    ServerProcess server(db, {"--db-max-pages", std::to_string(pages + 40)});
    TestClient c(server.port());
    c.login("schrijver", kPassword);
    ASSERT_TRUE(c.call({{"type", "join"}, {"room_id", 1}})["ok"].get<bool>());
    int acknowledged = 0, refused = 0;
    for (int i = 0; i < 200 && refused < 3; ++i) {
        auto reply = c.call({{"type", "post"}, {"room_id", 1}, {"body", std::to_string(i) + std::string(6000, 'x')},
                             {"client_msg_id", "p" + std::to_string(i)}});
        if (reply_code(reply) == "ok") ++acknowledged;
        else if (reply_code(reply) == "storage_unavailable") ++refused;
        else FAIL() << reply.dump();
    }
    EXPECT_EQ(refused, 3) << "the cap was reached";
    EXPECT_GT(acknowledged, 0);
    // Still up and answering, with exactly what it acknowledged.
    auto history = c.call({{"type", "history"}, {"room_id", 1}, {"limit", 200}});
    ASSERT_EQ(reply_code(history), "ok");
    EXPECT_EQ(history["result"]["messages"].size(), static_cast<std::size_t>(acknowledged));
    TestClient other(server.port());
    EXPECT_EQ(reply_code(other.call({{"type", "hello"}, {"versions", {1}}})), "ok");
    EXPECT_EQ(server.stop(), 0);
    EXPECT_EQ(integers(db, "SELECT COUNT(*) FROM messages").at(0), acknowledged);
    std::cout << "full disk: " << acknowledged << " posts acknowledged, then " << refused
              << " refused with storage_unavailable; server up\n";
}

TEST(OperationsE2E, AWriteLockHeldElsewhereFailsTheRequestNotTheServer) {
    TempDir dir;
    const std::string db = dir.file("busy.db");
    add_writer_and_room(db);
    ServerProcess server(db, {"--db-busy-timeout-ms", "200"});
    TestClient c(server.port());
    c.login("schrijver", kPassword);
    ASSERT_TRUE(c.call({{"type", "join"}, {"room_id", 1}})["ok"].get<bool>());
    sqlite3* holder = nullptr;
    ASSERT_EQ(sqlite3_open(db.c_str(), &holder), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(holder, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);
    const auto before = std::chrono::steady_clock::now();
    auto blocked = c.call({{"type", "post"}, {"room_id", 1}, {"body", "tijdens de blokkade"}});
    const auto waited = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - before);
    EXPECT_EQ(reply_code(blocked), "storage_unavailable") << blocked.dump();
    EXPECT_LT(waited.count(), 3000) << "the busy timeout, not forever";
    sqlite3_exec(holder, "ROLLBACK", nullptr, nullptr, nullptr);
    sqlite3_close(holder);
    EXPECT_EQ(reply_code(c.call({{"type", "post"}, {"room_id", 1}, {"body", "daarna"}})), "ok");
    auto history = c.call({{"type", "history"}, {"room_id", 1}});
    ASSERT_EQ(history["result"]["messages"].size(), 1u) << "nothing of the refused post";
    std::cout << "busy database: refused after " << waited.count() << " ms; the next post went through\n";
}

TEST(OperationsE2E, TheExampleConfigurationLoadsAndNamesEveryKey) {
    const std::string example = VRAAGBAAK_DEPLOY_DIR "/vraagbaak.example.json";
    ServerRun checked = run_server({"--config", example, "--check-config"});
    EXPECT_EQ(checked.status, 0) << checked.err;
    EXPECT_NE(checked.out.find("configuration ok"), std::string::npos);
    // Every setting the server has is in the example, documented, and nothing else is.
    std::set<std::string> in_example, documented, settings;
    const json example_json = json::parse(read_file(example));
    for (const auto& [key, value] : example_json.items()) {
        if (key.rfind("//", 0) == 0) {
            if (key.size() > 2) documented.insert(key.substr(2));
        } else {
            in_example.insert(key);
        }
    }
    std::istringstream keys(run_server({"--list-config-keys"}).out);
    for (std::string key; std::getline(keys, key);) settings.insert(key);
    EXPECT_FALSE(settings.empty());
    EXPECT_EQ(in_example, settings) << "deploy/vraagbaak.example.json drifted from the server's options";
    EXPECT_EQ(documented, settings) << "every key has a comment";
}

TEST(OperationsE2E, ABadConfigurationStopsTheServerNamingTheKey) {
    TempDir dir;
    auto with = [&](const std::string& text) {
        const std::string path = dir.file("c.json");
        std::ofstream(path) << text;
        return run_server({"--config", path, "--check-config"});
    };
    ServerRun unknown = with(R"({"treads": 4})");
    EXPECT_NE(unknown.status, 0);
    EXPECT_NE(unknown.err.find("key 'treads' is unknown"), std::string::npos) << unknown.err;
    ServerRun range = with(R"({"threads": 100})");
    EXPECT_NE(range.status, 0);
    EXPECT_NE(range.err.find("--threads: Value 100 not in range 0 to 64"), std::string::npos) << range.err;
    ServerRun type = with(R"({"tryout": "ja"})");
    EXPECT_NE(type.status, 0);
    EXPECT_NE(type.err.find("key 'tryout' must be true or false"), std::string::npos) << type.err;
    ServerRun object = with(R"({"listen": {"host": "x"}})");
    EXPECT_NE(object.status, 0);
    EXPECT_NE(object.err.find("key 'listen' must be a string, a number or true/false"), std::string::npos) << object.err;
    ServerRun broken = with(R"({"threads": 4,)");
    EXPECT_NE(broken.status, 0);
    EXPECT_NE(broken.err.find("is not valid JSON"), std::string::npos) << broken.err;
}

TEST(OperationsE2E, TheConfigurationFileConfiguresAndTheCommandLineWins) {
    TempDir dir;
    const std::string db = dir.file("configured.db");
    const std::string config = dir.file("vraagbaak.json");
    std::ofstream(config) << json{{"listen", "127.0.0.1:0"}, {"db", dir.file("not-this.db")},
                                  {"case-tags", {"armoede", "inburgering"}}, {"log-level", "warn"}}
                                     .dump();
    ServerProcess server(db, {"--config", config, "--db", db});
    TestClient c(server.port());
    auto hello = c.call({{"type", "hello"}, {"versions", {1}}});
    EXPECT_EQ(hello["result"]["limits"]["tags"], json({"armoede", "inburgering"})) << "from the file";
    EXPECT_EQ(server.stop(), 0);
    EXPECT_TRUE(std::ifstream(db).good()) << "the command line's --db won";
    EXPECT_FALSE(std::ifstream(dir.file("not-this.db")).good());
}

// The value of one sample line ("name{labels} value") in a Prometheus exposition; -1 if absent.
double sample(const std::string& exposition, const std::string& series) {
    std::istringstream lines(exposition);
    for (std::string line; std::getline(lines, line);)
        if (line.rfind(series + " ", 0) == 0) return std::stod(line.substr(series.size() + 1));
    return -1;
}

TEST(OperationsE2E, MetricsCountRealActivityAndCanHaveTheirOwnAddress) {
    TempDir dir;
    const std::string db = dir.file("metrics.db");
    admin(db, {"add-user", "--handle", "teller", "--name", "Teller", "--password-stdin"}, kPassword + "\n");
    admin(db, {"add-room", "--name", "kamer"});
    {
        ServerProcess server(db);
        TestClient c(server.port());
        c.login("teller", kPassword);
        c.call({{"type", "join"}, {"room_id", 1}});
        const std::string before = http_get(server.port(), "/metrics");
        ASSERT_EQ(before.rfind("HTTP/1.1 200", 0), 0u) << before;
        EXPECT_NE(before.find("text/plain; version=0.0.4"), std::string::npos);
        c.call({{"type", "post"}, {"room_id", 1}, {"body", "een bericht"}});
        c.call({{"type", "post"}, {"room_id", 99}, {"body", "nergens"}});
        c.call({{"type", "post"}, {"room_id", 1}, {"body", "bel 06-12345678"}});
        const std::string after = http_get(server.port(), "/metrics");
        EXPECT_EQ(sample(after, "vraagbaak_posts_stored_total") - sample(before, "vraagbaak_posts_stored_total"), 1);
        EXPECT_EQ(sample(after, "vraagbaak_requests_total{type=\"post\"}") -
                      sample(before, "vraagbaak_requests_total{type=\"post\"}"), 3);
        EXPECT_EQ(sample(after, "vraagbaak_errors_total{code=\"room_not_found\"}"), 1);
        EXPECT_EQ(sample(after, "vraagbaak_errors_total{code=\"personal_data\"}"), 1);
        EXPECT_EQ(sample(after, "vraagbaak_privacy_findings_total{kind=\"phone\"}"), 1);
        EXPECT_EQ(sample(after, "vraagbaak_logins_total{outcome=\"ok\"}"), 1);
        EXPECT_EQ(sample(after, "vraagbaak_connections_open"), 1);
        EXPECT_GT(sample(after, "vraagbaak_deliveries_total"), sample(before, "vraagbaak_deliveries_total"));
        EXPECT_GE(sample(after, "vraagbaak_store_commit_seconds_count"), 2) << "the join and the post committed";
        // Every request read is timed twice, its wait for the core and its time there. The core
        // records both just after handing over the reply, so a scrape may come a moment early:
        // look again until they have caught up with the requests counted (all of them valid here).
        auto requests_counted = [](const std::string& exposition) {
            double total = 0;
            std::istringstream lines(exposition);
            for (std::string line; std::getline(lines, line);)
                if (line.rfind("vraagbaak_requests_total{", 0) == 0) total += std::stod(line.substr(line.rfind(' ') + 1));
            return total;
        };
        std::string timed = after;
        for (int i = 0; i < 100 && sample(timed, "vraagbaak_request_seconds_count") < requests_counted(timed); ++i) {
            std::this_thread::sleep_for(20ms);
            timed = http_get(server.port(), "/metrics");
        }
        EXPECT_GE(requests_counted(timed), 5) << "login, join and three posts at least";
        for (const std::string series : {"vraagbaak_request_wait_seconds", "vraagbaak_request_seconds"}) {
            EXPECT_EQ(sample(timed, series + "_count"), requests_counted(timed)) << series;
            EXPECT_EQ(sample(timed, series + "_bucket{le=\"+Inf\"}"), sample(timed, series + "_count")) << series;
            EXPECT_GT(sample(timed, series + "_sum"), 0) << series;
        }
        EXPECT_GT(sample(after, "vraagbaak_database_bytes"), 0);
        EXPECT_EQ(after.find("06-12345678"), std::string::npos) << "never content";
        EXPECT_EQ(after.find("een bericht"), std::string::npos);
    }
    // With an address of its own, /metrics is there and not on the public listener.
    ServerProcess server(db, {"--metrics-listen", "127.0.0.1:0"});
    auto line = server.process().read_line(5s);
    ASSERT_TRUE(line && line->rfind("metrics on http://127.0.0.1:", 0) == 0) << line.value_or("<none>");
    const unsigned metrics_port = static_cast<unsigned>(std::stoul(line->substr(line->rfind(':') + 1)));
    EXPECT_EQ(http_get(metrics_port, "/metrics").rfind("HTTP/1.1 200", 0), 0u);
    EXPECT_EQ(http_get(server.port(), "/metrics").rfind("HTTP/1.1 404", 0), 0u);
    EXPECT_EQ(http_get(metrics_port, "/ws").rfind("HTTP/1.1 4", 0), 0u) << "no WebSockets on the metrics address";
}

TEST(OperationsE2E, JsonLogLinesCarryFieldsButNeverSecrets) {
    TempDir dir;
    const std::string db = dir.file("log.db");
    admin(db, {"add-user", "--handle", "logger", "--name", "Logger", "--password-stdin"}, kPassword + "\n");
    ServerProcess server(db, {"--log-level", "info", "--log-format", "json"});
    {
        TestClient c(server.port());
        c.login("logger", kPassword);
    }
    EXPECT_EQ(server.stop(), 0);
    std::istringstream lines(server.process().drain_stderr());
    int login_lines = 0, lines_seen = 0;
    for (std::string line; std::getline(lines, line);) {
        if (line.empty()) continue;
        ++lines_seen;
        json j = json::parse(line);  // every line is one JSON object
        EXPECT_TRUE(j.contains("ts_ms") && j.contains("level") && j.contains("subsystem") && j.contains("message")) << line;
        if (j["message"] == "login") {
            ++login_lines;
            EXPECT_TRUE(j.contains("account")) << line;
        }
        EXPECT_EQ(line.find(kPassword), std::string::npos) << "no password in the log: " << line;
    }
    EXPECT_GE(lines_seen, 3);
    EXPECT_EQ(login_lines, 1);
}

}  // namespace
