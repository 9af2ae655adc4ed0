#pragma once
// A SQLite VFS named "faulty" that wraps the default one and, while switched on, fails every
// write and sync with an I/O error: a disk that stops working, and starts again. Reads keep
// working. For tests of what the server does when storage fails in the middle of a request.
// It also counts the writes that reach it, so a test can see how many a piece of work took.

#include <atomic>

namespace vraagbaak::test {

// Registers the VFS (once; not as the default) and returns the switch.
std::atomic<bool>& faulty_vfs_switch();
// Writes handed to the default VFS through "faulty" so far (registers it too).
std::atomic<long>& faulty_vfs_writes();

}  // namespace vraagbaak::test
