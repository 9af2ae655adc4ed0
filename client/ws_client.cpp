#include "ws_client.hpp"

#include <deque>
#include <type_traits>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <boost/beast/websocket/error.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <boost/beast/websocket/stream.hpp>

namespace vraagbaak::client {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
namespace ssl = asio::ssl;
using boost::system::error_code;

namespace {

using PlainStream = beast::tcp_stream;
using TlsStream = beast::ssl_stream<beast::tcp_stream>;

// The connection over one kind of stream. The TLS context, when there is one, is shared with
// the stream and lives as long as the connection.
template <class Stream>
class Connection final : public WsClient, public std::enable_shared_from_this<Connection<Stream>> {
public:
    Connection(asio::io_context& ioc, Url url, std::shared_ptr<ssl::context> tls, error_code tls_error,
               Handlers handlers)
        : resolver_(ioc),
          tls_(std::move(tls)),
          tls_error_(tls_error),
          ws_(make_stream(ioc, tls_.get())),
          url_(std::move(url)),
          handlers_(std::move(handlers)) {}

    void connect(std::chrono::seconds timeout, std::function<void(error_code)> done) override {
        if (tls_error_) return asio::post(resolver_.get_executor(), [done, ec = tls_error_] { done(ec); });
        auto self = this->shared_from_this();
        resolver_.async_resolve(url_.host, url_.port, [self, timeout, done](error_code ec,
                                                                             asio::ip::tcp::resolver::results_type results) {
            if (ec) return done(ec);
            beast::get_lowest_layer(self->ws_).expires_after(timeout);
            beast::get_lowest_layer(self->ws_).async_connect(
                results, [self, done](error_code ec2, const asio::ip::tcp::endpoint&) {
                    if (ec2) return done(ec2);
                    // Requests are small and interactive: send each at once (no Nagle delay).
                    error_code ignored;
                    beast::get_lowest_layer(self->ws_).socket().set_option(asio::ip::tcp::no_delay(true), ignored);
                    self->secure(done);
                });
        });
    }

    void send(std::string frame) override {
        if (!open_ || closing_) return;
        queue_.push_back(std::move(frame));
        if (!writing_) do_write();
    }

    void close() override {
        if (!open_ || closing_) return;
        closing_ = true;
        if (!writing_) ws_.async_close(websocket::close_code::normal, [self = this->shared_from_this()](error_code) {});
    }

    bool is_open() const override { return open_; }

    void pause_reading() override { paused_ = true; }

private:
    static websocket::stream<Stream> make_stream(asio::io_context& ioc, ssl::context* tls) {
        if constexpr (std::is_same_v<Stream, TlsStream>) return websocket::stream<Stream>(ioc, *tls);
        else return websocket::stream<Stream>(ioc);
    }

    // TLS: name the server (SNI), check its certificate chain and that it is for the URL's host,
    // then handshake. Plain: nothing to do.
    void secure(std::function<void(error_code)> done) {
        if constexpr (std::is_same_v<Stream, TlsStream>) {
            auto& tls = ws_.next_layer();
            // Server Name Indication carries host names only, never addresses.
            error_code not_an_address;
            asio::ip::make_address(url_.host, not_an_address);
            // SSL_set_tlsext_host_name, spelled out: the macro's C cast trips -Wold-style-cast.
            if (not_an_address && !SSL_ctrl(tls.native_handle(), SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name,
                                            const_cast<char*>(url_.host.c_str())))
                return done(error_code(static_cast<int>(::ERR_get_error()), asio::error::get_ssl_category()));
            tls.set_verify_mode(ssl::verify_peer);
            tls.set_verify_callback(ssl::host_name_verification(url_.host));
            tls.async_handshake(ssl::stream_base::client, [self = this->shared_from_this(), done](error_code ec) {
                if (ec) return done(ec);
                self->upgrade(done);
            });
        } else {
            upgrade(done);
        }
    }

    void upgrade(std::function<void(error_code)> done) {
        ws_.set_option(websocket::stream_base::decorator(
            [](websocket::request_type& req) { req.set(beast::http::field::user_agent, "vraagbaak-cli"); }));
        std::string host = url_.host + ":" + url_.port;
        ws_.async_handshake(host, url_.path, [self = this->shared_from_this(), done](error_code ec) {
            if (ec) return done(ec);
            beast::get_lowest_layer(self->ws_).expires_never();
            self->ws_.set_option(websocket::stream_base::timeout::suggested(beast::role_type::client));
            self->ws_.read_message_max(16 * 1024 * 1024);
            self->open_ = true;
            done({});
            self->do_read();
        });
    }

    void do_read() {
        ws_.async_read(buffer_, [self = this->shared_from_this()](error_code ec, std::size_t) {
            if (ec) return self->finish(ec);
            std::string message = beast::buffers_to_string(self->buffer_.data());
            self->buffer_.consume(self->buffer_.size());
            // A batched message holds several frames, one per line (JSON frames never contain a
            // raw newline); an ordinary message is one line.
            if (self->handlers_.on_frame) {
                std::size_t start = 0;
                for (std::size_t end; (end = message.find('\n', start)) != std::string::npos; start = end + 1)
                    self->handlers_.on_frame(message.substr(start, end - start));
                self->handlers_.on_frame(start == 0 ? std::move(message) : message.substr(start));
            }
            if (!self->paused_) self->do_read();
        });
    }

    void do_write() {
        writing_ = true;
        ws_.text(true);
        ws_.async_write(asio::buffer(queue_.front()), [self = this->shared_from_this()](error_code ec, std::size_t) {
            self->writing_ = false;
            self->queue_.pop_front();
            if (ec) {
                beast::get_lowest_layer(self->ws_).close();
                return;
            }
            if (!self->queue_.empty()) return self->do_write();
            if (self->closing_) self->ws_.async_close(websocket::close_code::normal, [self](error_code) {});
        });
    }

    void finish(error_code ec) {
        if (finished_) return;
        finished_ = true;
        open_ = false;
        const auto& reason = ws_.reason();
        bool clean = ec == websocket::error::closed;
        if (handlers_.on_closed)
            handlers_.on_closed(clean ? error_code{} : ec, std::string(reason.reason.c_str()),
                                static_cast<int>(reason.code));
    }

    asio::ip::tcp::resolver resolver_;
    std::shared_ptr<ssl::context> tls_;  // before ws_, which refers to it
    error_code tls_error_;  // the CA file could not be used
    websocket::stream<Stream> ws_;
    Url url_;
    beast::flat_buffer buffer_;
    Handlers handlers_;
    std::deque<std::string> queue_;
    bool writing_ = false;
    bool open_ = false;
    bool paused_ = false;
    bool closing_ = false;
    bool finished_ = false;
};

}  // namespace

std::shared_ptr<WsClient> WsClient::create(asio::io_context& ioc, const Url& url, const TlsOptions& tls,
                                           Handlers handlers) {
    if (!url.tls) return std::make_shared<Connection<PlainStream>>(ioc, url, nullptr, error_code{}, std::move(handlers));
    auto context = std::make_shared<ssl::context>(ssl::context::tls_client);
    context->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                         ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1);
    error_code ec;
    context->set_default_verify_paths(ec);
    if (!ec && !tls.ca_file.empty()) context->load_verify_file(tls.ca_file, ec);
    return std::make_shared<Connection<TlsStream>>(ioc, url, std::move(context), ec, std::move(handlers));
}

}  // namespace vraagbaak::client
