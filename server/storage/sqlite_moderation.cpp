// SqliteStore's moderation: room settings and roles, room invites, pins, unhiding and deleting
// messages, the report queue and service-wide bans.

#include <algorithm>

#include "storage/sqlite_db.hpp"
#include "storage/sqlite_store.hpp"
#include "vraagbaak/protocol/wire_types.hpp"

namespace vraagbaak::storage {

using sqlite::Statement;
using sqlite::Transaction;

namespace {

#define VB_REPORT_SELECT                                                                        \
    "SELECT id, room_id, message_id, reporter_id, category, reason, status, claimed_by, outcome, " \
    "created_ms FROM reports "

StoredReport read_report(Statement& s) {
    StoredReport r;
    r.id = s.int64(0);
    r.room_id = s.int64(1);
    r.message_id = s.int64(2);
    r.reporter_id = s.int64(3);
    r.category = s.text(4);
    r.reason = s.text(5);
    r.status = s.text(6);
    if (!s.is_null(7)) r.claimed_by = s.int64(7);
    r.outcome = s.text(8);
    r.created_ms = s.int64(9);
    return r;
}

}  // namespace

std::optional<RoomEvent> SqliteStore::update_room(RoomId room, const RoomChanges& c, TimestampMs now) {
    std::lock_guard lock(mutex_);
    forget_rules_locked();
    Transaction tx(*db_);
    {
        auto q = db_->query("SELECT 1 FROM rooms WHERE id = ?1");
        q->bind(1, room);
        if (!q->step()) return std::nullopt;
    }
    if (c.name) {
        auto q = db_->query("SELECT 1 FROM rooms WHERE name = ?1 AND id != ?2");
        q->bind(1, *c.name).bind(2, room);
        if (q->step()) return std::nullopt;  // the name is taken
    }
    // One statement: COALESCE keeps what is not being changed.
    {
        auto q = db_->query(
            "UPDATE rooms SET topic = COALESCE(?2, topic), name = COALESCE(?8, name), "
            "visibility = COALESCE(?3, visibility), "
            "allowed_levels = COALESCE(?4, allowed_levels), slow_mode_s = COALESCE(?5, slow_mode_s), "
            "locked = COALESCE(?6, locked), archived = COALESCE(?7, archived), "
            "privacy_mode = COALESCE(?9, privacy_mode), retention_days = COALESCE(?10, retention_days) WHERE id = ?1");
        q->bind(1, room);
        if (c.topic) q->bind(2, *c.topic);
        else q->bind(2, std::nullopt);
        if (c.visibility) q->bind(3, protocol::to_string(*c.visibility));
        else q->bind(3, std::nullopt);
        if (c.allowed_levels) q->bind(4, protocol::levels_to_csv(*c.allowed_levels));
        else q->bind(4, std::nullopt);
        q->bind(5, c.slow_mode_s);
        q->bind(6, c.locked ? std::optional<std::int64_t>(*c.locked) : std::nullopt);
        q->bind(7, c.archived ? std::optional<std::int64_t>(*c.archived) : std::nullopt);
        if (c.name) q->bind(8, *c.name);
        else q->bind(8, std::nullopt);
        if (c.privacy_mode) q->bind(9, protocol::to_string(*c.privacy_mode));
        else q->bind(9, std::nullopt);
        q->bind(10, c.retention_days);
        q->step();
    }
    if (c.organisations) {
        {
            auto q = db_->query("DELETE FROM room_organisations WHERE room_id = ?1");
            q->bind(1, room);
            q->step();
        }
        for (auto org : *c.organisations) {
            auto q = db_->query(
                "INSERT OR IGNORE INTO room_organisations(room_id, organisation_id) "
                "SELECT ?1, id FROM organisations WHERE id = ?2");
            q->bind(1, room).bind(2, org);
            q->step();
        }
    }
    auto event = record_event_locked({room, 0, RoomEventKind::room_updated, std::nullopt, 0, 0, {}, now});
    tx.commit();
    return event;
}

std::optional<RoomEvent> SqliteStore::set_pinned(MessageId message, bool pinned, TimestampMs now) {
    return change_and_record(
        [&]() -> std::optional<RoomId> {
            auto q = db_->query(
                "UPDATE messages SET pinned_ms = CASE WHEN ?2 THEN COALESCE(pinned_ms, ?3) ELSE NULL END "
                "WHERE id = ?1 RETURNING room_id");
            q->bind(1, message).bind(2, std::int64_t{pinned}).bind(3, now);
            if (!q->step()) return std::nullopt;
            return q->int64(0);
        },
        {0, 0, RoomEventKind::room_updated, std::nullopt, message, 0, {}, now});
}

std::optional<RoomEvent> SqliteStore::unhide_message(MessageId message, TimestampMs now) {
    return change_and_record(
        [&]() -> std::optional<RoomId> {
            auto q = db_->query(
                "UPDATE messages SET hidden_reason = NULL WHERE id = ?1 AND deleted = 0 RETURNING room_id");
            q->bind(1, message);
            if (!q->step()) return std::nullopt;
            return q->int64(0);
        },
        {0, 0, RoomEventKind::message_unhidden, std::nullopt, message, 0, {}, now});
}

std::optional<RoomEvent> SqliteStore::delete_message(MessageId message, TimestampMs now) {
    return change_and_record(
        [&]() -> std::optional<RoomId> {
            std::optional<RoomId> room;
            {
                auto q = db_->query(
                    "UPDATE messages SET body = '', hidden_reason = 'deleted', deleted = 1, pinned_ms = NULL "
                    "WHERE id = ?1 RETURNING room_id");
                q->bind(1, message);
                if (!q->step()) return std::nullopt;
                room = q->int64(0);
            }
            // The text must not survive in the search index either.
            auto fts = db_->query("UPDATE message_fts SET body = '' WHERE rowid = ?1");
            fts->bind(1, message);
            fts->step();
            return room;
        },
        {0, 0, RoomEventKind::message_deleted, std::nullopt, message, 0, {}, now});
}

std::optional<RoomRole> SqliteStore::room_role(RoomId room, AccountId account) {
    auto reader = read_lease();
    auto q = reader.db.query("SELECT role FROM room_members WHERE room_id = ?1 AND account_id = ?2");
    q->bind(1, room).bind(2, account);
    if (!q->step()) return std::nullopt;
    return protocol::room_role_from_string(q->text(0)).value_or(RoomRole::member);
}

std::optional<RoomEvent> SqliteStore::set_room_role(RoomId room, AccountId account, RoomRole role,
                                                    TimestampMs now) {
    std::lock_guard lock(mutex_);
    forget_rules_locked();
    Transaction tx(*db_);
    std::optional<RoomEvent> joined;
    {
        auto q = db_->query(
            "INSERT OR IGNORE INTO room_members(room_id, account_id, joined_ms, role) VALUES (?1, ?2, ?3, ?4)");
        q->bind(1, room).bind(2, account).bind(3, now).bind(4, protocol::to_string(role));
        q->step();
    }
    if (db_->changes() > 0)
        joined = record_event_locked({room, 0, RoomEventKind::member_joined, Author{account, {}, {}, {}}, 0, 0, {}, now});
    auto q = db_->query("UPDATE room_members SET role = ?3 WHERE room_id = ?1 AND account_id = ?2");
    q->bind(1, room).bind(2, account).bind(3, protocol::to_string(role));
    q->step();
    tx.commit();
    return joined;
}

RoomInvite SqliteStore::create_room_invite(RoomId room, const std::string& code_hash, int max_uses,
                                           TimestampMs expires_ms, AccountId created_by, TimestampMs now) {
    std::lock_guard lock(mutex_);
    auto q = db_->query(
        "INSERT INTO room_invites(room_id, code_hash, created_by, max_uses, expires_ms, created_ms) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
    q->bind(1, room).bind(2, code_hash).bind(3, created_by).bind(4, std::int64_t{max_uses}).bind(5, expires_ms).bind(6, now);
    q->step();
    return {db_->last_insert_rowid(), room, max_uses, expires_ms};
}

std::optional<InviteProblem> SqliteStore::use_room_invite(RoomId room, const std::string& code_hash,
                                                          TimestampMs now) {
    std::lock_guard lock(mutex_);
    Transaction tx(*db_);
    std::int64_t id = 0;
    {
        auto q = db_->query("SELECT id, max_uses, uses, expires_ms FROM room_invites WHERE code_hash = ?1 AND room_id = ?2");
        q->bind(1, code_hash).bind(2, room);
        if (!q->step()) return InviteProblem::invalid;
        if (q->int64(3) <= now) return InviteProblem::expired;
        if (q->int64(2) >= q->int64(1)) return InviteProblem::used_up;
        id = q->int64(0);
    }
    auto q = db_->query("UPDATE room_invites SET uses = uses + 1 WHERE id = ?1");
    q->bind(1, id);
    q->step();
    tx.commit();
    return std::nullopt;
}

StoredReport SqliteStore::create_report(const StoredReport& report) {
    std::lock_guard lock(mutex_);
    auto q = db_->query(
        "INSERT INTO reports(room_id, message_id, reporter_id, category, reason, created_ms, updated_ms) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)");
    q->bind(1, report.room_id)
        .bind(2, report.message_id)
        .bind(3, report.reporter_id)
        .bind(4, report.category)
        .bind(5, report.reason)
        .bind(6, report.created_ms);
    q->step();
    StoredReport out = report;
    out.id = db_->last_insert_rowid();
    out.status = "open";
    return out;
}

std::optional<StoredReport> SqliteStore::find_report(std::int64_t id) {
    auto reader = read_lease();
    auto q = reader.db.query(VB_REPORT_SELECT "WHERE id = ?1");
    q->bind(1, id);
    if (!q->step()) return std::nullopt;
    return read_report(*q);
}

std::vector<StoredReport> SqliteStore::list_reports(const std::optional<std::vector<RoomId>>& rooms,
                                                    const std::optional<std::string>& status) {
    auto reader = read_lease();
    std::vector<StoredReport> out;
    auto q = reader.db.query(VB_REPORT_SELECT
                        "WHERE (?1 IS NULL AND status IN ('open', 'claimed')) OR status = ?1 "
                        "ORDER BY id DESC LIMIT 500");
    if (status) q->bind(1, *status);
    else q->bind(1, std::nullopt);
    while (q->step()) {
        auto report = read_report(*q);
        if (rooms && std::find(rooms->begin(), rooms->end(), report.room_id) == rooms->end()) continue;
        out.push_back(std::move(report));
    }
    return out;
}

void SqliteStore::update_report(std::int64_t id, const std::string& status, std::optional<AccountId> claimed_by,
                                const std::string& outcome, TimestampMs now) {
    std::lock_guard lock(mutex_);
    auto q = db_->query(
        "UPDATE reports SET status = ?2, claimed_by = ?3, outcome = ?4, updated_ms = ?5 WHERE id = ?1");
    q->bind(1, id).bind(2, status).bind(3, claimed_by).bind(4, outcome).bind(5, now);
    q->step();
}

bool SqliteStore::set_banned_until(AccountId account, std::optional<TimestampMs> until_ms) {
    std::lock_guard lock(mutex_);
    auto q = db_->query("UPDATE accounts SET banned_until_ms = ?2 WHERE id = ?1");
    q->bind(1, account).bind(2, until_ms);
    q->step();
    return db_->changes() > 0;
}

}  // namespace vraagbaak::storage
