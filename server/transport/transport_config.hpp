#pragma once
// Limits and timeouts of the network layer. Defaults suit a chat server on the open internet.

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

namespace boost::asio::ssl {
class context;
}

namespace vraagbaak::transport {

struct TransportConfig {
    std::size_t max_frame_bytes = 64 * 1024;       // larger messages close with 1009
    std::size_t max_queue_bytes = 4 * 1024 * 1024;  // per connection; over it: slow reader, closed
    std::size_t max_http_request_bytes = 8 * 1024;
    std::chrono::seconds handshake_timeout{10};
    std::chrono::seconds idle_timeout{60};  // pings are sent after half of it
    // Open connections (HTTP or WebSocket) from one address; more get 429. 0: no limit. Behind
    // a proxy every client has the proxy's address: raise it or set 0 there.
    std::size_t max_connections_per_address = 200;
    // Browser origins that may open a WebSocket ("https://vraagbaak.example.nl"); a request with
    // another Origin header gets 403. Requests without one (non-browser clients) are let in.
    std::vector<std::string> allowed_origins;
    // What this listener serves: the main one WebSockets (and /metrics unless metrics have an
    // address of their own); a metrics listener only /metrics, /healthz and /readyz.
    bool serve_websocket = true;
    bool serve_metrics = true;
    // Tests only: /echo sends every message back, with the same stream options as /ws, so that
    // WebSocket conformance can be checked without the protocol on top.
    bool serve_echo = false;
    // Set: every connection speaks TLS first (wss://, https://); see tls_context.hpp.
    std::shared_ptr<boost::asio::ssl::context> tls;
};

}  // namespace vraagbaak::transport
