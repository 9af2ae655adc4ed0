#include "core/subscriptions.hpp"

#include <algorithm>

namespace vraagbaak::core {
namespace {

template <typename T>
bool erase_value(std::vector<T>& v, T value) {
    auto it = std::find(v.begin(), v.end(), value);
    if (it == v.end()) return false;
    *it = v.back();  // order does not matter; avoid shifting
    v.pop_back();
    return true;
}

}  // namespace

void Subscriptions::subscribe(RoomKey room, ConnectionId conn) {
    if (subscribed(room, conn)) return;
    by_room_[room].push_back(conn);
    by_connection_[conn].push_back(room);
}

void Subscriptions::unsubscribe(RoomKey room, ConnectionId conn) {
    if (auto it = by_room_.find(room); it != by_room_.end()) {
        erase_value(it->second, conn);
        if (it->second.empty()) by_room_.erase(it);
    }
    if (auto it = by_connection_.find(conn); it != by_connection_.end()) {
        erase_value(it->second, room);
        if (it->second.empty()) by_connection_.erase(it);
    }
}

void Subscriptions::unsubscribe_all(ConnectionId conn) {
    auto it = by_connection_.find(conn);
    if (it == by_connection_.end()) return;
    for (RoomKey room : it->second) {
        auto r = by_room_.find(room);
        if (r == by_room_.end()) continue;
        erase_value(r->second, conn);
        if (r->second.empty()) by_room_.erase(r);
    }
    by_connection_.erase(it);
}

bool Subscriptions::subscribed(RoomKey room, ConnectionId conn) const {
    auto it = by_connection_.find(conn);
    return it != by_connection_.end() &&
           std::find(it->second.begin(), it->second.end(), room) != it->second.end();
}

const std::vector<ConnectionId>& Subscriptions::subscribers(RoomKey room) const {
    static const std::vector<ConnectionId> kNone;
    auto it = by_room_.find(room);
    return it == by_room_.end() ? kNone : it->second;
}

}  // namespace vraagbaak::core
