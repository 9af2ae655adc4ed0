#pragma once
// Limits and timeouts of the network layer. Defaults suit a chat server on the open internet.

#include <chrono>
#include <cstddef>

namespace vraagbaak::transport {

struct TransportConfig {
    std::size_t max_frame_bytes = 64 * 1024;       // larger messages close with 1009
    std::size_t max_queue_bytes = 4 * 1024 * 1024;  // per connection; over it: slow reader, closed
    std::size_t max_http_request_bytes = 8 * 1024;
    std::chrono::seconds handshake_timeout{10};
    std::chrono::seconds idle_timeout{60};  // pings are sent after half of it
};

}  // namespace vraagbaak::transport
