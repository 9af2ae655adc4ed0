#pragma once
// A token bucket: on average `rate` events a second, in bursts of up to `burst`. Used to limit
// requests per connection and per account. Core-thread only; no clock of its own.

#include <algorithm>
#include <cstdint>

namespace vraagbaak::core {

class TokenBucket {
public:
    TokenBucket() = default;  // unlimited
    TokenBucket(double rate, double burst) : rate_(rate), burst_(burst), tokens_(burst) {}

    // 0 when an event may happen now (it takes a token); otherwise the milliseconds until one
    // may.
    std::int64_t take(std::int64_t now_ms) {
        if (rate_ <= 0) return 0;  // unlimited
        if (last_ms_ != 0) tokens_ = std::min(burst_, tokens_ + static_cast<double>(now_ms - last_ms_) * rate_ / 1000.0);
        last_ms_ = now_ms;
        if (tokens_ >= 1.0) {
            tokens_ -= 1.0;
            return 0;
        }
        return std::max<std::int64_t>(1, static_cast<std::int64_t>((1.0 - tokens_) * 1000.0 / rate_ + 0.999));
    }

private:
    double rate_ = 0;
    double burst_ = 0;
    double tokens_ = 0;
    std::int64_t last_ms_ = 0;
};

}  // namespace vraagbaak::core
