#pragma once
// Password hashing with Argon2id (libsodium crypto_pwhash_str, salted, self-describing format).
// Hashing costs tens of milliseconds and 64 MiB on purpose: callers on the core thread offload
// it (see Offloader).

#include <string>
#include <string_view>

namespace vraagbaak::core {

struct PasswordCost {
    unsigned long long ops;
    std::size_t mem_bytes;
    static PasswordCost interactive();  // libsodium's interactive limits
    static PasswordCost minimal();      // for tests only: fast and weak
};

// Initialises libsodium; safe to call more than once. Throws std::runtime_error on failure.
void init_crypto();

// Throws std::runtime_error when memory for hashing cannot be had.
std::string hash_password(std::string_view password, PasswordCost cost);

// Constant-time with respect to the password. False for a malformed hash.
bool verify_password(const std::string& hash, std::string_view password);

// A hash of a random password, verified against when a handle does not exist so that an unknown
// handle costs as much time as a wrong password.
const std::string& dummy_password_hash();

// A random password of `length` characters from an alphabet without look-alikes.
std::string random_password(std::size_t length);

}  // namespace vraagbaak::core
