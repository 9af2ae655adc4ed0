#include "transport/http_session.hpp"

#include <boost/asio/dispatch.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/websocket/rfc6455.hpp>

#include <type_traits>

#include "support/log.hpp"

namespace vraagbaak::transport {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

template <class Stream>
HttpSession<Stream>::HttpSession(Stream&& stream, CoreLink& core, const TransportConfig& config)
    : stream_(std::move(stream)), core_(core), config_(config) {
    boost::system::error_code ec;
    auto remote = beast::get_lowest_layer(stream_).socket().remote_endpoint(ec);
    address_slot_ = core_.address_slots->acquire(ec ? std::string() : remote.address().to_string(),
                                                 config_.max_connections_per_address);
}

namespace {

bool origin_allowed(const TransportConfig& config, std::string_view origin) {
    for (const auto& allowed : config.allowed_origins)
        if (allowed == origin) return true;
    return false;
}

}  // namespace

template <class Stream>
void HttpSession<Stream>::run() {
    // Start on the connection's thread.
    asio::dispatch(stream_.get_executor(), [self = this->shared_from_this()] {
        if constexpr (std::is_same_v<Stream, TlsStream>) {
            // The TLS handshake has the handshake timeout as its own deadline, as the HTTP
            // request after it does: a peer that stalls in it is dropped like a slowloris.
            beast::get_lowest_layer(self->stream_).expires_after(self->config_.handshake_timeout);
            self->stream_.async_handshake(asio::ssl::stream_base::server, [self](boost::system::error_code ec) {
                if (ec) {
                    log::debug("transport", "tls handshake failed", {{"error", ec.message()}});
                    return;
                }
                self->do_read();
            });
        } else {
            self->do_read();
        }
    });
}

template <class Stream>
void HttpSession<Stream>::finish() {
    if constexpr (std::is_same_v<Stream, TlsStream>) {
        beast::get_lowest_layer(stream_).expires_after(config_.handshake_timeout);
        stream_.async_shutdown([self = this->shared_from_this()](boost::system::error_code) {
            beast::get_lowest_layer(self->stream_).close();
        });
    } else {
        boost::system::error_code ignored;
        stream_.socket().shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
    }
}

template <class Stream>
void HttpSession<Stream>::do_read() {
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(config_.max_http_request_bytes));
    parser_->body_limit(config_.max_http_request_bytes);
    // The whole request, upgrade included, must arrive within the handshake timeout: a client
    // that trickles bytes (slowloris) is dropped.
    beast::get_lowest_layer(stream_).expires_after(config_.handshake_timeout);
    http::async_read(stream_, buffer_, *parser_,
                     [self = this->shared_from_this()](boost::system::error_code ec, std::size_t n) {
                         self->on_read(ec, n);
                     });
}

template <class Stream>
void HttpSession<Stream>::on_read(boost::system::error_code ec, std::size_t) {
    if (ec == http::error::end_of_stream) return finish();
    if (ec == beast::error::timeout) return beast::get_lowest_layer(stream_).close();
    if (ec) {
        if (ec == http::error::header_limit || ec == http::error::body_limit)
            respond(413, "request too large\n");
        return;
    }
    auto request = parser_->release();
    std::string_view target(request.target().data(), request.target().size());
    if (!address_slot_) return respond(429, "too many connections from your address\n");

    if (beast::websocket::is_upgrade(request) && config_.serve_websocket) {
        const bool echo = config_.serve_echo && target == "/echo";
        if (target != "/ws" && !echo) return respond(404, "WebSocket endpoint is /ws\n");
        // A browser always says where the page came from; only configured origins may connect,
        // so that another site cannot open a socket with a user's cookies or credentials.
        if (auto origin = request.find(http::field::origin); origin != request.end()) {
            std::string_view value(origin->value().data(), origin->value().size());
            if (!origin_allowed(config_, value)) return respond(403, "origin not allowed\n");
        }
        std::make_shared<WsSession<Stream>>(std::move(stream_), core_, config_, std::move(address_slot_))
            ->run(std::move(request), echo);
        return;
    }
    if (request.method() != http::verb::get && request.method() != http::verb::head)
        return respond(405, "method not allowed\n");
    if (target == "/healthz") {
        bool ok = core_.healthy();
        return respond(ok ? 200 : 503, ok ? "ok\n" : "database unavailable\n");
    }
    if (target == "/metrics" && config_.serve_metrics && core_.metrics)
        return respond(200, core_.metrics(), "text/plain; version=0.0.4; charset=utf-8");
    if (target == "/readyz") {
        if (core_.shutting_down) return respond(503, "shutting down\n");
        bool ok = core_.ready ? core_.ready() : core_.healthy();
        return respond(ok ? 200 : 503, ok ? "ready\n" : "database not writable\n");
    }
    if (target == "/ws") return respond(426, "upgrade to WebSocket required\n");
    respond(404, "not found\n");
}

template <class Stream>
void HttpSession<Stream>::respond(unsigned status, std::string body, const char* content_type) {
    auto response = std::make_shared<http::response<http::string_body>>(
        static_cast<http::status>(status), 11);
    response->set(http::field::server, "vraagbaak");
    response->set(http::field::content_type, content_type);
    response->keep_alive(false);
    response->body() = std::move(body);
    response->prepare_payload();
    beast::get_lowest_layer(stream_).expires_after(config_.handshake_timeout);
    http::async_write(stream_, *response,
                      [self = this->shared_from_this(), response](boost::system::error_code, std::size_t) {
                          self->finish();
                      });
}

template class HttpSession<PlainStream>;
template class HttpSession<TlsStream>;

}  // namespace vraagbaak::transport
