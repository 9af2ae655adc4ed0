// The hub's room events: encoding a stored event for the room, announcing it, and replaying
// what a reconnecting client missed. Live and replayed events are encoded by the same function,
// so a client cannot tell them apart except by arriving after `resume`.

#include "core/hub.hpp"
#include "core/hub_connection.hpp"
#include "core/visibility.hpp"
#include "storage/store.hpp"

namespace vraagbaak::core {

namespace p = vraagbaak::protocol;
using storage::RoomEventKind;

std::optional<Hub::RoomEventFrames> Hub::encode_room_event(const storage::RoomEvent& e) {
    auto one = [](const p::Event& event) { return make_frame(p::encode_event(event)); };
    switch (e.kind) {
        case RoomEventKind::member_joined:
            if (!e.member) return std::nullopt;
            return RoomEventFrames{one(p::MemberJoined{e.room_id, member_of(*e.member), e.seq}), {}, {}};
        case RoomEventKind::member_left:
            if (!e.member) return std::nullopt;
            return RoomEventFrames{one(p::MemberLeft{e.room_id, member_of(*e.member), e.seq}), {}, {}};
        case RoomEventKind::message_hidden:
            return RoomEventFrames{one(p::MessageHidden{e.room_id, e.message_id, e.detail, e.seq}), {}, {}};
        case RoomEventKind::helpful_marked:
            return RoomEventFrames{
                one(p::HelpfulMarked{e.room_id, e.thread_id, e.message_id, e.detail == "1", e.seq}), {}, {}};
        case RoomEventKind::room_updated: {
            // The room as it is now: a replay shows today's settings, once per change.
            auto room = store_.find_room(e.room_id, std::nullopt);
            if (!room) return std::nullopt;
            return RoomEventFrames{one(p::RoomUpdated{room_view(*room), e.seq}), {}, {}};
        }
        case RoomEventKind::message_unhidden:
            return RoomEventFrames{one(p::MessageUnhidden{e.room_id, e.message_id, e.seq}), {}, {}};
        case RoomEventKind::message_deleted:
            return RoomEventFrames{one(p::MessageDeleted{e.room_id, e.message_id, e.seq}), {}, {}};
        case RoomEventKind::session_updated: {
            // The session as it is now, encoded for each viewer (`mine`, `me_signed_up`).
            auto session = store_.find_session(e.session_id);
            if (!session) return std::nullopt;
            auto views = session_views(*session);
            RoomEventFrames frames;
            frames.per_viewer = [views = std::move(views), seq = e.seq](std::optional<std::int64_t> viewer) {
                return make_frame(p::encode_event(p::SessionUpdated{views(viewer), seq}));
            };
            return frames;
        }
        case RoomEventKind::case_updated: {
            // The case as it is now, with the status this event recorded: a replay of
            // "closed, then reopened" shows both steps.
            auto kase = store_.find_case(e.message_id);
            if (!kase) return std::nullopt;
            kase->status = e.detail;
            return RoomEventFrames{one(p::CaseUpdated{case_view(*kase, std::nullopt), e.seq}), kase->asker_id,
                                   one(p::CaseUpdated{case_view(*kase, kase->asker_id), e.seq})};
        }
    }
    return std::nullopt;
}

void Hub::broadcast_event(const storage::RoomEvent& event) {
    auto frames = encode_room_event(event);
    if (!frames) return;
    for (ConnectionId id : subscriptions_.subscribers(event.room_id)) {
        auto it = connections_.find(id);
        if (it == connections_.end() || !it->second.account) continue;
        send(it->second, frames->for_viewer(it->second.account->id));
    }
}

void Hub::replay_missed(ConnectionId id, const std::vector<p::RoomCursor>& cursors) {
    auto it = connections_.find(id);
    if (it == connections_.end() || !it->second.account) return;
    Connection& conn = it->second;
    const auto viewer = conn.account->id;
    for (const auto& cursor : cursors) {
        // Only rooms the account is a member of; others are skipped silently, like a room one
        // left while away.
        if (!subscriptions_.subscribed(cursor.room_id, id)) continue;
        auto room = store_.find_room(cursor.room_id, std::nullopt);
        if (!room || room->last_seq <= cursor.seq) continue;
        const auto last = room->last_seq;
        if (last - cursor.seq > config_.catch_up_limit) {
            send(conn, make_frame(p::encode_event(p::CatchUpGap{cursor.room_id, cursor.seq, last})));
            continue;
        }
        for (const auto& item : catch_up(cursor.room_id, cursor.seq, last).items) {
            if (item.event) send(conn, item.event->for_viewer(viewer));
            else if (item.message->author.id == viewer)
                send(conn, make_frame(p::encode_event(p::MessagePosted{view_of(*item.message, viewer)})));
            else send(conn, item.others);
        }
    }
}

const Hub::CatchUp& Hub::catch_up(std::int64_t room, std::int64_t after, std::int64_t last) {
    const auto now = clock_();
    if (const auto* kept = catch_ups_.find(now, [&](const CatchUp& c) {
            return c.room == room && c.after == after && c.last == last;
        }))
        return *kept;
    CatchUp out{room, after, last, {}};
    // At most catch_up_limit seqs, so one page holds every message among them.
    auto messages = store_.history(room, {std::nullopt, after, config_.catch_up_limit}).messages;
    auto events = store_.room_events(room, after, last);
    auto m = messages.begin();
    auto e = events.begin();
    while (m != messages.end() || e != events.end()) {
        if (m != messages.end() && m->seq > last) m = messages.end();  // written after `last` was read
        if (e == events.end() || (m != messages.end() && m->seq < e->seq)) {
            if (m == messages.end()) break;
            out.items.push_back({make_frame(p::encode_event(p::MessagePosted{view_of(*m, std::nullopt)})),
                                 std::make_shared<const storage::Message>(*m), std::nullopt});
            ++m;
        } else {
            if (auto frames = encode_room_event(*e)) out.items.push_back({nullptr, nullptr, std::move(*frames)});
            ++e;
        }
    }
    return catch_ups_.add(now, std::move(out));
}

}  // namespace vraagbaak::core
