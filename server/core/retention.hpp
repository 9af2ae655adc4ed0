#pragma once
// Retention: closed cases are deleted a room-set number of days after closing. The app runs this
// periodically on the core thread; the audit log keeps only how many went.

#include <cstdint>

namespace vraagbaak::storage {
class Store;
}

namespace vraagbaak::core {

// Deletes the closed cases whose retention has passed; returns how many.
int run_retention(storage::Store& store, std::int64_t now_ms);

}  // namespace vraagbaak::core
