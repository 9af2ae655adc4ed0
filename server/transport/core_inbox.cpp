#include "transport/core_inbox.hpp"

namespace vraagbaak::transport {

CoreInbox::CoreInbox(boost::asio::any_io_executor core) : wakeup_(std::move(core), [this] { drain(); }) {}

void CoreInbox::post(std::function<void()> work) {
    if (work_.push(std::move(work))) wakeup_.signal();
}

void CoreInbox::close() {
    wakeup_.close();
    drain();  // a signal not read yet must not lose its work
    closed_ = true;
}

void CoreInbox::run_pending() {
    if (!closed_) drain();
}

void CoreInbox::drain() {
    auto& batch = work_.take();
    for (auto& work : batch) work();
    batch.clear();
}

}  // namespace vraagbaak::transport
