#pragma once
// A connection's outgoing frames, first in first out. Unlike std::deque (which allocates its map
// and a 512-byte block as soon as it exists), an empty queue owns no memory: most connections are
// idle most of the time, and at 19,000 of them every idle byte counts.

#include <cstddef>
#include <vector>

#include "core/peer.hpp"

namespace vraagbaak::transport {

class FrameQueue {
public:
    bool empty() const { return head_ == frames_.size(); }
    std::size_t size() const { return frames_.size() - head_; }
    const core::Frame& front() const { return frames_[head_]; }
    const core::Frame& back() const { return frames_.back(); }
    const core::Frame& operator[](std::size_t i) const { return frames_[head_ + i]; }

    void push_back(core::Frame frame) { frames_.push_back(std::move(frame)); }
    void pop_back() {
        frames_.pop_back();
        if (empty()) release();
    }
    void pop_front() {
        frames_[head_++].reset();
        if (empty()) release();
        // A reader that never lets the queue run empty: reclaim the consumed front now and then.
        else if (head_ >= 1024 && head_ * 2 >= frames_.size()) {
            frames_.erase(frames_.begin(), frames_.begin() + static_cast<std::ptrdiff_t>(head_));
            head_ = 0;
        }
    }

private:
    void release() {
        head_ = 0;
        if (frames_.capacity() > kKeptCapacity) std::vector<core::Frame>().swap(frames_);
        else frames_.clear();
    }

    static constexpr std::size_t kKeptCapacity = 8;  // a busy connection's usual batch stays
    std::vector<core::Frame> frames_;
    std::size_t head_ = 0;
};

}  // namespace vraagbaak::transport
