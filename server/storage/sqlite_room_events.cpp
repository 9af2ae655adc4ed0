// SqliteStore's room events: the writes that record one, and reading them back for a replay.
// Every write takes the room's next seq in the same transaction as its change, so a client that
// saw seq N has seen exactly the changes up to N.

#include <array>
#include <string_view>

#include "storage/sqlite_db.hpp"
#include "storage/sqlite_store.hpp"

namespace vraagbaak::storage {

using sqlite::Statement;
using sqlite::Transaction;

namespace {

constexpr std::size_t kMaxKeptRooms = 100000;  // last seqs kept in memory before starting over

constexpr std::array<std::string_view, 9> kKindNames{"member_joined",  "member_left",  "message_hidden",
                                                     "helpful_marked", "case_updated", "room_updated",
                                                     "message_unhidden", "message_deleted", "session_updated"};

std::string_view kind_name(RoomEventKind kind) { return kKindNames[static_cast<std::size_t>(kind)]; }

RoomEventKind kind_from_name(std::string_view name) {
    for (std::size_t i = 0; i < kKindNames.size(); ++i)
        if (kKindNames[i] == name) return static_cast<RoomEventKind>(i);
    throw StorageError("unknown room event kind '" + std::string(name) + "'");
}

#define VB_EVENT_SELECT                                                                        \
    "SELECT e.room_id, e.seq, e.kind, e.account_id, a.handle, a.display_name, a.organisation_id, " \
    "o.name, o.code, e.message_id, m.thread_id, e.detail, e.created_ms, e.session_id "                       \
    "FROM room_events e LEFT JOIN accounts a ON a.id = e.account_id "                          \
    "LEFT JOIN organisations o ON o.id = a.organisation_id "                                   \
    "LEFT JOIN messages m ON m.id = e.message_id "

RoomEvent read_event(Statement& s) {
    RoomEvent e;
    e.room_id = s.int64(0);
    e.seq = s.int64(1);
    e.kind = kind_from_name(s.text(2));
    if (!s.is_null(3)) {
        e.member = Author{s.int64(3), s.text(4), s.text(5), std::nullopt};
        if (!s.is_null(6)) e.member->organisation = Organisation{s.int64(6), s.text(7), s.text(8)};
    }
    if (!s.is_null(9)) e.message_id = s.int64(9);
    if (!s.is_null(10)) e.thread_id = s.int64(10);
    e.detail = s.text(11);
    e.created_ms = s.int64(12);
    if (!s.is_null(13)) e.session_id = s.int64(13);
    return e;
}

}  // namespace

Seq SqliteStore::next_seq_locked(RoomId room) {
    check_kept_locked();
    auto kept = last_seqs_.find(room);
    Seq last = 0;
    if (kept != last_seqs_.end()) {
        last = kept->second;
    } else {
        auto q = db_->query("SELECT last_seq FROM rooms WHERE id = ?1");
        q->bind(1, room);
        if (!q->step()) throw StorageError("no room " + std::to_string(room));
        last = q->int64(0);
    }
    auto bump = db_->query("UPDATE rooms SET last_seq = ?2 WHERE id = ?1");
    bump->bind(1, room).bind(2, last + 1);
    bump->step();
    if (db_->changes() == 0) throw StorageError("no room " + std::to_string(room));
    if (kept == last_seqs_.end() && last_seqs_.size() >= kMaxKeptRooms) last_seqs_.clear();
    last_seqs_[room] = last + 1;
    return last + 1;
}

void SqliteStore::check_kept_locked() {
    if (db_->epoch() == kept_epoch_) return;
    kept_epoch_ = db_->epoch();
    last_seqs_.clear();
    next_message_id_ = 0;
    authors_.clear();
    rules_.clear();
}

RoomEvent SqliteStore::record_event_locked(RoomEvent event) {
    event.seq = next_seq_locked(event.room_id);
    {
        auto q = db_->query(
            "INSERT INTO room_events(room_id, seq, kind, account_id, message_id, detail, created_ms, session_id) "
            "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
        q->bind(1, event.room_id).bind(2, event.seq).bind(3, kind_name(event.kind));
        if (event.member) q->bind(4, event.member->id);
        else q->bind(4, std::nullopt);
        if (event.message_id != 0) q->bind(5, event.message_id);
        else q->bind(5, std::nullopt);
        q->bind(6, event.detail).bind(7, event.created_ms);
        if (event.session_id != 0) q->bind(8, event.session_id);
        else q->bind(8, std::nullopt);
        q->step();
    }
    auto q = db_->query(VB_EVENT_SELECT "WHERE e.room_id = ?1 AND e.seq = ?2");
    q->bind(1, event.room_id).bind(2, event.seq);
    if (!q->step()) throw StorageError("room event vanished");
    return read_event(*q);
}

std::optional<RoomEvent> SqliteStore::change_and_record(const std::function<std::optional<RoomId>()>& change,
                                                        RoomEvent event) {
    std::lock_guard lock(mutex_);
    Transaction tx(*db_);
    auto room = change();
    if (!room) return std::nullopt;
    event.room_id = *room;
    auto recorded = record_event_locked(event);
    tx.commit();
    return recorded;
}

std::vector<RoomEvent> SqliteStore::room_events(RoomId room, Seq after, Seq up_to) {
    auto reader = read_lease();
    std::vector<RoomEvent> out;
    auto q = reader.db.query(VB_EVENT_SELECT "WHERE e.room_id = ?1 AND e.seq > ?2 AND e.seq <= ?3 ORDER BY e.seq");
    q->bind(1, room).bind(2, after).bind(3, up_to);
    while (q->step()) out.push_back(read_event(*q));
    return out;
}

std::optional<RoomEvent> SqliteStore::add_member(RoomId room, AccountId account, TimestampMs now, RoomRole role) {
    std::lock_guard lock(mutex_);
    forget_rules_locked();
    Transaction tx(*db_);
    auto q = db_->query(
        "INSERT OR IGNORE INTO room_members(room_id, account_id, joined_ms, role) VALUES (?1, ?2, ?3, ?4)");
    q->bind(1, room).bind(2, account).bind(3, now).bind(4, protocol::to_string(role));
    q->step();
    if (db_->changes() == 0) return std::nullopt;
    auto event = record_event_locked({room, 0, RoomEventKind::member_joined, Author{account, {}, {}, {}}, 0, 0, {}, now});
    tx.commit();
    return event;
}

std::optional<RoomEvent> SqliteStore::leave_room(RoomId room, AccountId account, TimestampMs now) {
    std::lock_guard lock(mutex_);
    forget_rules_locked();
    Transaction tx(*db_);
    auto q = db_->query("DELETE FROM room_members WHERE room_id = ?1 AND account_id = ?2");
    q->bind(1, room).bind(2, account);
    q->step();
    if (db_->changes() == 0) return std::nullopt;
    auto event = record_event_locked({room, 0, RoomEventKind::member_left, Author{account, {}, {}, {}}, 0, 0, {}, now});
    tx.commit();
    return event;
}

std::optional<RoomEvent> SqliteStore::hide_message(MessageId message, const std::string& reason,
                                                   TimestampMs now) {
    return change_and_record(
        [&]() -> std::optional<RoomId> {
            auto q = db_->query("UPDATE messages SET hidden_reason = ?2 WHERE id = ?1 RETURNING room_id");
            q->bind(1, message).bind(2, reason);
            if (!q->step()) return std::nullopt;
            return q->int64(0);
        },
        {0, 0, RoomEventKind::message_hidden, std::nullopt, message, 0, reason, now});
}

std::optional<RoomEvent> SqliteStore::set_helpful(MessageId message, bool helpful, TimestampMs now) {
    return change_and_record(
        [&]() -> std::optional<RoomId> {
            auto q = db_->query("UPDATE messages SET helpful = ?2 WHERE id = ?1 RETURNING room_id");
            q->bind(1, message).bind(2, std::int64_t{helpful});
            if (!q->step()) return std::nullopt;
            return q->int64(0);
        },
        {0, 0, RoomEventKind::helpful_marked, std::nullopt, message, 0, helpful ? "1" : "0", now});
}

std::optional<RoomEvent> SqliteStore::set_case_status(MessageId thread_id, const std::string& status,
                                                      const std::string& outcome,
                                                      const std::string& reflection, TimestampMs now) {
    return change_and_record(
        [&]() -> std::optional<RoomId> {
            auto q = db_->query(
                "UPDATE cases SET status = ?2, outcome = ?3, reflection = ?4, last_activity_ms = ?5, "
                "closed_ms = CASE WHEN ?2 = 'closed' THEN ?5 ELSE NULL END WHERE thread_id = ?1 RETURNING room_id");
            q->bind(1, thread_id).bind(2, status).bind(3, outcome).bind(4, reflection).bind(5, now);
            if (!q->step()) return std::nullopt;
            return q->int64(0);
        },
        {0, 0, RoomEventKind::case_updated, std::nullopt, thread_id, 0, status, now});
}

}  // namespace vraagbaak::storage
