#pragma once
// What the hub's unit tests do over and over: give the store a few people and a room, send a
// request as a connection and find its reply among the frames the connection got.

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <initializer_list>
#include <optional>
#include <string>

#include "core/hub.hpp"
#include "core/password.hpp"
#include "storage/store.hpp"
#include "support/fake_peer.hpp"

namespace vraagbaak::test {

// Accounts (handle = display name, password "wachtwoord") and room 1, "schulden".
inline void seed_people(storage::Store& store, std::initializer_list<const char*> handles) {
    core::init_crypto();
    for (const char* handle : handles)
        store.create_account({handle, handle, std::nullopt, core::hash_password("wachtwoord", core::PasswordCost::minimal()), 1});
    store.create_room({"schulden", "", std::nullopt, 1});
}

inline std::optional<nlohmann::json> reply_to(const FakePeer& peer, const nlohmann::json& request_id) {
    for (const auto& f : peer.frames)
        if (f.value("reply_to", nlohmann::json()) == request_id) return f;
    return std::nullopt;
}

// Sends `request` with the next id ("q1", "q2", …) as connection `id` and returns its reply.
inline nlohmann::json call(core::Hub& hub, core::ConnectionId id, const FakePeer& peer, nlohmann::json request,
                           int& next_request) {
    request["id"] = "q" + std::to_string(++next_request);
    hub.on_frame(id, request.dump());
    if (auto reply = reply_to(peer, request["id"])) return *reply;
    ADD_FAILURE() << "no reply to " << request.dump();
    return {};
}

}  // namespace vraagbaak::test
