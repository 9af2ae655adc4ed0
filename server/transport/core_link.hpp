#pragma once
// What the transport needs of the core: the hub, the executor of the core thread (the only place
// the hub may be called), and a health probe for /healthz.

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>

#include "transport/address_slots.hpp"
#include "transport/core_inbox.hpp"

#include <boost/asio/any_io_executor.hpp>

namespace vraagbaak::core {
class Hub;
}

namespace vraagbaak::transport {

struct CoreLink {
    core::Hub& hub;
    boost::asio::any_io_executor core_executor;
    std::function<bool()> healthy;  // may be called from any thread
    // Ready for traffic: the database takes writes and the server is not shutting down.
    std::function<bool()> ready;
    std::atomic<bool> shutting_down{false};
    // The Prometheus exposition, rendered on request.
    std::function<std::string()> metrics;
    std::atomic<std::uint64_t> next_connection_id{1};
    std::atomic<std::int64_t> live_websockets{0};
    std::shared_ptr<AddressSlots> address_slots = std::make_shared<AddressSlots>();
    // How the network threads hand work to the core thread (instead of posting to core_executor
    // one handler at a time).
    std::shared_ptr<CoreInbox> inbox = std::make_shared<CoreInbox>(core_executor);
};

}  // namespace vraagbaak::transport
