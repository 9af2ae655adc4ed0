#pragma once
// What the transport needs of the core: the hub, the executor of the core thread (the only place
// the hub may be called), and a health probe for /healthz.

#include <atomic>
#include <cstdint>
#include <functional>

#include <boost/asio/any_io_executor.hpp>

namespace vraagbaak::core {
class Hub;
}

namespace vraagbaak::transport {

struct CoreLink {
    core::Hub& hub;
    boost::asio::any_io_executor core_executor;
    std::function<bool()> healthy;  // may be called from any thread
    std::atomic<std::uint64_t> next_connection_id{1};
    std::atomic<std::int64_t> live_websockets{0};
};

}  // namespace vraagbaak::transport
