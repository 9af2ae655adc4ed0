// The log facade's limit on repeated lines.

#include <gtest/gtest.h>

#include "support/log.hpp"

namespace {

using namespace std::chrono_literals;

TEST(RepeatLimiter, HoldsBackRepeatsAndSaysHowManyInTheNextWindow) {
    vraagbaak::log::RepeatLimiter limiter(3, 1min);
    const auto t0 = std::chrono::steady_clock::time_point{} + 1h;
    int suppressed = -1;
    for (int i = 0; i < 3; ++i) EXPECT_TRUE(limiter.admit("db\x1f" "commit failed", t0 + 1s * i, suppressed));
    for (int i = 0; i < 5; ++i) EXPECT_FALSE(limiter.admit("db\x1f" "commit failed", t0 + 10s, suppressed));
    EXPECT_TRUE(limiter.admit("other", t0 + 10s, suppressed)) << "other lines are not held back";
    EXPECT_EQ(suppressed, 0);
    EXPECT_TRUE(limiter.admit("db\x1f" "commit failed", t0 + 61s, suppressed));
    EXPECT_EQ(suppressed, 5) << "the first line of the next minute tells what was held back";
}

}  // namespace
