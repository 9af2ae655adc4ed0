#pragma once
// A SQLite VFS that gathers the writes to a write-ahead log into a few large ones per commit.
//
// SQLite writes each WAL frame as two writes, its 24-byte header and then the page, so a COMMIT
// of 80 pages is 160 pwrite calls, and each touches the page cache on its own. This VFS keeps
// consecutive writes to a WAL file in memory and hands them to the VFS beneath in 64 KB pieces
// just before the file is synced, read, sized, truncated or closed (or when the next write does
// not follow on). Measured on this machine, 83 frames cost 114 µs of CPU as 166 writes and 34 µs
// as one; with the fdatasync, 300 against 185 µs.
//
// Why it is safe, and under which setting only: a commit counts as done once SQLite has synced
// the WAL, and with synchronous=FULL (or EXTRA) SQLite syncs the WAL of every COMMIT before it
// publishes the commit's frames to other connections through the wal-index. Every byte those see
// has therefore gone through the sync, and so through this buffer's flush; what a crash of the
// process loses is only frames that were never committed. With synchronous=NORMAL a WAL commit
// is not synced and its frames would be visible while still in this buffer: do not use it so.
// Files other than a WAL are the beneath VFS's own, untouched.

#include <string>

namespace vraagbaak::storage::sqlite {

// Registers (once per `base`) the gathering VFS over `base`, a registered VFS by name (empty:
// SQLite's default), and returns its name for sqlite3_open_v2. Thread-safe.
std::string gathering_vfs(const std::string& base);

}  // namespace vraagbaak::storage::sqlite
