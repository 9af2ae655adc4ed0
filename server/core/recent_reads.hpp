#pragma once
// Reads shared between viewers for a moment: a reconnect storm's catch-ups, the page of history
// everyone who opens a busy room asks for. At most 16 are kept, each for at most 2 s (a storm's
// resumes arrive within that; then the store is read afresh), the oldest dropped first. What may
// change an entry's content is the hub's to judge: it clears them (Hub::forget_shared_reads).

#include <cstddef>
#include <cstdint>
#include <vector>

namespace vraagbaak::core {

template <class Entry>
class RecentReads {
public:
    // The first kept entry `matches` accepts, after dropping those older than 2 s; nullptr if none.
    template <class Match>
    const Entry* find(std::int64_t now_ms, Match&& matches) {
        std::erase_if(kept_, [&](const Kept& k) { return now_ms - k.made_ms > kKeptMs; });
        for (const auto& k : kept_)
            if (matches(k.entry)) return &k.entry;
        return nullptr;
    }
    // Keeps a complete entry (build it first: a read that fails half-way must leave nothing).
    // The reference is valid until the next add() or clear().
    const Entry& add(std::int64_t now_ms, Entry entry) {
        if (kept_.size() >= kKept) kept_.erase(kept_.begin());
        kept_.push_back(Kept{now_ms, std::move(entry)});
        return kept_.back().entry;
    }
    void clear() { kept_.clear(); }

private:
    static constexpr std::size_t kKept = 16;
    static constexpr std::int64_t kKeptMs = 2000;
    struct Kept {
        std::int64_t made_ms;
        Entry entry;
    };
    std::vector<Kept> kept_;
};

}  // namespace vraagbaak::core
