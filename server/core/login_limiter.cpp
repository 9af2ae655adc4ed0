#include "core/login_limiter.hpp"

namespace vraagbaak::core {

namespace {
// Past this many tracked keys, keys whose failures all left the window are dropped, so an
// attacker cycling through handles cannot grow the map without bound.
constexpr std::size_t kPruneAbove = 10000;
}  // namespace

void LoginLimiter::forget_old(std::deque<std::int64_t>& times, std::int64_t now_ms) const {
    while (!times.empty() && times.front() <= now_ms - window_ms_) times.pop_front();
}

std::optional<std::int64_t> LoginLimiter::retry_after(const std::string& key, std::int64_t now_ms) {
    auto it = failures_.find(key);
    if (it == failures_.end()) return std::nullopt;
    forget_old(it->second, now_ms);
    if (static_cast<int>(it->second.size()) < max_failures_) return std::nullopt;
    return it->second.front() + window_ms_ - now_ms;
}

void LoginLimiter::record_failure(const std::string& key, std::int64_t now_ms) {
    if (failures_.size() > kPruneAbove) prune(now_ms);
    auto& times = failures_[key];
    forget_old(times, now_ms);
    times.push_back(now_ms);
    while (static_cast<int>(times.size()) > max_failures_) times.pop_front();
}

void LoginLimiter::prune(std::int64_t now_ms) {
    for (auto it = failures_.begin(); it != failures_.end();) {
        forget_old(it->second, now_ms);
        it = it->second.empty() ? failures_.erase(it) : std::next(it);
    }
}

}  // namespace vraagbaak::core
