#include "transport/listener.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/ssl/context.hpp>

#include "support/log.hpp"
#include "transport/http_session.hpp"

namespace vraagbaak::transport {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

Listener::Listener(IoPool& pool, const tcp::endpoint& endpoint, CoreLink& core,
                   const TransportConfig& config)
    : pool_(pool), acceptor_(pool.first()), core_(core), config_(config) {
    acceptor_.open(endpoint.protocol());
    acceptor_.set_option(asio::socket_base::reuse_address(true));
    acceptor_.bind(endpoint);
    acceptor_.listen(asio::socket_base::max_listen_connections);
}

void Listener::start() { do_accept(); }

void Listener::stop() {
    asio::post(acceptor_.get_executor(), [self = shared_from_this()] {
        boost::system::error_code ignored;
        self->acceptor_.close(ignored);
    });
}

void Listener::serve(tcp::socket socket) {
    if (config_.tls)
        std::make_shared<HttpSession<TlsStream>>(TlsStream(std::move(socket), *config_.tls), core_, config_)->run();
    else
        std::make_shared<HttpSession<PlainStream>>(PlainStream(std::move(socket)), core_, config_)->run();
}

void Listener::do_accept() {
    // A connection stays on the thread it is accepted onto, so its handlers never run concurrently.
    acceptor_.async_accept(pool_.next(), [self = shared_from_this()](
                                                         boost::system::error_code ec,
                                                         tcp::socket socket) {
        if (ec == asio::error::operation_aborted || !self->acceptor_.is_open()) return;
        if (ec) {
            // Typically EMFILE under load; keep accepting rather than die.
            log::warn("transport", "accept failed", {{"error", ec.message()}});
        } else {
            // Replies and events are small and must go out at once, not wait for the peer to
            // acknowledge the previous segment (Nagle's algorithm with delayed ACKs: ~20-40 ms).
            boost::system::error_code ignored;
            socket.set_option(tcp::no_delay(true), ignored);
            self->serve(std::move(socket));
        }
        self->do_accept();
    });
}

}  // namespace vraagbaak::transport
