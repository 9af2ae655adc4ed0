#pragma once
// An asynchronous WebSocket client connection on a caller-supplied io_context. All callbacks run
// on that io_context; send() and close() must be called from it too (post if not).

#include <deque>
#include <functional>
#include <memory>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/websocket/stream.hpp>

#include "url.hpp"

namespace vraagbaak::client {

class WsClient : public std::enable_shared_from_this<WsClient> {
public:
    struct Handlers {
        std::function<void(std::string frame)> on_frame;
        // The connection ended: ec is the I/O error, or empty with `reason` from a close frame.
        std::function<void(boost::system::error_code ec, const std::string& reason,
                           int close_code)>
            on_closed;
    };

    WsClient(boost::asio::io_context& ioc, Handlers handlers);

    // Resolves, connects and performs the WebSocket handshake within `timeout`, then starts
    // reading. `done` gets the outcome.
    void connect(const Url& url, std::chrono::seconds timeout,
                 std::function<void(boost::system::error_code)> done);
    void send(std::string frame);
    // Starts the closing handshake after queued frames are sent.
    void close();
    bool is_open() const { return open_; }

private:
    void do_read();
    void do_write();
    void finish(boost::system::error_code ec);

    boost::asio::ip::tcp::resolver resolver_;
    boost::beast::websocket::stream<boost::beast::tcp_stream> ws_;
    boost::beast::flat_buffer buffer_;
    Handlers handlers_;
    std::deque<std::string> queue_;
    bool writing_ = false;
    bool open_ = false;
    bool closing_ = false;
    bool finished_ = false;
};

}  // namespace vraagbaak::client
