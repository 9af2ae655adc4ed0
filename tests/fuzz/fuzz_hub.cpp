// libFuzzer target: the request dispatcher. The input is split at newlines into frames and fed
// to a real Hub over an in-memory SQLite store, on a connection that has said hello and resumed
// a signed-in session (a room, a case and a session exist). The store is a SQLite file in
// $TMPDIR, as the server's would be. Whatever the frames: no crash, no
// sanitizer report, exactly one reply per request frame, and every frame sent is valid JSON.

#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/hub.hpp"
#include "core/offloader.hpp"
#include "core/peer.hpp"
#include "core/secrets.hpp"
#include "storage/sqlite_store.hpp"

namespace c = vraagbaak::core;
namespace s = vraagbaak::storage;

namespace {

void check(bool ok) {
    if (!ok) __builtin_trap();
}

// Password checks are not what is fuzzed here (and cost 0.1 s): the work is skipped, so every
// login attempt fails quickly.
class SkipOffloader final : public c::Offloader {
public:
    void run(std::function<void()>, std::function<void()> then) override { then(); }
};

class RecordingPeer final : public c::Peer {
public:
    void deliver(c::Frame frame) override { frames.push_back(std::move(frame)); }
    void close(c::CloseCode, std::string) override { closed = true; }
    std::vector<c::Frame> frames;
    bool closed = false;
};

// The store wants WAL, which an in-memory database cannot do: a fresh file per process.
std::string fresh_database() {
    const char* dir = std::getenv("TMPDIR");
    std::string path = std::string(dir ? dir : "/tmp") + "/vraagbaak-fuzz-" + std::to_string(::getpid()) + ".db";
    for (const char* suffix : {"", "-wal", "-shm"}) std::remove((path + suffix).c_str());
    return path;
}

struct World {
    World() {
        auto org = store.create_organisation("Buurtteam Oost", "BTO", 1);
        auto account = store.create_account({"anna", "Anna", org->id, "!", 1, vraagbaak::protocol::Role::admin});
        auto room = store.create_room({"kamer", "onderwerp", account->id, 1});
        store.add_member(room->id, account->id, 1, vraagbaak::protocol::RoomRole::owner);
        token = "fuzz-token";
        store.create_session(account->id, c::secret_hash(token), 1, INT64_MAX / 2);
        hub = std::make_unique<c::Hub>(store, offloader, c::HubConfig{}, [] { return std::int64_t{1'800'000'000'000}; });
        // A case and a session, so that their handlers have something to find.
        auto peer = std::make_shared<RecordingPeer>();
        hub->open(1, peer, "127.0.0.1");
        for (const char* frame :
             {R"({"id":"h","type":"hello","versions":[1]})", R"({"id":"r","type":"resume","token":"fuzz-token"})",
              R"({"id":"a","type":"ask","room_id":1,"title":"Huur","body":"Wat nu?","tags":["wonen"]})",
              R"({"id":"s","type":"schedule_session","room_id":1,"title":"Overleg","starts_ms":1800000000000,"method":"quick_consult","case_ids":[1]})"})
            hub->on_frame(1, frame);
        hub->close(1);
    }
    ~World() {
        hub.reset();
        for (const char* suffix : {"", "-wal", "-shm"}) std::remove((path + suffix).c_str());
    }
    std::string path = fresh_database();
    s::SqliteStore store{s::SqliteOptions{path}};
    SkipOffloader offloader;
    std::string token;
    std::unique_ptr<c::Hub> hub;
    std::uint64_t next_connection = 100;
};

World& world() {
    static World w;
    return w;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    World& w = world();
    const auto id = w.next_connection++;
    auto peer = std::make_shared<RecordingPeer>();
    w.hub->open(id, peer, "127.0.0.1");
    w.hub->on_frame(id, R"({"id":"h","type":"hello","versions":[1]})");
    w.hub->on_frame(id, R"({"id":"r","type":"resume","token":"fuzz-token"})");
    const std::size_t before = peer->frames.size();
    std::string_view input(reinterpret_cast<const char*>(data), size);
    std::size_t requests = 0;
    while (!input.empty() && requests < 64) {
        const auto end = input.find('\n');
        const auto frame = input.substr(0, end);
        w.hub->on_frame(id, frame);
        ++requests;
        input = end == std::string_view::npos ? std::string_view() : input.substr(end + 1);
    }
    w.hub->tick();
    std::size_t replies = 0;
    for (std::size_t i = before; i < peer->frames.size(); ++i) {
        const auto& frame = *peer->frames[i];
        check(nlohmann::json::accept(frame));
        if (frame.find("\"reply_to\"") != std::string::npos) {
            auto j = nlohmann::json::parse(frame);
            if (j.contains("reply_to")) ++replies;
        }
    }
    check(replies == requests);  // one reply each (a login's comes at once here: nothing is offloaded)
    w.hub->close(id);
    return 0;
}
