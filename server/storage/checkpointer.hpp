#pragma once
// Copies a WAL database's log back into its file from a thread of its own.
//
// SQLite's automatic checkpoint runs inside the COMMIT that takes the log past 1,000 pages: that
// commit, on the core thread, then also copies some 4 MB into the database file and syncs it, and
// every post queued behind it waits (at 20,000 durable posts/s that was about a tenth of the core
// thread's time, in stalls of a few ms every 50 ms). Here the writer's COMMIT only notes the
// log's size (SQLite's WAL hook, which replaces the automatic checkpoint), and a thread with a
// connection of its own runs a PASSIVE checkpoint, which neither waits for nor blocks the writer
// or the readers. The writer then copies only what it committed meanwhile (a commit or two), so
// that the log can start over. Should that thread fall behind (readers holding old snapshots, a
// CPU too busy), the writer checkpoints as SQLite would once the log is `fallback_pages` long, so
// the log stays bounded either way.
//
// Durability is unchanged: a checkpoint copies only frames that a COMMIT has synced, and with
// synchronous=FULL (set on this connection too) it syncs the log before and the database after.

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

#include "storage/sqlite_db.hpp"

namespace vraagbaak::storage::sqlite {

class Checkpointer {
public:
    struct Limits {
        int pages = 1000;           // log length that wakes the thread (SQLite's own default)
        int fallback_pages = 8000;  // log length at which the writer checkpoints itself
    };

    // `writer` is the database's one writing connection and must outlive this; `path` and `vfs`
    // open the checkpointing connection. `start_thread` false (tests only) leaves every
    // checkpoint to the fallback.
    Checkpointer(Database& writer, const std::string& path, const std::string& vfs, Limits limits,
                 bool start_thread = true);
    ~Checkpointer();
    Checkpointer(const Checkpointer&) = delete;
    Checkpointer& operator=(const Checkpointer&) = delete;

private:
    static int on_commit(void* self, sqlite3* db, const char* schema, int pages);
    void run();

    Database& writer_;
    Database own_;
    const Limits limits_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool due_ = false;       // guarded by mutex_
    bool stopping_ = false;  // guarded by mutex_
    std::atomic<bool> running_{false};    // asked for and not finished
    std::atomic<bool> caught_up_{false};  // finished: the writer copies the rest
    std::thread thread_;
};

}  // namespace vraagbaak::storage::sqlite
