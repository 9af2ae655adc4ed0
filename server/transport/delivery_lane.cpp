#include "transport/delivery_lane.hpp"

#include <algorithm>

#include <boost/asio/post.hpp>

namespace vraagbaak::transport {

namespace asio = boost::asio;

asio::execution_context::id DeliveryLane::id;

DeliveryLane::DeliveryLane(asio::execution_context& context)
    : asio::execution_context::service(context),
      ioc_(static_cast<asio::io_context&>(context)),
      ring_(asio::use_service<SendRing>(context)),
      wakeup_(ioc_.get_executor(), [this] { drain(); }) {}

void DeliveryLane::deliver(std::shared_ptr<LaneClient> to, core::Frame frame) {
    push(Item{std::move(to), std::move(frame), {}});
}

void DeliveryLane::run(std::shared_ptr<LaneClient> to, std::function<void()> action) {
    push(Item{std::move(to), nullptr, std::move(action)});
}

void DeliveryLane::push(Item item) {
    if (items_.push(std::move(item))) wakeup_.signal();
}

void DeliveryLane::drain() {
    if (backlog_scheduled_) take_handed_over();
    else flush_backlog();  // which takes it first
}

void DeliveryLane::take_handed_over() {
    auto& batch = items_.take();
    const bool small = batch.size() <= kFlushesPerStep;
    for (auto& item : batch) {
        if (item.action) {
            item.to->flush();  // what came before the action goes first
            item.action();
        } else if (item.to->take(std::move(item.frame))) {
            if (small) touched_.push_back(item.to.get());
            else backlog_.push_back(std::move(item.to));
        } else if (small) {
            // Already due in the backlog: flushed now with this frame, the backlog finds it done.
            touched_.push_back(item.to.get());
        }
    }
    ring_.begin();
    for (LaneClient* client : touched_) client->flush();
    ring_.submit();
    touched_.clear();
    batch.clear();  // the clients may go now that they have been flushed
}

void DeliveryLane::flush_backlog() {
    backlog_scheduled_ = false;
    if (before_step_) before_step_();
    // What the core handed over during the last step (a reply, a read to resume) is taken now:
    // its wake-up would only be seen when the reactor is next polled, after every handler the
    // last step queued.
    take_handed_over();
    const std::size_t end = std::min(backlog_.size(), backlog_next_ + kFlushesPerStep);
    ring_.begin();
    for (; backlog_next_ < end; ++backlog_next_) backlog_[backlog_next_]->flush();
    ring_.submit();
    if (backlog_next_ == backlog_.size()) {
        backlog_.clear();
        backlog_next_ = 0;
    } else {
        // Reads, write completions and small hand-offs that became ready run before the rest.
        backlog_scheduled_ = true;
        asio::post(ioc_, [this] { flush_backlog(); });
    }
}

void DeliveryLane::shutdown() {
    // The io_context is going away: what was never drained is dropped with it.
    before_step_ = nullptr;
    wakeup_.close();
    items_.clear();
    backlog_.clear();
    backlog_next_ = 0;
}

}  // namespace vraagbaak::transport
