#pragma once
// Work for the core thread from the network threads, handed over in bulk: the mirror of
// DeliveryLane. Posting each frame to the core on its own costs a wake-up of the core thread and
// a context switch per frame when both share a CPU; here frames that arrive while the core is
// busy wait in one list and the core takes them all in one step, in order.

#include <functional>

#include <boost/asio/any_io_executor.hpp>

#include "transport/hand_off.hpp"
#include "transport/wakeup.hpp"

namespace vraagbaak::transport {

class CoreInbox {
public:
    explicit CoreInbox(boost::asio::any_io_executor core);

    // Thread-safe. Runs `work` on the core thread, after everything posted here before it.
    void post(std::function<void()> work);
    // On the core thread, once nothing posts any more: runs what is still waiting and stops
    // listening, so that the core's io_context can run out of work and return.
    void close();
    // On the core thread: runs what is waiting now, ahead of its wake-up (which then finds
    // nothing). Nothing after close().
    void run_pending();

private:
    void drain();

    HandOff<std::function<void()>> work_;
    Wakeup wakeup_;  // schedules drain() from the network threads
    bool closed_ = false;  // the core thread's own
};

}  // namespace vraagbaak::transport
