#pragma once
// Counts open connections per remote address, so that one address cannot take every socket the
// process may hold. A slot is held for the life of a connection (HTTP, then WebSocket) and given
// back when its last holder goes. Thread-safe: accepts happen on several io threads.

#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

namespace vraagbaak::transport {

class AddressSlots : public std::enable_shared_from_this<AddressSlots> {
public:
    // A held slot; nullptr when the address is at its limit (0: no limit).
    std::shared_ptr<const void> acquire(const std::string& address, std::size_t limit) {
        std::lock_guard lock(mutex_);
        auto& open = open_[address];
        if (limit != 0 && open >= limit) {
            if (open == 0) open_.erase(address);
            return nullptr;
        }
        ++open;
        // Not null (a null shared_ptr would read as "no slot"); it points at the counter itself.
        return std::shared_ptr<const void>(this, [self = shared_from_this(), address](const void*) {
            self->release(address);
        });
    }

private:
    void release(const std::string& address) {
        std::lock_guard lock(mutex_);
        if (auto it = open_.find(address); it != open_.end() && --it->second == 0) open_.erase(it);
    }

    std::mutex mutex_;
    std::unordered_map<std::string, std::size_t> open_;
};

}  // namespace vraagbaak::transport
