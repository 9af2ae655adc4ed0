// vraagbaak-bench-seed: prepares a database for the benchmark without the server: accounts
// b0..bN-1 with one password, rooms bench-0..bench-R-1, account j a member of room j % R.
// Passwords are hashed at the weakest Argon2id cost so that a thousand logins take a moment,
// not minutes; the server verifies them exactly as it verifies any hash (the cost is stored in
// the hash). Usage: vraagbaak-bench-seed DB ACCOUNTS ROOMS PASSWORD

#include <iostream>
#include <string>

#include "core/password.hpp"
#include "storage/sqlite_store.hpp"

namespace s = vraagbaak::storage;
namespace c = vraagbaak::core;

int main(int argc, char** argv) {
    if (argc != 5) {
        std::cerr << "usage: vraagbaak-bench-seed DB ACCOUNTS ROOMS PASSWORD\n";
        return 1;
    }
    const int accounts = std::stoi(argv[2]);
    const int rooms = std::stoi(argv[3]);
    if (accounts < 1 || rooms < 1 || rooms > accounts) {
        std::cerr << "vraagbaak-bench-seed: need 1 <= ROOMS <= ACCOUNTS\n";
        return 1;
    }
    c::init_crypto();
    s::SqliteStore store(s::SqliteOptions{argv[1]});
    const std::string hash = c::hash_password(argv[4], c::PasswordCost::minimal());
    std::vector<s::RoomId> room_ids;
    for (int r = 0; r < rooms; ++r) {
        auto room = store.create_room({"bench-" + std::to_string(r), "", std::nullopt, 1});
        if (!room) {
            std::cerr << "vraagbaak-bench-seed: the database is not empty\n";
            return 1;
        }
        room_ids.push_back(room->id);
    }
    for (int a = 0; a < accounts; ++a) {
        auto account = store.create_account({"b" + std::to_string(a), "Bench " + std::to_string(a), std::nullopt, hash, 1});
        store.add_member(room_ids[static_cast<std::size_t>(a % rooms)], account->id, 1);
    }
    std::cout << "seeded " << accounts << " accounts in " << rooms << " rooms\n";
    return 0;
}
