#pragma once
// Runs slow, self-contained work (password hashing) off the core thread and brings the result
// back to it. The core stays single-threaded: `then` always runs on the core thread.

#include <chrono>
#include <functional>

namespace vraagbaak::core {

class Offloader {
public:
    virtual ~Offloader() = default;
    // `work` runs on a worker thread and must not touch core state; `then` runs afterwards on
    // the core thread.
    virtual void run(std::function<void()> work, std::function<void()> then) = 0;
    // Runs `then` on the core thread after what is queued there now.
    virtual void later(std::function<void()> then) {
        run([] {}, std::move(then));
    }
    // Runs `then` on the core thread once `delay` has passed (or sooner where there is no clock
    // to wait on: the inline offloader runs it at once).
    virtual void after(std::chrono::microseconds delay, std::function<void()> then) {
        (void)delay;
        later(std::move(then));
    }
};

// Runs both parts at once on the calling thread; for tests and admin commands.
class InlineOffloader final : public Offloader {
public:
    void run(std::function<void()> work, std::function<void()> then) override {
        work();
        then();
    }
};

}  // namespace vraagbaak::core
