#pragma once
// Accepts TCP connections and hands each to an HTTP session on one of the network threads.

#include <memory>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "transport/core_link.hpp"
#include "transport/io_pool.hpp"
#include "transport/transport_config.hpp"

namespace vraagbaak::transport {

class Listener : public std::enable_shared_from_this<Listener> {
public:
    // Binds and listens at once; throws boost::system::system_error when that fails (port in
    // use, address not available), so start-up can report it.
    Listener(IoPool& pool, const boost::asio::ip::tcp::endpoint& endpoint,
             CoreLink& core, const TransportConfig& config);

    void start();
    // Stops accepting; established connections are not affected. Thread-safe.
    void stop();
    boost::asio::ip::tcp::endpoint local_endpoint() const { return acceptor_.local_endpoint(); }

private:
    void do_accept();
    void serve(boost::asio::ip::tcp::socket socket);

    IoPool& pool_;
    boost::asio::ip::tcp::acceptor acceptor_;
    CoreLink& core_;
    const TransportConfig& config_;
};

}  // namespace vraagbaak::transport
