// SqliteStore's network meetings: sessions, their agenda and sign-ups, sealed posts and what
// was said in each step. Every change of a session's state records a session_updated room event
// in the same transaction, so a resuming client replays it in order.

#include "storage/sqlite_db.hpp"
#include "storage/sqlite_store.hpp"

namespace vraagbaak::storage {

using sqlite::Statement;
using sqlite::Transaction;

namespace {

#define VB_SESSION_SELECT                                                                          \
    "SELECT s.id, s.room_id, s.title, s.method, s.plan, s.organiser_id, s.starts_ms, s.planned_minutes, " \
    "s.auto_advance, s.status, s.step, s.step_ends_ms, s.started_ms, s.ended_ms, s.created_ms, "     \
    "(SELECT COUNT(*) FROM session_signups g WHERE g.session_id = s.id) FROM sessions s "

StoredSession read_session_row(Statement& q) {
    StoredSession s;
    s.id = q.int64(0);
    s.room_id = q.int64(1);
    s.title = q.text(2);
    s.method = q.text(3);
    s.plan = q.text(4);
    s.organiser_id = q.int64(5);
    s.starts_ms = q.int64(6);
    s.planned_minutes = q.int64(7);
    s.auto_advance = q.int64(8) != 0;
    s.status = q.text(9);
    if (!q.is_null(10)) s.step = q.int64(10);
    if (!q.is_null(11)) s.step_ends_ms = q.int64(11);
    if (!q.is_null(12)) s.started_ms = q.int64(12);
    if (!q.is_null(13)) s.ended_ms = q.int64(13);
    s.created_ms = q.int64(14);
    s.signed_up = q.int64(15);
    return s;
}

}  // namespace

void SqliteStore::fill_session_cases_locked(StoredSession& s) {
    auto q = db_->query(
        "SELECT case_id, follow_up, summary IS NOT NULL FROM session_cases WHERE session_id = ?1 ORDER BY position");
    q->bind(1, s.id);
    while (q->step()) {
        (q->int64(1) ? s.follow_ups : s.agenda).push_back(q->int64(0));
        if (q->int64(2)) s.summaries.push_back(q->int64(0));
    }
}

std::vector<StoredSession> SqliteStore::sessions_where_locked(const char* sql, std::int64_t arg) {
    std::vector<StoredSession> out;
    {
        auto q = db_->query(sql);
        q->bind(1, arg);
        while (q->step()) out.push_back(read_session_row(*q));
    }
    for (auto& s : out) fill_session_cases_locked(s);
    return out;
}

RoomEvent SqliteStore::record_session_event_locked(const StoredSession& s, TimestampMs now) {
    RoomEvent event{s.room_id, 0, RoomEventKind::session_updated, std::nullopt, 0, 0, s.status, now};
    event.session_id = s.id;
    return record_event_locked(event);
}

std::pair<StoredSession, RoomEvent> SqliteStore::create_session(const NewSession& spec) {
    std::lock_guard lock(mutex_);
    Transaction tx(*db_);
    {
        auto q = db_->query(
            "INSERT INTO sessions(room_id, title, method, plan, organiser_id, starts_ms, planned_minutes, "
            "auto_advance, created_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
        q->bind(1, spec.room_id).bind(2, spec.title).bind(3, spec.method).bind(4, spec.plan);
        q->bind(5, spec.organiser_id).bind(6, spec.starts_ms).bind(7, spec.planned_minutes);
        q->bind(8, std::int64_t{spec.auto_advance}).bind(9, spec.created_ms);
        q->step();
    }
    const SessionId id = db_->last_insert_rowid();
    std::int64_t position = 0;
    auto add_case = [&](MessageId case_id, bool follow_up) {
        auto q = db_->query("INSERT INTO session_cases(session_id, position, case_id, follow_up) VALUES (?1, ?2, ?3, ?4)");
        q->bind(1, id).bind(2, position++).bind(3, case_id).bind(4, std::int64_t{follow_up});
        q->step();
    };
    for (auto c : spec.follow_ups) add_case(c, true);
    for (auto c : spec.agenda) add_case(c, false);
    auto stored = sessions_where_locked(VB_SESSION_SELECT "WHERE s.id = ?1", id).at(0);
    auto event = record_session_event_locked(stored, spec.created_ms);
    tx.commit();
    return {stored, event};
}

std::optional<StoredSession> SqliteStore::find_session(SessionId id) {
    std::lock_guard lock(mutex_);
    auto found = sessions_where_locked(VB_SESSION_SELECT "WHERE s.id = ?1", id);
    if (found.empty()) return std::nullopt;
    return found.front();
}

std::vector<StoredSession> SqliteStore::list_sessions(RoomId room, bool include_ended) {
    std::lock_guard lock(mutex_);
    return sessions_where_locked(include_ended ? VB_SESSION_SELECT "WHERE s.room_id = ?1 ORDER BY s.starts_ms, s.id"
                                               : VB_SESSION_SELECT "WHERE s.room_id = ?1 AND s.status != 'ended' ORDER BY s.starts_ms, s.id",
                                 room);
}

std::vector<StoredSession> SqliteStore::running_sessions() {
    std::lock_guard lock(mutex_);
    return sessions_where_locked(VB_SESSION_SELECT "WHERE s.status = 'running' AND ?1 = ?1 ORDER BY s.id", 0);
}

std::optional<StoredSession> SqliteStore::last_ended_session(RoomId room) {
    std::lock_guard lock(mutex_);
    auto found = sessions_where_locked(VB_SESSION_SELECT "WHERE s.room_id = ?1 AND s.status = 'ended' ORDER BY s.ended_ms DESC, s.id DESC LIMIT 1", room);
    if (found.empty()) return std::nullopt;
    return found.front();
}

std::vector<AccountId> SqliteStore::signed_up_accounts(SessionId session) {
    auto reader = read_lease();
    std::vector<AccountId> out;
    auto q = reader.db.query("SELECT account_id FROM session_signups WHERE session_id = ?1");
    q->bind(1, session);
    while (q->step()) out.push_back(q->int64(0));
    return out;
}

void SqliteStore::set_signed_up(SessionId session, AccountId account, bool signed_up, TimestampMs now) {
    std::lock_guard lock(mutex_);
    auto q = db_->query(signed_up ? "INSERT OR IGNORE INTO session_signups(session_id, account_id, created_ms) "
                                    "VALUES (?1, ?2, ?3)"
                                  : "DELETE FROM session_signups WHERE session_id = ?1 AND account_id = ?2");
    q->bind(1, session).bind(2, account);
    if (signed_up) q->bind(3, now);
    q->step();
}

std::optional<RoomEvent> SqliteStore::set_session_progress(SessionId session, const SessionProgress& progress,
                                                           TimestampMs now) {
    std::lock_guard lock(mutex_);
    Transaction tx(*db_);
    {
        auto q = db_->query(
            "UPDATE sessions SET status = ?2, step = ?3, step_ends_ms = ?4, "
            "started_ms = COALESCE(started_ms, CASE WHEN ?2 = 'running' THEN ?5 END), "
            "ended_ms = CASE WHEN ?2 = 'ended' THEN ?5 END WHERE id = ?1");
        q->bind(1, session).bind(2, progress.status).bind(3, progress.step);
        if (progress.step) q->bind(4, progress.step_ends_ms);
        else q->bind(4, std::nullopt);
        q->bind(5, now);
        q->step();
        if (db_->changes() == 0) return std::nullopt;
    }
    auto stored = sessions_where_locked(VB_SESSION_SELECT "WHERE s.id = ?1", session).at(0);
    auto event = record_session_event_locked(stored, now);
    tx.commit();
    return event;
}

std::pair<std::int64_t, bool> SqliteStore::add_sealed_post(const NewMessage& m) {
    std::lock_guard lock(mutex_);
    if (m.client_msg_id) {
        auto q = db_->query("SELECT id FROM sealed_posts WHERE author_id = ?1 AND client_msg_id = ?2");
        q->bind(1, m.author_id).bind(2, *m.client_msg_id);
        if (q->step()) return {q->int64(0), true};
    }
    auto q = db_->query(
        "INSERT INTO sealed_posts(session_id, step, room_id, author_id, thread_id, body, level, kind, client_msg_id, "
        "created_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)");
    q->bind(1, m.session_id.value_or(0)).bind(2, m.session_step).bind(3, m.room_id).bind(4, m.author_id);
    q->bind(5, m.thread_id.value_or(0)).bind(6, m.body).bind(7, protocol::to_string(m.level));
    q->bind(8, m.kind.value_or("comment"));
    if (m.client_msg_id) q->bind(9, *m.client_msg_id);
    else q->bind(9, std::nullopt);
    q->bind(10, m.created_ms);
    q->step();
    return {db_->last_insert_rowid(), false};
}

bool SqliteStore::has_sealed_post(AccountId author, const std::string& client_msg_id) {
    auto reader = read_lease();
    auto q = reader.db.query("SELECT 1 FROM sealed_posts WHERE author_id = ?1 AND client_msg_id = ?2");
    q->bind(1, author).bind(2, client_msg_id);
    return q->step();
}

std::vector<Message> SqliteStore::reveal_sealed_posts(SessionId session, std::int64_t step) {
    std::lock_guard lock(mutex_);
    Transaction tx(*db_);
    std::vector<NewMessage> sealed;
    {
        auto q = db_->query(
            "SELECT room_id, author_id, body, created_ms, level, thread_id, client_msg_id, kind FROM sealed_posts "
            "WHERE session_id = ?1 AND step = ?2 ORDER BY id");
        q->bind(1, session).bind(2, step);
        while (q->step()) {
            NewMessage m;
            m.room_id = q->int64(0);
            m.author_id = q->int64(1);
            m.body = q->text(2);
            m.created_ms = q->int64(3);
            m.level = protocol::anonymity_from_string(q->text(4)).value_or(Anonymity::anonymous);
            m.thread_id = q->int64(5);
            if (!q->is_null(6)) m.client_msg_id = q->text(6);
            m.kind = q->text(7);
            m.session_id = session;
            m.session_step = step;
            sealed.push_back(std::move(m));
        }
    }
    {
        auto q = db_->query("DELETE FROM sealed_posts WHERE session_id = ?1 AND step = ?2");
        q->bind(1, session).bind(2, step);
        q->step();
    }
    std::vector<Message> out;
    for (const auto& m : sealed)
        if (auto stored = append_locked(m); stored && !stored->duplicate) out.push_back(std::move(*stored));
    tx.commit();
    return out;
}

std::vector<AttendanceRow> SqliteStore::attendance(SessionId session) {
    auto reader = read_lease();
    std::vector<AttendanceRow> out;
    auto q = reader.db.query(
        "WITH people AS ("
        "  SELECT account_id, 1 AS signed_up, 0 AS named, 0 AS posted FROM session_signups WHERE session_id = ?1 "
        "  UNION ALL SELECT m.author_id, 0, m.level = 'named', 1 FROM session_posts p "
        "  JOIN messages m ON m.id = p.message_id WHERE p.session_id = ?1) "
        "SELECT a.id, a.handle, a.display_name, a.organisation_id, o.name, o.code, MAX(signed_up), MAX(named), "
        "MAX(posted) FROM people JOIN accounts a ON a.id = people.account_id "
        "LEFT JOIN organisations o ON o.id = a.organisation_id GROUP BY a.id ORDER BY a.display_name, a.id");
    q->bind(1, session);
    while (q->step()) {
        AttendanceRow row;
        row.account = Author{q->int64(0), q->text(1), q->text(2), std::nullopt};
        if (!q->is_null(3)) row.account.organisation = Organisation{q->int64(3), q->text(4), q->text(5)};
        row.signed_up = q->int64(6) != 0;
        row.posted_named = q->int64(7) != 0;
        row.posted = q->int64(8) != 0;
        out.push_back(std::move(row));
    }
    return out;
}

void SqliteStore::set_summary(SessionId session, MessageId case_id, const std::string& markdown) {
    std::lock_guard lock(mutex_);
    auto q = db_->query("UPDATE session_cases SET summary = ?3 WHERE session_id = ?1 AND case_id = ?2 AND follow_up = 0");
    q->bind(1, session).bind(2, case_id).bind(3, markdown);
    q->step();
}

std::optional<std::string> SqliteStore::summary(SessionId session, MessageId case_id) {
    auto reader = read_lease();
    auto q = reader.db.query(
        "SELECT summary FROM session_cases WHERE session_id = ?1 AND case_id = ?2 AND follow_up = 0 "
        "AND summary IS NOT NULL");
    q->bind(1, session).bind(2, case_id);
    if (!q->step()) return std::nullopt;
    return q->text(0);
}

}  // namespace vraagbaak::storage
