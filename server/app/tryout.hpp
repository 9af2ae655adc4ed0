#pragma once
// Try-out mode: on an empty database only, seed organisations, rooms and two accounts so that a
// newcomer can log in at once. The plain server never creates accounts by itself.

#include <ostream>
#include <string>
#include <vector>

#include "storage/store.hpp"

namespace vraagbaak::app {

struct TryoutAccount {
    std::string handle;
    std::string display_name;
    std::string organisation;
    std::string password;
};

// Returns the accounts created, or nothing when the database already had accounts.
std::vector<TryoutAccount> seed_tryout(storage::Store& store);

void print_tryout(std::ostream& out, const std::vector<TryoutAccount>& accounts, const std::string& url);

}  // namespace vraagbaak::app
