#pragma once
// One HTTP connection: answers /healthz, refuses other paths, and hands a WebSocket upgrade
// of /ws to a WsSession. One request per connection (Connection: close), which is all that a
// health probe or an upgrade needs. Over TLS the TLS handshake comes first, with the handshake
// timeout as its deadline too.

#include <memory>
#include <optional>

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include "transport/core_link.hpp"
#include "transport/transport_config.hpp"
#include "transport/ws_session.hpp"

namespace vraagbaak::transport {

template <class Stream>
class HttpSession : public std::enable_shared_from_this<HttpSession<Stream>> {
public:
    HttpSession(Stream&& stream, CoreLink& core, const TransportConfig& config);
    void run();

private:
    void do_read();
    // Ends the connection after a response (or the peer's end of stream): TLS says close_notify
    // first.
    void finish();
    void on_read(boost::system::error_code ec, std::size_t bytes);
    void respond(unsigned status, std::string body, const char* content_type = "text/plain; charset=utf-8");

    Stream stream_;
    boost::beast::flat_buffer buffer_;
    std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> parser_;
    CoreLink& core_;
    const TransportConfig& config_;
    // This connection's place in the per-address count; empty when the address is at its limit
    // (the request is then answered 429).
    std::shared_ptr<const void> address_slot_;
};

extern template class HttpSession<PlainStream>;
extern template class HttpSession<TlsStream>;

}  // namespace vraagbaak::transport
