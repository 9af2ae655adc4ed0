#include "core/password.hpp"

#include <sodium.h>

#include <stdexcept>

namespace vraagbaak::core {

PasswordCost PasswordCost::interactive() {
    return {crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE};
}

PasswordCost PasswordCost::minimal() { return {crypto_pwhash_OPSLIMIT_MIN, 8192}; }

void init_crypto() {
    if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
}

std::string hash_password(std::string_view password, PasswordCost cost) {
    char out[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str(out, password.data(), password.size(), cost.ops, cost.mem_bytes) != 0)
        throw std::runtime_error("out of memory while hashing a password");
    return std::string(out);
}

bool verify_password(const std::string& hash, std::string_view password) {
    return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

const std::string& dummy_password_hash() {
    static const std::string hash =
        hash_password(random_password(24), PasswordCost::interactive());
    return hash;
}

std::string random_password(std::size_t length) {
    static constexpr char kAlphabet[] = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    std::string out;
    out.reserve(length);
    for (std::size_t i = 0; i < length; ++i)
        out.push_back(kAlphabet[randombytes_uniform(sizeof(kAlphabet) - 1)]);
    return out;
}

}  // namespace vraagbaak::core
