#pragma once
// The hub's state per connection; private to the hub's source files.

#include <memory>
#include <optional>
#include <string>

#include "core/hub.hpp"
#include "core/token_bucket.hpp"
#include "storage/records.hpp"

namespace vraagbaak::core {

struct Hub::Connection {
    std::weak_ptr<Peer> peer;
    std::string address;
    bool said_hello = false;
    bool auth_pending = false;  // a login or register is being checked off the core thread
    std::optional<storage::Account> account;  // set once logged in
    std::string token_hash;                   // of this connection's session
    std::int64_t session_expires_ms = 0;      // the session token's end: the socket closes then
    TokenBucket requests;                     // this connection's request rate
};

}  // namespace vraagbaak::core
