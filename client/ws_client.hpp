#pragma once
// An asynchronous WebSocket client connection (ws:// or wss://) on a caller-supplied io_context.
// All callbacks run on that io_context; send() and close() must be called from it too (post if
// not).

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include <boost/system/error_code.hpp>

#include "url.hpp"

namespace boost::asio {
class io_context;
}

namespace vraagbaak::client {

class WsClient {
public:
    struct Handlers {
        // One call per frame: a message batched by the server (hello "batch") is split at '\n'.
        std::function<void(std::string frame)> on_frame;
        // The connection ended: ec is the I/O error, or empty with `reason` from a close frame.
        std::function<void(boost::system::error_code ec, const std::string& reason,
                           int close_code)>
            on_closed;
    };
    struct TlsOptions {
        // PEM file of certificate authorities trusted besides the system's (for a private CA or
        // a self-signed server certificate). Empty: the system's only.
        std::string ca_file;
    };

    // A connection for `url`: TLS when its scheme is wss://, with the server's certificate
    // checked against the trusted authorities and the URL's host name.
    static std::shared_ptr<WsClient> create(boost::asio::io_context& ioc, const Url& url,
                                            const TlsOptions& tls, Handlers handlers);
    virtual ~WsClient() = default;

    // Resolves, connects and performs the TLS and WebSocket handshakes within `timeout`, then
    // starts reading. `done` gets the outcome.
    virtual void connect(std::chrono::seconds timeout, std::function<void(boost::system::error_code)> done) = 0;
    virtual void send(std::string frame) = 0;
    // Starts the closing handshake after queued frames are sent.
    virtual void close() = 0;
    virtual bool is_open() const = 0;
    // Stops reading after the message being read: the server sees a client that does not keep
    // up (for the benchmark's slow-consumer workload and tests of the server's bounds).
    virtual void pause_reading() = 0;
};

}  // namespace vraagbaak::client
