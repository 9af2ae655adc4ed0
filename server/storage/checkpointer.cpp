#include "storage/checkpointer.hpp"

#include <sched.h>
#include <sqlite3.h>

namespace vraagbaak::storage::sqlite {

Checkpointer::Checkpointer(Database& writer, const std::string& path, const std::string& vfs, Limits limits,
                           bool start_thread)
    : writer_(writer), own_(path, Database::Mode::read_write, vfs), limits_(limits) {
    own_.exec("PRAGMA synchronous = FULL");
    if (start_thread) thread_ = std::thread([this] { run(); });
    sqlite3_wal_hook(writer_.handle(), &Checkpointer::on_commit, this);
}

Checkpointer::~Checkpointer() {
    sqlite3_wal_hook(writer_.handle(), nullptr, nullptr);
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_one();
    if (thread_.joinable()) thread_.join();
}

// On the writer's thread, after each COMMIT, with the log's length in pages.
int Checkpointer::on_commit(void* self, sqlite3* db, const char* schema, int pages) {
    auto* c = static_cast<Checkpointer*>(self);
    // SQLite starts the log over only at a write after a checkpoint that left nothing behind,
    // which one running beside the writer never does: the writer itself copies the few commits
    // since (or, far behind, everything), as SQLite's automatic checkpoint would. A failure
    // leaves the log to the next one, as there.
    if (pages >= c->limits_.fallback_pages || c->caught_up_.exchange(false, std::memory_order_acq_rel)) {
        sqlite3_wal_checkpoint_v2(db, schema, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    } else if (pages >= c->limits_.pages && c->thread_.joinable() &&
               !c->running_.exchange(true, std::memory_order_acq_rel)) {
        {
            std::lock_guard lock(c->mutex_);
            c->due_ = true;
        }
        c->wake_.notify_one();
    }
    return SQLITE_OK;
}

void Checkpointer::run() {
    // It shares the CPU with the core and the network threads; as SCHED_BATCH its wake-ups do
    // not preempt them (unprivileged; where refused, nothing changes).
    sched_param param{};
    sched_setscheduler(0, SCHED_BATCH, &param);
    std::unique_lock lock(mutex_);
    for (;;) {
        wake_.wait(lock, [this] { return due_ || stopping_; });
        if (stopping_) return;
        due_ = false;
        lock.unlock();
        // PASSIVE: what no reader still needs; busy (another checkpoint running) is fine too.
        const int rc = sqlite3_wal_checkpoint_v2(own_.handle(), nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
        if (rc == SQLITE_OK) caught_up_.store(true, std::memory_order_release);
        running_.store(false, std::memory_order_release);
        lock.lock();
    }
}

}  // namespace vraagbaak::storage::sqlite
