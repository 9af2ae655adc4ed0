#pragma once
// Counts failed logins per key (a handle, an address) in a sliding window. A key with as many
// failures as allowed inside the window is blocked until the oldest of them leaves the window.
// Unknown handles are counted like known ones, so the limiter tells nothing about which exist.
// Core-thread only.

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <unordered_map>

namespace vraagbaak::core {

class LoginLimiter {
public:
    LoginLimiter(int max_failures, std::int64_t window_ms)
        : max_failures_(max_failures), window_ms_(window_ms) {}

    // Milliseconds until the key may try again, or nullopt when it may try now.
    std::optional<std::int64_t> retry_after(const std::string& key, std::int64_t now_ms);
    void record_failure(const std::string& key, std::int64_t now_ms);
    void reset(const std::string& key) { failures_.erase(key); }

private:
    void forget_old(std::deque<std::int64_t>& times, std::int64_t now_ms) const;
    void prune(std::int64_t now_ms);

    int max_failures_;
    std::int64_t window_ms_;
    std::unordered_map<std::string, std::deque<std::int64_t>> failures_;
};

}  // namespace vraagbaak::core
