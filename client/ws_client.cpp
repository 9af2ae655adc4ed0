#include "ws_client.hpp"

#include <boost/asio/connect.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/websocket/error.hpp>

namespace vraagbaak::client {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using boost::system::error_code;

WsClient::WsClient(asio::io_context& ioc, Handlers handlers)
    : resolver_(ioc), ws_(ioc), handlers_(std::move(handlers)) {}

void WsClient::connect(const Url& url, std::chrono::seconds timeout,
                       std::function<void(error_code)> done) {
    auto self = shared_from_this();
    resolver_.async_resolve(
        url.host, url.port,
        [self, url, timeout, done](error_code ec, asio::ip::tcp::resolver::results_type results) {
            if (ec) return done(ec);
            beast::get_lowest_layer(self->ws_).expires_after(timeout);
            beast::get_lowest_layer(self->ws_).async_connect(
                results, [self, url, done](error_code ec2, const asio::ip::tcp::endpoint&) {
                    if (ec2) return done(ec2);
                    self->ws_.set_option(websocket::stream_base::decorator(
                        [](websocket::request_type& req) {
                            req.set(beast::http::field::user_agent, "vraagbaak-cli");
                        }));
                    std::string host = url.host + ":" + url.port;
                    self->ws_.async_handshake(host, url.path, [self, done](error_code ec3) {
                        if (ec3) return done(ec3);
                        beast::get_lowest_layer(self->ws_).expires_never();
                        self->ws_.set_option(
                            websocket::stream_base::timeout::suggested(beast::role_type::client));
                        self->ws_.read_message_max(16 * 1024 * 1024);
                        self->open_ = true;
                        done({});
                        self->do_read();
                    });
                });
        });
}

void WsClient::do_read() {
    ws_.async_read(buffer_, [self = shared_from_this()](error_code ec, std::size_t) {
        if (ec) return self->finish(ec);
        std::string frame = beast::buffers_to_string(self->buffer_.data());
        self->buffer_.consume(self->buffer_.size());
        if (self->handlers_.on_frame) self->handlers_.on_frame(std::move(frame));
        self->do_read();
    });
}

void WsClient::send(std::string frame) {
    if (!open_ || closing_) return;
    queue_.push_back(std::move(frame));
    if (!writing_) do_write();
}

void WsClient::do_write() {
    writing_ = true;
    ws_.text(true);
    ws_.async_write(asio::buffer(queue_.front()), [self = shared_from_this()](error_code ec, std::size_t) {
        self->writing_ = false;
        self->queue_.pop_front();
        if (ec) {
            beast::get_lowest_layer(self->ws_).close();
            return;
        }
        if (!self->queue_.empty()) return self->do_write();
        if (self->closing_)
            self->ws_.async_close(websocket::close_code::normal, [self](error_code) {});
    });
}

void WsClient::close() {
    if (!open_ || closing_) return;
    closing_ = true;
    if (!writing_) ws_.async_close(websocket::close_code::normal, [self = shared_from_this()](error_code) {});
}

void WsClient::finish(error_code ec) {
    if (finished_) return;
    finished_ = true;
    open_ = false;
    const auto& reason = ws_.reason();
    bool clean = ec == websocket::error::closed;
    if (handlers_.on_closed)
        handlers_.on_closed(clean ? error_code{} : ec, std::string(reason.reason.c_str()),
                            static_cast<int>(reason.code));
}

}  // namespace vraagbaak::client
