// SqliteStore's privacy operations: retention of closed cases and account erasure. What goes,
// goes for good: secure_delete (set when the store opens) overwrites freed pages, the full-text
// index is rebuilt so no old segment keeps a word, and the WAL is checkpointed and truncated.

#include "storage/sqlite_db.hpp"
#include "storage/sqlite_store.hpp"

namespace vraagbaak::storage {

using sqlite::Transaction;

void SqliteStore::scrub_locked() {
    db_->exec("INSERT INTO message_fts(message_fts) VALUES ('optimize')");
    db_->exec("PRAGMA wal_checkpoint(TRUNCATE)");
}

int SqliteStore::purge_expired_cases(TimestampMs now) {
    std::lock_guard lock(mutex_);
    std::vector<MessageId> threads;
    {
        auto q = db_->query(
            "SELECT c.thread_id FROM cases c JOIN rooms r ON r.id = c.room_id "
            "WHERE c.status = 'closed' AND c.closed_ms IS NOT NULL AND c.closed_ms + r.retention_days * 86400000 <= ?1");
        q->bind(1, now);
        while (q->step()) threads.push_back(q->int64(0));
    }
    if (threads.empty()) return 0;
    {
        Transaction tx(*db_);
        for (MessageId thread : threads) {
            // Everything that points at the thread's messages first, then the messages.
            for (const char* sql : {
                     "DELETE FROM message_fts WHERE rowid IN (SELECT id FROM messages WHERE thread_id = ?1)",
                     "DELETE FROM room_events WHERE message_id IN (SELECT id FROM messages WHERE thread_id = ?1)",
                     "DELETE FROM reports WHERE message_id IN (SELECT id FROM messages WHERE thread_id = ?1)",
                     "DELETE FROM reveal_requests WHERE message_id IN (SELECT id FROM messages WHERE thread_id = ?1)",
                     "DELETE FROM notices WHERE message_id IN (SELECT id FROM messages WHERE thread_id = ?1)",
                     "DELETE FROM session_posts WHERE message_id IN (SELECT id FROM messages WHERE thread_id = ?1)",
                     "DELETE FROM sealed_posts WHERE thread_id = ?1",
                     // The case's session summaries go with it.
                     "DELETE FROM session_cases WHERE case_id = ?1",
                     "DELETE FROM thread_pseudonyms WHERE thread_id = ?1",
                     "DELETE FROM case_tags WHERE thread_id = ?1",
                     "DELETE FROM cases WHERE thread_id = ?1",
                     "DELETE FROM messages WHERE thread_id = ?1",
                 }) {
                auto q = db_->query(sql);
                q->bind(1, thread);
                q->step();
            }
        }
        tx.commit();
    }
    scrub_locked();
    return static_cast<int>(threads.size());
}

bool SqliteStore::erase_account(AccountId account, bool delete_posts, TimestampMs now) {
    std::lock_guard lock(mutex_);
    // Whether it commits or not, no author (nor their rules in a room) is kept as read before.
    struct Forget {
        SqliteStore& store;
        ~Forget() {
            store.authors_.clear();
            store.forget_rules_locked();
        }
    } forget{*this};
    {
        Transaction tx(*db_);
        {
            // The row stays (posts, audit entries and reports point at it) but says nothing.
            auto q = db_->query(
                "UPDATE accounts SET handle = 'erased-' || id, display_name = 'erased', organisation_id = NULL, "
                "password_hash = '!', disabled = 1, role = 'member', banned_until_ms = NULL WHERE id = ?1");
            q->bind(1, account);
            q->step();
            if (db_->changes() == 0) return false;
        }
        for (const char* sql : {
                 "DELETE FROM auth_sessions WHERE account_id = ?1",
                 "DELETE FROM notices WHERE account_id = ?1",
                 "DELETE FROM read_markers WHERE account_id = ?1",
                 "DELETE FROM room_members WHERE account_id = ?1",
                 "DELETE FROM mutes WHERE account_id = ?1",
                 "DELETE FROM room_bans WHERE account_id = ?1",
                 "DELETE FROM session_signups WHERE account_id = ?1",
                 "DELETE FROM sealed_posts WHERE author_id = ?1",
                 // A summary quotes the session's posts with their authors' names as shown then:
                 // summaries that hold anything of theirs are withdrawn.
                 "UPDATE session_cases SET summary = NULL WHERE summary IS NOT NULL AND case_id IN "
                 "(SELECT thread_id FROM messages WHERE author_id = ?1)",
             }) {
            auto q = db_->query(sql);
            q->bind(1, account);
            q->step();
        }
        if (delete_posts) {
            for (const char* sql : {
                     "DELETE FROM message_fts WHERE rowid IN (SELECT id FROM messages WHERE author_id = ?1)",
                     "UPDATE messages SET body = '', hidden_reason = 'deleted', deleted = 1, pinned_ms = NULL, "
                     "client_msg_id = NULL WHERE author_id = ?1",
                     "UPDATE cases SET title = '[verwijderd]', outcome = NULL, reflection = NULL "
                     "WHERE thread_id IN (SELECT id FROM messages WHERE author_id = ?1)",
                 }) {
                auto q = db_->query(sql);
                q->bind(1, account);
                q->step();
            }
        }
        auto q = db_->query("INSERT INTO audit_log(ts_ms, actor_id, action, target, reason) VALUES (?1, NULL, ?2, ?3, ?4)");
        q->bind(1, now).bind(2, "account_erased").bind(3, "account:" + std::to_string(account))
            .bind(4, delete_posts ? "posts deleted" : "posts kept without author");
        q->step();
        tx.commit();
    }
    scrub_locked();
    return true;
}

}  // namespace vraagbaak::storage
