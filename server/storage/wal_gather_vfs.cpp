#include "storage/wal_gather_vfs.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <cstddef>
#include <cstdio>
#include <map>
#include <memory>
#include <mutex>
#include <new>
#include <type_traits>
#include <vector>

#include "storage/store.hpp"

namespace vraagbaak::storage::sqlite {

namespace {

// Gathered bytes go beneath once they reach this (a COMMIT of the largest group, 256 posts, is
// about 1 MB of frames), and in pieces of kMaxWrite.
constexpr std::size_t kMaxGathered = 4u << 20;
constexpr std::size_t kMaxWrite = 64u << 10;

// A WAL file: ours first, the beneath VFS's file right after it (szOsFile covers both).
// SQLite places a WAL's file struct right after its own Wal struct, 8-byte aligned only: no
// stricter alignment here (the compiler would zero it with aligned vector stores).
struct WalFile {
    sqlite3_file base;
    std::vector<char>* pending;  // owned; bytes not yet written beneath, from `start` on
    sqlite3_int64 start;

    sqlite3_file* beneath() { return reinterpret_cast<sqlite3_file*>(this + 1); }
};
static_assert(sizeof(WalFile) % 8 == 0 && alignof(WalFile) <= 8, "the beneath file must stay aligned");

WalFile* wal(sqlite3_file* f) { return reinterpret_cast<WalFile*>(f); }
sqlite3_file* beneath(sqlite3_file* f) { return wal(f)->beneath(); }

int flush(WalFile* w) {
    sqlite3_file* b = w->beneath();
    std::vector<char>& pending = *w->pending;
    int rc = SQLITE_OK;
    // The unix VFS writes at most 128 KB - 1 per call (it masks the length), so in pieces below it.
    for (std::size_t done = 0; done < pending.size() && rc == SQLITE_OK; done += kMaxWrite) {
        const std::size_t n = std::min(kMaxWrite, pending.size() - done);
        rc = b->pMethods->xWrite(b, pending.data() + done, static_cast<int>(n),
                                 w->start + static_cast<sqlite3_int64>(done));
    }
    // Kept or not, the bytes are not written again: a failed write fails the commit, and SQLite
    // rewrites from its own pages what it still wants.
    pending.clear();
    return rc;
}

int x_close(sqlite3_file* f) {
    WalFile* w = wal(f);
    const int flushed = flush(w);
    const int rc = beneath(f)->pMethods->xClose(beneath(f));
    delete w->pending;
    w->pending = nullptr;
    return flushed != SQLITE_OK ? flushed : rc;
}

int x_read(sqlite3_file* f, void* out, int n, sqlite3_int64 at) {
    if (const int rc = flush(wal(f)); rc != SQLITE_OK) return rc;
    return beneath(f)->pMethods->xRead(beneath(f), out, n, at);
}

int x_write(sqlite3_file* f, const void* in, int n, sqlite3_int64 at) {
    WalFile* w = wal(f);
    std::vector<char>& pending = *w->pending;
    const auto size = static_cast<std::size_t>(n);
    const bool follows_on = !pending.empty() && at == w->start + static_cast<sqlite3_int64>(pending.size());
    if (!follows_on) {
        // Written in call order, so an overwrite of an earlier frame lands after it.
        if (const int rc = flush(w); rc != SQLITE_OK) return rc;
        w->start = at;
    }
    const char* bytes = static_cast<const char*>(in);
    pending.insert(pending.end(), bytes, bytes + size);
    return pending.size() >= kMaxGathered ? flush(w) : SQLITE_OK;
}

int x_truncate(sqlite3_file* f, sqlite3_int64 size) {
    if (const int rc = flush(wal(f)); rc != SQLITE_OK) return rc;
    return beneath(f)->pMethods->xTruncate(beneath(f), size);
}

int x_sync(sqlite3_file* f, int flags) {
    if (const int rc = flush(wal(f)); rc != SQLITE_OK) return rc;
    return beneath(f)->pMethods->xSync(beneath(f), flags);
}

int x_file_size(sqlite3_file* f, sqlite3_int64* size) {
    if (const int rc = flush(wal(f)); rc != SQLITE_OK) return rc;
    return beneath(f)->pMethods->xFileSize(beneath(f), size);
}

int x_lock(sqlite3_file* f, int level) { return beneath(f)->pMethods->xLock(beneath(f), level); }
int x_unlock(sqlite3_file* f, int level) { return beneath(f)->pMethods->xUnlock(beneath(f), level); }
int x_check_reserved(sqlite3_file* f, int* out) {
    return beneath(f)->pMethods->xCheckReservedLock(beneath(f), out);
}
int x_file_control(sqlite3_file* f, int op, void* arg) {
    return beneath(f)->pMethods->xFileControl(beneath(f), op, arg);
}
int x_sector_size(sqlite3_file* f) { return beneath(f)->pMethods->xSectorSize(beneath(f)); }
int x_device(sqlite3_file* f) { return beneath(f)->pMethods->xDeviceCharacteristics(beneath(f)); }

// Version 1: SQLite asks shared memory and memory mapping of the database file only.
const sqlite3_io_methods kWalMethods = {1,      x_close,    x_read,          x_write,         x_truncate,
                                        x_sync, x_file_size, x_lock,         x_unlock,        x_check_reserved,
                                        x_file_control, x_sector_size, x_device, nullptr, nullptr,
                                        nullptr, nullptr, nullptr, nullptr};

// Standard layout with the VFS first, so that SQLite's pointer to it is a pointer to all of it
// (pAppData stays the beneath VFS's own).
struct Gathering {
    sqlite3_vfs vfs;
    sqlite3_vfs* under;
    char name[80];
};
static_assert(std::is_standard_layout_v<Gathering>);

int x_open(sqlite3_vfs* vfs, sqlite3_filename name, sqlite3_file* f, int flags, int* out_flags) {
    sqlite3_vfs* under = reinterpret_cast<Gathering*>(vfs)->under;
    // Any other file is the beneath VFS's alone, in the same memory.
    if ((flags & SQLITE_OPEN_WAL) == 0) return under->xOpen(under, name, f, flags, out_flags);
    auto* w = new (f) WalFile{};
    const int rc = under->xOpen(under, name, w->beneath(), flags, out_flags);
    // SQLite calls nothing on a file whose open failed, so nothing of ours may be left to free.
    if (w->beneath()->pMethods == nullptr) {
        w->base.pMethods = nullptr;
        return rc;
    }
    try {
        w->pending = new std::vector<char>();
    } catch (const std::bad_alloc&) {
        w->beneath()->pMethods->xClose(w->beneath());
        w->base.pMethods = nullptr;
        return SQLITE_NOMEM;
    }
    w->base.pMethods = &kWalMethods;
    return rc;
}

}  // namespace

std::string gathering_vfs(const std::string& base) {
    static std::mutex mutex;
    static std::map<std::string, std::unique_ptr<Gathering>> registered;
    std::lock_guard lock(mutex);
    auto& slot = registered[base];
    if (!slot) {
        sqlite3_vfs* under = sqlite3_vfs_find(base.empty() ? nullptr : base.c_str());
        if (under == nullptr) throw StorageError("no SQLite VFS named '" + base + "'");
        auto g = std::make_unique<Gathering>();
        g->under = under;
        std::snprintf(g->name, sizeof g->name, "vraagbaak-gather:%s", under->zName);
        g->vfs = *under;
        g->vfs.zName = g->name;
        g->vfs.szOsFile = static_cast<int>(sizeof(WalFile)) + under->szOsFile;
        g->vfs.xOpen = x_open;
        g->vfs.pNext = nullptr;
        if (sqlite3_vfs_register(&g->vfs, 0) != SQLITE_OK) throw StorageError(std::string("cannot register ") + g->name);
        slot = std::move(g);
    }
    return std::string(slot->name);
}

}  // namespace vraagbaak::storage::sqlite
