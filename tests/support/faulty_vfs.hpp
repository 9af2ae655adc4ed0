#pragma once
// A SQLite VFS named "faulty" that wraps the default one and, while switched on, fails every
// write and sync with an I/O error: a disk that stops working, and starts again. Reads keep
// working. For tests of what the server does when storage fails in the middle of a request.

#include <atomic>

namespace vraagbaak::test {

// Registers the VFS (once; not as the default) and returns the switch.
std::atomic<bool>& faulty_vfs_switch();

}  // namespace vraagbaak::test
