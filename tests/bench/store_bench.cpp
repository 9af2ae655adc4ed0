// vraagbaak-store-bench: the storage half of a durable post, without network or JSON: POSTS
// messages over ROOMS rooms, appended in commit groups of GROUP posts (as the core's group
// commit makes them under load), with the database settings the server uses. Prints the CPU
// time per post (user and system, so the COMMIT's writes count) and the wall time, which
// includes the fsyncs. Comparing two builds of the store is far steadier this way than through
// D1, whose figures also carry thread wake-ups and the network.
// Usage: vraagbaak-store-bench DB [POSTS] [ROOMS] [GROUP]   (DB must not exist yet)

#include <time.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "storage/sqlite_store.hpp"

namespace s = vraagbaak::storage;

namespace {

double cpu_seconds() {
    timespec t{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) / 1e9;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2 || argc > 5) {
        std::cerr << "usage: vraagbaak-store-bench DB [POSTS] [ROOMS] [GROUP]\n";
        return 1;
    }
    const std::string path = argv[1];
    const int posts = argc > 2 ? std::stoi(argv[2]) : 50000;
    const int rooms = argc > 3 ? std::stoi(argv[3]) : 100;
    const int group = argc > 4 ? std::stoi(argv[4]) : 100;
    if (posts < 1 || rooms < 1 || group < 1 || std::filesystem::exists(path)) {
        std::cerr << "vraagbaak-store-bench: need POSTS, ROOMS, GROUP >= 1 and a DB that does not exist yet\n";
        return 1;
    }
    s::SqliteStore store(s::SqliteOptions{path});
    std::vector<s::RoomId> room_ids;
    std::vector<s::AccountId> authors;
    for (int r = 0; r < rooms; ++r) {
        auto room = store.create_room({"bench-" + std::to_string(r), "", std::nullopt, 1});
        auto account = store.create_account({"b" + std::to_string(r), "Bench " + std::to_string(r), std::nullopt, "-", 1});
        store.add_member(room->id, account->id, 1);
        room_ids.push_back(room->id);
        authors.push_back(account->id);
    }
    const std::string body(100, 'x');
    const auto seq_before = store.find_room_settings(room_ids.front(), authors.front())->last_seq;  // the join took one
    const double cpu_start = cpu_seconds();
    const auto wall_start = std::chrono::steady_clock::now();
    for (int done = 0; done < posts;) {
        store.begin_group();
        for (int i = 0; i < group && done < posts; ++i, ++done) {
            const auto r = static_cast<std::size_t>(done % rooms);
            store.append_message({room_ids[r], authors[r], body + " " + std::to_string(done), 1});
        }
        store.commit_group();
    }
    const double cpu = cpu_seconds() - cpu_start;
    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
    // A figure for posts that were not all stored would be worth nothing.
    const auto first = store.find_room_settings(room_ids.front(), authors.front());
    const auto expected_seq = seq_before + (posts + rooms - 1) / rooms;
    if (!first || first->last_seq != expected_seq) {
        std::cerr << "vraagbaak-store-bench: room 1 is at seq " << (first ? first->last_seq : -1) << ", not "
                  << expected_seq << "\n";
        return 1;
    }
    std::printf("{\"posts\":%d,\"rooms\":%d,\"group\":%d,\"cpu_us_per_post\":%.2f,\"wall_us_per_post\":%.2f}\n", posts,
                rooms, group, cpu / posts * 1e6, wall / posts * 1e6);
    return 0;
}
