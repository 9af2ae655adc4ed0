#include "transport/delivery_lane.hpp"

#include <boost/asio/post.hpp>

namespace vraagbaak::transport {

namespace asio = boost::asio;

asio::execution_context::id DeliveryLane::id;

DeliveryLane::DeliveryLane(asio::execution_context& context)
    : asio::execution_context::service(context), ioc_(static_cast<asio::io_context&>(context)) {}

void DeliveryLane::deliver(std::shared_ptr<LaneClient> to, core::Frame frame) {
    push(Item{std::move(to), std::move(frame), {}});
}

void DeliveryLane::run(std::shared_ptr<LaneClient> to, std::function<void()> action) {
    push(Item{std::move(to), nullptr, std::move(action)});
}

void DeliveryLane::push(Item item) {
    if (items_.push(std::move(item))) asio::post(ioc_, [this] { drain(); });
}

void DeliveryLane::drain() {
    auto& batch = items_.take();
    for (auto& item : batch) {
        if (item.action) {
            item.to->flush();  // what came before the action goes first
            item.action();
        } else if (item.to->take(std::move(item.frame))) {
            touched_.push_back(item.to.get());
        }
    }
    for (LaneClient* client : touched_) client->flush();
    touched_.clear();
    batch.clear();  // the clients may go now that they have been flushed
}

void DeliveryLane::shutdown() {
    // The io_context is going away: what was never drained is dropped with it.
    items_.clear();
}

}  // namespace vraagbaak::transport
