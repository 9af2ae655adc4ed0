#pragma once
// Random secrets (session tokens, invite codes) and the hashes under which they are stored.
// A stored hash cannot be turned back into a usable secret, so a copy of the database does not
// give access to anyone's session.

#include <string>
#include <string_view>

namespace vraagbaak::core {

// 256 random bits from libsodium, URL-safe base64 without padding (43 characters).
std::string new_secret();
// BLAKE2b-256 of the secret, hex. A fast hash is right here: the secret itself has full entropy.
std::string secret_hash(std::string_view secret);

}  // namespace vraagbaak::core
