#include "storage/migrations.hpp"

#include <array>
#include <string>

#include "storage/store.hpp"

namespace vraagbaak::storage {
namespace {

// Never edit a released migration: add a new one. Index i brings version i to i + 1.
constexpr std::array<const char*, 13> kMigrations{
    // 1: organisations, accounts, rooms, membership, messages.
    R"sql(
CREATE TABLE organisations (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    code        TEXT NOT NULL UNIQUE COLLATE NOCASE,
    created_ms  INTEGER NOT NULL
);
CREATE TABLE accounts (
    id               INTEGER PRIMARY KEY,
    handle           TEXT NOT NULL UNIQUE,
    display_name     TEXT NOT NULL,
    organisation_id  INTEGER REFERENCES organisations(id),
    password_hash    TEXT NOT NULL,
    disabled         INTEGER NOT NULL DEFAULT 0,
    created_ms       INTEGER NOT NULL
);
CREATE TABLE rooms (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE COLLATE NOCASE,
    topic       TEXT NOT NULL DEFAULT '',
    last_seq    INTEGER NOT NULL DEFAULT 0,
    created_by  INTEGER REFERENCES accounts(id),
    created_ms  INTEGER NOT NULL
);
CREATE TABLE room_members (
    room_id     INTEGER NOT NULL REFERENCES rooms(id),
    account_id  INTEGER NOT NULL REFERENCES accounts(id),
    joined_ms   INTEGER NOT NULL,
    PRIMARY KEY (room_id, account_id)
) WITHOUT ROWID;
CREATE INDEX room_members_by_account ON room_members(account_id, room_id);
CREATE TABLE messages (
    id          INTEGER PRIMARY KEY,
    room_id     INTEGER NOT NULL REFERENCES rooms(id),
    seq         INTEGER NOT NULL,
    author_id   INTEGER NOT NULL REFERENCES accounts(id),
    body        TEXT NOT NULL,
    created_ms  INTEGER NOT NULL,
    UNIQUE (room_id, seq)
);
)sql",
    // 2: identity (roles, session tokens, invites) and accountable anonymity (levels, threads,
    // pseudonyms, mutes, reveals, notices, audit log).
    R"sql(
ALTER TABLE accounts ADD COLUMN role TEXT NOT NULL DEFAULT 'member'
    CHECK (role IN ('member', 'organiser', 'moderator', 'admin'));
CREATE TABLE auth_sessions (
    id          INTEGER PRIMARY KEY,
    account_id  INTEGER NOT NULL REFERENCES accounts(id),
    token_hash  TEXT NOT NULL UNIQUE,
    created_ms  INTEGER NOT NULL,
    expires_ms  INTEGER NOT NULL,
    revoked     INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX auth_sessions_by_account ON auth_sessions(account_id);
CREATE TABLE invites (
    id               INTEGER PRIMARY KEY,
    code_hash        TEXT NOT NULL UNIQUE,
    organisation_id  INTEGER NOT NULL REFERENCES organisations(id),
    created_by       INTEGER REFERENCES accounts(id),
    max_uses         INTEGER NOT NULL,
    uses             INTEGER NOT NULL DEFAULT 0,
    expires_ms       INTEGER NOT NULL,
    revoked          INTEGER NOT NULL DEFAULT 0,
    created_ms       INTEGER NOT NULL
);
ALTER TABLE rooms ADD COLUMN allowed_levels TEXT NOT NULL DEFAULT 'named,organisation,anonymous';
ALTER TABLE messages ADD COLUMN level TEXT NOT NULL DEFAULT 'named'
    CHECK (level IN ('named', 'organisation', 'anonymous'));
ALTER TABLE messages ADD COLUMN thread_id INTEGER;
ALTER TABLE messages ADD COLUMN pseudonym INTEGER NOT NULL DEFAULT 0;
UPDATE messages SET thread_id = id WHERE thread_id IS NULL;
CREATE INDEX messages_by_thread ON messages(thread_id);
CREATE TABLE thread_pseudonyms (
    thread_id   INTEGER NOT NULL,
    account_id  INTEGER NOT NULL REFERENCES accounts(id),
    number      INTEGER NOT NULL,
    PRIMARY KEY (thread_id, account_id),
    UNIQUE (thread_id, number)
) WITHOUT ROWID;
CREATE TABLE mutes (
    room_id     INTEGER NOT NULL REFERENCES rooms(id),
    account_id  INTEGER NOT NULL REFERENCES accounts(id),
    until_ms    INTEGER NOT NULL,
    PRIMARY KEY (room_id, account_id)
) WITHOUT ROWID;
CREATE TABLE reveal_requests (
    id            INTEGER PRIMARY KEY,
    message_id    INTEGER NOT NULL REFERENCES messages(id),
    requested_by  INTEGER NOT NULL REFERENCES accounts(id),
    reason        TEXT NOT NULL,
    created_ms    INTEGER NOT NULL,
    approved_by   INTEGER REFERENCES accounts(id),
    approved_ms   INTEGER
);
CREATE TABLE notices (
    id          INTEGER PRIMARY KEY,
    account_id  INTEGER NOT NULL REFERENCES accounts(id),
    kind        TEXT NOT NULL,
    message_id  INTEGER NOT NULL,
    reason      TEXT NOT NULL,
    created_ms  INTEGER NOT NULL,
    delivered   INTEGER NOT NULL DEFAULT 0
);
-- Append-only: who did what to what, and why. Targets name messages, never the hidden author.
CREATE TABLE audit_log (
    id        INTEGER PRIMARY KEY,
    ts_ms     INTEGER NOT NULL,
    actor_id  INTEGER REFERENCES accounts(id),
    action    TEXT NOT NULL,
    target    TEXT NOT NULL,
    reason    TEXT NOT NULL DEFAULT ''
);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
)sql",
    // 3: hiding messages and banning from rooms.
    R"sql(
ALTER TABLE messages ADD COLUMN hidden_reason TEXT;
CREATE TABLE room_bans (
    room_id     INTEGER NOT NULL REFERENCES rooms(id),
    account_id  INTEGER NOT NULL REFERENCES accounts(id),
    until_ms    INTEGER NOT NULL,
    PRIMARY KEY (room_id, account_id)
) WITHOUT ROWID;
)sql",
    // 4: idempotent posting: a retry with the same client message id finds the first copy.
    R"sql(
ALTER TABLE messages ADD COLUMN client_msg_id TEXT;
CREATE UNIQUE INDEX messages_idempotency ON messages(author_id, client_msg_id)
    WHERE client_msg_id IS NOT NULL;
)sql",
    // 5: cases (a thread with a title, tags and a status), reply kinds, helpful marks, and a
    // full-text index that folds case and diacritics ("geinformeerd" finds "geïnformeerd").
    R"sql(
CREATE TABLE cases (
    thread_id         INTEGER PRIMARY KEY REFERENCES messages(id),
    room_id           INTEGER NOT NULL REFERENCES rooms(id),
    title             TEXT NOT NULL,
    status            TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'answered', 'closed')),
    outcome           TEXT,
    reflection        TEXT,
    closed_ms         INTEGER,
    created_ms        INTEGER NOT NULL,
    last_activity_ms  INTEGER NOT NULL
);
CREATE INDEX cases_by_room ON cases(room_id, created_ms);
CREATE TABLE case_tags (
    thread_id  INTEGER NOT NULL REFERENCES cases(thread_id),
    tag        TEXT NOT NULL,
    PRIMARY KEY (thread_id, tag)
) WITHOUT ROWID;
ALTER TABLE messages ADD COLUMN kind TEXT;
ALTER TABLE messages ADD COLUMN helpful INTEGER NOT NULL DEFAULT 0;
CREATE VIRTUAL TABLE message_fts USING fts5(title, body, tokenize = 'unicode61 remove_diacritics 2');
INSERT INTO message_fts(rowid, title, body) SELECT id, '', body FROM messages;
)sql",
    // 6: read markers: the newest seq an account has read in a room.
    R"sql(
CREATE TABLE read_markers (
    account_id  INTEGER NOT NULL REFERENCES accounts(id),
    room_id     INTEGER NOT NULL REFERENCES rooms(id),
    seq         INTEGER NOT NULL,
    PRIMARY KEY (account_id, room_id)
) WITHOUT ROWID;
)sql",
    // 7: room events besides messages, in the room's one sequence.
    R"sql(
CREATE TABLE room_events (
    room_id     INTEGER NOT NULL REFERENCES rooms(id),
    seq         INTEGER NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('member_joined', 'member_left', 'message_hidden',
                                              'helpful_marked', 'case_updated', 'room_updated',
                                              'message_unhidden', 'message_deleted')),
    account_id  INTEGER REFERENCES accounts(id),
    message_id  INTEGER REFERENCES messages(id),
    detail      TEXT NOT NULL DEFAULT '',
    created_ms  INTEGER NOT NULL,
    PRIMARY KEY (room_id, seq)
) WITHOUT ROWID;
)sql",
    // 8: moderation: room settings and roles, room invites, pins, deletion, reports, global bans,
    // and the room an audit entry is about.
    R"sql(
ALTER TABLE rooms ADD COLUMN visibility TEXT NOT NULL DEFAULT 'open'
    CHECK (visibility IN ('open', 'organisations', 'invite'));
ALTER TABLE rooms ADD COLUMN slow_mode_s INTEGER NOT NULL DEFAULT 0;
ALTER TABLE rooms ADD COLUMN locked INTEGER NOT NULL DEFAULT 0;
ALTER TABLE rooms ADD COLUMN archived INTEGER NOT NULL DEFAULT 0;
CREATE TABLE room_organisations (
    room_id          INTEGER NOT NULL REFERENCES rooms(id),
    organisation_id  INTEGER NOT NULL REFERENCES organisations(id),
    PRIMARY KEY (room_id, organisation_id)
) WITHOUT ROWID;
ALTER TABLE room_members ADD COLUMN role TEXT NOT NULL DEFAULT 'member'
    CHECK (role IN ('member', 'organiser', 'moderator', 'owner'));
UPDATE room_members SET role = 'owner'
    WHERE account_id = (SELECT created_by FROM rooms WHERE rooms.id = room_members.room_id);
ALTER TABLE messages ADD COLUMN pinned_ms INTEGER;
ALTER TABLE messages ADD COLUMN deleted INTEGER NOT NULL DEFAULT 0;
CREATE TABLE room_invites (
    id          INTEGER PRIMARY KEY,
    room_id     INTEGER NOT NULL REFERENCES rooms(id),
    code_hash   TEXT NOT NULL UNIQUE,
    created_by  INTEGER REFERENCES accounts(id),
    max_uses    INTEGER NOT NULL,
    uses        INTEGER NOT NULL DEFAULT 0,
    expires_ms  INTEGER NOT NULL,
    created_ms  INTEGER NOT NULL
);
CREATE TABLE reports (
    id           INTEGER PRIMARY KEY,
    room_id      INTEGER NOT NULL REFERENCES rooms(id),
    message_id   INTEGER NOT NULL REFERENCES messages(id),
    reporter_id  INTEGER NOT NULL REFERENCES accounts(id),
    category     TEXT NOT NULL,
    reason       TEXT NOT NULL,
    status       TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'claimed', 'resolved', 'dismissed')),
    claimed_by   INTEGER REFERENCES accounts(id),
    outcome      TEXT NOT NULL DEFAULT '',
    created_ms   INTEGER NOT NULL,
    updated_ms   INTEGER NOT NULL
);
CREATE INDEX reports_by_room ON reports(room_id, status);
ALTER TABLE accounts ADD COLUMN banned_until_ms INTEGER;
ALTER TABLE audit_log ADD COLUMN room_id INTEGER REFERENCES rooms(id);
CREATE INDEX audit_log_by_room ON audit_log(room_id, id);
)sql",
    // 9: the privacy guard: what a room does with personal data, and how long closed cases stay.
    R"sql(
ALTER TABLE rooms ADD COLUMN privacy_mode TEXT NOT NULL DEFAULT 'block'
    CHECK (privacy_mode IN ('block', 'redact', 'warn'));
ALTER TABLE rooms ADD COLUMN retention_days INTEGER NOT NULL DEFAULT 90;
CREATE INDEX cases_closed ON cases(closed_ms) WHERE closed_ms IS NOT NULL;
)sql",
    // 10: network meetings (sessions): the plan, sign-ups, what was said in which step, sealed
    // posts waiting for their phase to end, attendance and the summaries. Room events gain the
    // kind session_updated (the table is rebuilt: SQLite cannot change a CHECK).
    R"sql(
CREATE TABLE sessions (
    id              INTEGER PRIMARY KEY,
    room_id         INTEGER NOT NULL REFERENCES rooms(id),
    title           TEXT NOT NULL,
    method          TEXT NOT NULL,
    plan            TEXT NOT NULL,
    organiser_id    INTEGER NOT NULL REFERENCES accounts(id),
    starts_ms       INTEGER NOT NULL,
    planned_minutes INTEGER NOT NULL,
    auto_advance    INTEGER NOT NULL DEFAULT 0,
    status          TEXT NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled', 'running', 'ended')),
    step            INTEGER,
    step_ends_ms    INTEGER,
    started_ms      INTEGER,
    ended_ms        INTEGER,
    created_ms      INTEGER NOT NULL
);
CREATE INDEX sessions_by_room ON sessions(room_id, status, starts_ms);
CREATE TABLE session_cases (
    session_id  INTEGER NOT NULL REFERENCES sessions(id),
    position    INTEGER NOT NULL,
    case_id     INTEGER NOT NULL REFERENCES cases(thread_id),
    follow_up   INTEGER NOT NULL DEFAULT 0,
    summary     TEXT,
    PRIMARY KEY (session_id, position)
);
CREATE INDEX session_cases_by_case ON session_cases(case_id);
CREATE TABLE session_signups (
    session_id  INTEGER NOT NULL REFERENCES sessions(id),
    account_id  INTEGER NOT NULL REFERENCES accounts(id),
    created_ms  INTEGER NOT NULL,
    PRIMARY KEY (session_id, account_id)
) WITHOUT ROWID;
CREATE TABLE session_posts (
    message_id  INTEGER PRIMARY KEY REFERENCES messages(id),
    session_id  INTEGER NOT NULL REFERENCES sessions(id),
    step        INTEGER NOT NULL
);
CREATE INDEX session_posts_by_session ON session_posts(session_id);
CREATE TABLE sealed_posts (
    id             INTEGER PRIMARY KEY,
    session_id     INTEGER NOT NULL REFERENCES sessions(id),
    step           INTEGER NOT NULL,
    room_id        INTEGER NOT NULL REFERENCES rooms(id),
    author_id      INTEGER NOT NULL REFERENCES accounts(id),
    thread_id      INTEGER NOT NULL REFERENCES messages(id),
    body           TEXT NOT NULL,
    level          TEXT NOT NULL,
    kind           TEXT NOT NULL,
    client_msg_id  TEXT,
    created_ms     INTEGER NOT NULL
);
CREATE INDEX sealed_posts_by_step ON sealed_posts(session_id, step);
CREATE UNIQUE INDEX sealed_posts_client_id ON sealed_posts(author_id, client_msg_id) WHERE client_msg_id IS NOT NULL;
CREATE TABLE room_events_v10 (
    room_id     INTEGER NOT NULL REFERENCES rooms(id),
    seq         INTEGER NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('member_joined', 'member_left', 'message_hidden',
                                              'helpful_marked', 'case_updated', 'room_updated',
                                              'message_unhidden', 'message_deleted', 'session_updated')),
    account_id  INTEGER REFERENCES accounts(id),
    message_id  INTEGER REFERENCES messages(id),
    detail      TEXT NOT NULL DEFAULT '',
    created_ms  INTEGER NOT NULL,
    session_id  INTEGER REFERENCES sessions(id),
    PRIMARY KEY (room_id, seq)
) WITHOUT ROWID;
INSERT INTO room_events_v10(room_id, seq, kind, account_id, message_id, detail, created_ms)
    SELECT room_id, seq, kind, account_id, message_id, detail, created_ms FROM room_events;
DROP TABLE room_events;
ALTER TABLE room_events_v10 RENAME TO room_events;
)sql",
    // 11: a room's pins are found without reading all its messages (every room lookup lists them).
    R"sql(
CREATE INDEX messages_pinned ON messages(room_id, pinned_ms) WHERE pinned_ms IS NOT NULL;
)sql",
    // 12: a room's member count is kept with the room (every room lookup shows it; counting the
    // members of a room of 1,000 took longer than the rest of the lookup). Triggers keep it, so
    // every way in or out (joins, leaves, kicks, erasure, the admin commands) is counted.
    R"sql(
ALTER TABLE rooms ADD COLUMN member_count INTEGER NOT NULL DEFAULT 0;
UPDATE rooms SET member_count = (SELECT COUNT(*) FROM room_members m WHERE m.room_id = rooms.id);
CREATE TRIGGER room_members_in AFTER INSERT ON room_members
    BEGIN UPDATE rooms SET member_count = member_count + 1 WHERE id = NEW.room_id; END;
CREATE TRIGGER room_members_out AFTER DELETE ON room_members
    BEGIN UPDATE rooms SET member_count = member_count - 1 WHERE id = OLD.room_id; END;
CREATE TRIGGER room_members_moved AFTER UPDATE OF room_id ON room_members
    BEGIN
        UPDATE rooms SET member_count = member_count - 1 WHERE id = OLD.room_id;
        UPDATE rooms SET member_count = member_count + 1 WHERE id = NEW.room_id;
    END;
)sql",
    // 13: the same messages table with its level check written as comparisons. SQLite builds a
    // temporary index for an IN list of three or more values each time it evaluates one, and
    // this check is evaluated on every post: that was about a sixth of a post's storage work. The
    // table is rebuilt (SQLite cannot change a CHECK), with its columns in the same order.
    R"sql(
CREATE TABLE messages_v13 (
    id             INTEGER PRIMARY KEY,
    room_id        INTEGER NOT NULL REFERENCES rooms(id),
    seq            INTEGER NOT NULL,
    author_id      INTEGER NOT NULL REFERENCES accounts(id),
    body           TEXT NOT NULL,
    created_ms     INTEGER NOT NULL,
    level          TEXT NOT NULL DEFAULT 'named'
                   CHECK (level = 'named' OR level = 'organisation' OR level = 'anonymous'),
    thread_id      INTEGER,
    pseudonym      INTEGER NOT NULL DEFAULT 0,
    hidden_reason  TEXT,
    client_msg_id  TEXT,
    kind           TEXT,
    helpful        INTEGER NOT NULL DEFAULT 0,
    pinned_ms      INTEGER,
    deleted        INTEGER NOT NULL DEFAULT 0,
    UNIQUE (room_id, seq)
);
INSERT INTO messages_v13(id, room_id, seq, author_id, body, created_ms, level, thread_id, pseudonym,
                         hidden_reason, client_msg_id, kind, helpful, pinned_ms, deleted)
    SELECT id, room_id, seq, author_id, body, created_ms, level, thread_id, pseudonym,
           hidden_reason, client_msg_id, kind, helpful, pinned_ms, deleted FROM messages;
DROP TABLE messages;
ALTER TABLE messages_v13 RENAME TO messages;
CREATE INDEX messages_by_thread ON messages(thread_id);
CREATE UNIQUE INDEX messages_idempotency ON messages(author_id, client_msg_id)
    WHERE client_msg_id IS NOT NULL;
CREATE INDEX messages_pinned ON messages(room_id, pinned_ms) WHERE pinned_ms IS NOT NULL;
)sql",
};

int user_version(sqlite::Database& db) {
    auto q = db.query("PRAGMA user_version");
    return q->step() ? static_cast<int>(q->int64(0)) : 0;
}

// Turns foreign key enforcement off for its lifetime and then back to what it was.
class ForeignKeysOff {
public:
    explicit ForeignKeysOff(sqlite::Database& db) : db_(db) {
        auto q = db_.query("PRAGMA foreign_keys");
        was_on_ = q->step() && q->int64(0) != 0;
        if (was_on_) db_.exec("PRAGMA foreign_keys = OFF");
    }
    // The store reads the setting back after migrating, so a failure here cannot go unseen.
    ~ForeignKeysOff() {
        try {
            if (was_on_) db_.exec("PRAGMA foreign_keys = ON");
        } catch (const StorageError&) {
        }
    }
    ForeignKeysOff(const ForeignKeysOff&) = delete;
    ForeignKeysOff& operator=(const ForeignKeysOff&) = delete;

private:
    sqlite::Database& db_;
    bool was_on_ = false;
};

}  // namespace

int latest_schema_version() { return static_cast<int>(kMigrations.size()); }

void migrate(sqlite::Database& db, int target) {
    const int version = user_version(db);
    if (version > latest_schema_version())
        throw StorageError("the database has schema version " + std::to_string(version) +
                           ", newer than this server knows (" +
                           std::to_string(latest_schema_version()) +
                           "); run a newer vraagbaak-server");
    if (target > latest_schema_version()) throw StorageError("no schema version " + std::to_string(target));
    if (version >= target) return;
    // A migration that rebuilds a table others refer to drops the old one; with foreign keys
    // enforced that drop would fail. So they are off while migrating, as SQLite's procedure for
    // changing a table says (the pragma does nothing inside a transaction, hence around them),
    // and each migration proves with foreign_key_check that it left every reference intact.
    ForeignKeysOff off(db);
    for (int v = version; v < target; ++v) {
        sqlite::Transaction tx(db);
        db.exec(kMigrations[static_cast<std::size_t>(v)]);
        {
            auto broken = db.query("PRAGMA foreign_key_check");
            if (broken->step())
                throw StorageError("schema migration " + std::to_string(v + 1) + " would leave a reference in table '" +
                                   broken->text(0) + "' pointing nowhere");
        }
        db.exec("PRAGMA user_version = " + std::to_string(v + 1));
        tx.commit();
    }
}

}  // namespace vraagbaak::storage
