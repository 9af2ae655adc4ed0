#include "transport/core_inbox.hpp"

#include <boost/asio/post.hpp>

namespace vraagbaak::transport {

CoreInbox::CoreInbox(boost::asio::any_io_executor core) : core_(std::move(core)) {}

void CoreInbox::post(std::function<void()> work) {
    if (work_.push(std::move(work))) boost::asio::post(core_, [this] { drain(); });
}

void CoreInbox::drain() {
    auto& batch = work_.take();
    for (auto& work : batch) work();
    batch.clear();
}

}  // namespace vraagbaak::transport
