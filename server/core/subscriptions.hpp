#pragma once
// Which live connections receive a room's events. It mirrors membership for connections that
// are logged in: a connection is subscribed to every room its account is a member of.
// Core-thread only, like the rest of the core.

#include <cstdint>
#include <unordered_map>
#include <vector>

namespace vraagbaak::core {

using ConnectionId = std::uint64_t;
using RoomKey = std::int64_t;

class Subscriptions {
public:
    void subscribe(RoomKey room, ConnectionId conn);
    void unsubscribe(RoomKey room, ConnectionId conn);
    void unsubscribe_all(ConnectionId conn);
    bool subscribed(RoomKey room, ConnectionId conn) const;
    // Empty when nobody is subscribed. The reference is valid until the next change.
    const std::vector<ConnectionId>& subscribers(RoomKey room) const;

private:
    std::unordered_map<RoomKey, std::vector<ConnectionId>> by_room_;
    std::unordered_map<ConnectionId, std::vector<RoomKey>> by_connection_;
};

}  // namespace vraagbaak::core
