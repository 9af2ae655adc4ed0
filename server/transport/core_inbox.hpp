#pragma once
// Work for the core thread from the network threads, handed over in bulk: the mirror of
// DeliveryLane. Posting each frame to the core on its own costs a wake-up of the core thread and
// a context switch per frame when both share a CPU; here frames that arrive while the core is
// busy wait in one list and the core takes them all in one step, in order.

#include <functional>

#include <boost/asio/any_io_executor.hpp>

#include "transport/hand_off.hpp"

namespace vraagbaak::transport {

class CoreInbox {
public:
    explicit CoreInbox(boost::asio::any_io_executor core);

    // Thread-safe. Runs `work` on the core thread, after everything posted here before it.
    void post(std::function<void()> work);

private:
    void drain();

    boost::asio::any_io_executor core_;
    HandOff<std::function<void()>> work_;
};

}  // namespace vraagbaak::transport
