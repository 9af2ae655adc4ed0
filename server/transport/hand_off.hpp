#pragma once
// A list that any thread fills and one thread empties in bulk: what DeliveryLane (core to a
// network thread) and CoreInbox (network threads to the core) have in common. push() says when
// the list was empty, so the caller schedules exactly one take() for everything that piles up
// until it runs.

#include <mutex>
#include <utility>
#include <vector>

namespace vraagbaak::transport {

template <class T>
class HandOff {
public:
    // Thread-safe. True for the first item since the last take(): the caller must schedule one.
    bool push(T item) {
        std::lock_guard lock(mutex_);
        pending_.push_back(std::move(item));
        return !std::exchange(scheduled_, true);
    }
    // On the emptying thread: everything pushed since the last take(), in order. The caller
    // clears the list when done with it (its items may hold what should be released then).
    std::vector<T>& take() {
        std::lock_guard lock(mutex_);
        std::swap(pending_, taken_);
        scheduled_ = false;
        return taken_;
    }
    // Drops everything, taken or not (the emptying thread is gone).
    void clear() {
        std::vector<T> dropped;
        {
            std::lock_guard lock(mutex_);
            dropped.swap(pending_);
        }
        taken_.clear();
    }

private:
    std::mutex mutex_;
    std::vector<T> pending_;  // guarded by mutex_
    bool scheduled_ = false;  // guarded by mutex_: a take() is due and has not started
    std::vector<T> taken_;    // the emptying thread's own
};

}  // namespace vraagbaak::transport
