// The room permission table exists twice: in code (core/permissions.cpp) and for people
// (PROTOCOL.md). This keeps them the same.

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <sstream>

#include "core/permissions.hpp"

namespace c = vraagbaak::core;
using vraagbaak::protocol::Role;
using vraagbaak::protocol::RoomRole;

namespace {

// `| \`name\` | rank | … |` rows of the table under "### Rooms, roles and permissions".
std::map<std::string, std::string> documented_table() {
    std::ifstream in(VRAAGBAAK_PROTOCOL_MD);
    std::string line;
    bool inside = false;
    std::map<std::string, std::string> rows;
    while (std::getline(in, line)) {
        if (line.rfind("### ", 0) == 0) inside = line == "### Rooms, roles and permissions";
        if (!inside || line.rfind("| `", 0) != 0) continue;
        std::stringstream cells(line);
        std::string skip, name, rank;
        std::getline(cells, skip, '|');
        std::getline(cells, name, '|');
        std::getline(cells, rank, '|');
        auto trim = [](std::string t) {
            t.erase(0, t.find_first_not_of(" `"));
            t.erase(t.find_last_not_of(" `") + 1);
            return t;
        };
        rows[trim(name)] = trim(rank);
    }
    return rows;
}

TEST(Permissions, TheDocumentedTableIsTheTableInCode) {
    auto documented = documented_table();
    ASSERT_FALSE(documented.empty()) << "no table found in " << VRAAGBAAK_PROTOCOL_MD;
    EXPECT_EQ(documented.size(), c::permission_table().size());
    for (const auto& rule : c::permission_table()) {
        auto it = documented.find(std::string(rule.name));
        ASSERT_NE(it, documented.end()) << rule.name << " is not documented";
        EXPECT_EQ(it->second, c::to_string(rule.minimum)) << rule.name;
    }
}

TEST(Permissions, GlobalRolesLiftTheRankInEveryRoom) {
    EXPECT_EQ(c::rank_in_room(Role::member, std::nullopt), c::RoomRank::none);
    EXPECT_EQ(c::rank_in_room(Role::member, RoomRole::owner), c::RoomRank::owner);
    EXPECT_EQ(c::rank_in_room(Role::organiser, std::nullopt), c::RoomRank::none) << "organisers are not room organisers";
    EXPECT_EQ(c::rank_in_room(Role::moderator, std::nullopt), c::RoomRank::moderator);
    EXPECT_EQ(c::rank_in_room(Role::moderator, RoomRole::owner), c::RoomRank::owner);
    EXPECT_EQ(c::rank_in_room(Role::admin, std::nullopt), c::RoomRank::admin);
    EXPECT_TRUE(c::allows(c::RoomRank::admin, c::RoomPermission::assign_owner));
    EXPECT_FALSE(c::allows(c::RoomRank::moderator, c::RoomPermission::archive));
    EXPECT_FALSE(c::allows(c::RoomRank::none, c::RoomPermission::read));
}

}  // namespace
