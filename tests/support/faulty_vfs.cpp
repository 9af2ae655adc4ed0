#include "support/faulty_vfs.hpp"

#include <sqlite3.h>

#include <cstring>
#include <mutex>

namespace vraagbaak::test {

namespace {

std::atomic<bool> g_failing{false};
std::atomic<long> g_writes{0};
sqlite3_vfs* g_real = nullptr;
sqlite3_vfs g_vfs;

// Our file is followed in memory by the real VFS's file (szOsFile covers both).
struct FaultyFile {
    sqlite3_file base;
    sqlite3_file* real() { return reinterpret_cast<sqlite3_file*>(this + 1); }
};

FaultyFile* cast(sqlite3_file* f) { return reinterpret_cast<FaultyFile*>(f); }
sqlite3_file* real(sqlite3_file* f) { return cast(f)->real(); }

int x_close(sqlite3_file* f) { return real(f)->pMethods->xClose(real(f)); }
int x_read(sqlite3_file* f, void* out, int n, sqlite3_int64 at) { return real(f)->pMethods->xRead(real(f), out, n, at); }
int x_write(sqlite3_file* f, const void* in, int n, sqlite3_int64 at) {
    if (g_failing) return SQLITE_IOERR_WRITE;
    ++g_writes;
    return real(f)->pMethods->xWrite(real(f), in, n, at);
}
int x_truncate(sqlite3_file* f, sqlite3_int64 size) {
    if (g_failing) return SQLITE_IOERR_TRUNCATE;
    return real(f)->pMethods->xTruncate(real(f), size);
}
int x_sync(sqlite3_file* f, int flags) {
    if (g_failing) return SQLITE_IOERR_FSYNC;
    return real(f)->pMethods->xSync(real(f), flags);
}
int x_file_size(sqlite3_file* f, sqlite3_int64* size) { return real(f)->pMethods->xFileSize(real(f), size); }
int x_lock(sqlite3_file* f, int level) { return real(f)->pMethods->xLock(real(f), level); }
int x_unlock(sqlite3_file* f, int level) { return real(f)->pMethods->xUnlock(real(f), level); }
int x_check_reserved(sqlite3_file* f, int* out) { return real(f)->pMethods->xCheckReservedLock(real(f), out); }
int x_file_control(sqlite3_file* f, int op, void* arg) { return real(f)->pMethods->xFileControl(real(f), op, arg); }
int x_sector_size(sqlite3_file* f) { return real(f)->pMethods->xSectorSize(real(f)); }
int x_device(sqlite3_file* f) { return real(f)->pMethods->xDeviceCharacteristics(real(f)); }
int x_shm_map(sqlite3_file* f, int region, int size, int extend, void volatile** out) {
    return real(f)->pMethods->xShmMap(real(f), region, size, extend, out);
}
int x_shm_lock(sqlite3_file* f, int offset, int n, int flags) { return real(f)->pMethods->xShmLock(real(f), offset, n, flags); }
void x_shm_barrier(sqlite3_file* f) { real(f)->pMethods->xShmBarrier(real(f)); }
int x_shm_unmap(sqlite3_file* f, int delete_flag) { return real(f)->pMethods->xShmUnmap(real(f), delete_flag); }
int x_fetch(sqlite3_file* f, sqlite3_int64 at, int n, void** out) { return real(f)->pMethods->xFetch(real(f), at, n, out); }
int x_unfetch(sqlite3_file* f, sqlite3_int64 at, void* p) { return real(f)->pMethods->xUnfetch(real(f), at, p); }

const sqlite3_io_methods kMethods = {3,           x_close,         x_read,           x_write,       x_truncate,
                                     x_sync,      x_file_size,     x_lock,           x_unlock,      x_check_reserved,
                                     x_file_control, x_sector_size, x_device,        x_shm_map,     x_shm_lock,
                                     x_shm_barrier, x_shm_unmap,   x_fetch,          x_unfetch};

int x_open(sqlite3_vfs*, sqlite3_filename name, sqlite3_file* f, int flags, int* out_flags) {
    std::memset(f, 0, sizeof(FaultyFile));
    int rc = g_real->xOpen(g_real, name, real(f), flags, out_flags);
    // Only a file the real VFS opened gets methods; SQLite calls none on a failed open.
    f->pMethods = real(f)->pMethods ? &kMethods : nullptr;
    return rc;
}

}  // namespace

std::atomic<bool>& faulty_vfs_switch() {
    static std::once_flag once;
    std::call_once(once, [] {
        g_real = sqlite3_vfs_find(nullptr);
        g_vfs = *g_real;
        g_vfs.zName = "faulty";
        g_vfs.szOsFile = static_cast<int>(sizeof(FaultyFile)) + g_real->szOsFile;
        g_vfs.xOpen = x_open;
        sqlite3_vfs_register(&g_vfs, 0);
    });
    return g_failing;
}

std::atomic<long>& faulty_vfs_writes() {
    faulty_vfs_switch();
    return g_writes;
}

}  // namespace vraagbaak::test
