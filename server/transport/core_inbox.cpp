#include "transport/core_inbox.hpp"

#include <boost/asio/post.hpp>

namespace vraagbaak::transport {

CoreInbox::CoreInbox(boost::asio::any_io_executor core) : core_(std::move(core)) {}

void CoreInbox::post(std::function<void()> work) {
    bool schedule = false;
    {
        std::lock_guard lock(mutex_);
        pending_.push_back(std::move(work));
        schedule = !scheduled_;
        scheduled_ = true;
    }
    if (schedule) boost::asio::post(core_, [this] { drain(); });
}

void CoreInbox::drain() {
    {
        std::lock_guard lock(mutex_);
        std::swap(pending_, draining_);
        scheduled_ = false;
    }
    for (auto& work : draining_) work();
    draining_.clear();
}

}  // namespace vraagbaak::transport
