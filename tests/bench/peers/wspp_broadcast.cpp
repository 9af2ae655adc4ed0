// The websocketpp peer: a minimal broadcast server with websocketpp's usual API (asio_no_tls
// config, one thread, compression off by that config). Every message received goes to every
// connection. Prints "listening on PORT" and serves until killed. Usage: wspp-broadcast [PORT]

#include <websocketpp/config/asio_no_tls.hpp>
#include <websocketpp/server.hpp>

#include <iostream>
#include <set>

using Server = websocketpp::server<websocketpp::config::asio>;

int main(int argc, char** argv) {
    Server server;
    std::set<websocketpp::connection_hdl, std::owner_less<websocketpp::connection_hdl>> connections;
    server.clear_access_channels(websocketpp::log::alevel::all);
    server.clear_error_channels(websocketpp::log::elevel::all);
    server.init_asio();
    server.set_reuse_addr(true);
    server.set_open_handler([&](websocketpp::connection_hdl h) { connections.insert(h); });
    server.set_close_handler([&](websocketpp::connection_hdl h) { connections.erase(h); });
    server.set_message_handler([&](websocketpp::connection_hdl, Server::message_ptr message) {
        for (const auto& h : connections) {
            websocketpp::lib::error_code ec;
            server.send(h, message, ec);  // the same message object for every recipient
        }
    });
    server.listen(websocketpp::lib::asio::ip::tcp::endpoint(websocketpp::lib::asio::ip::address::from_string("127.0.0.1"),
                                                            static_cast<unsigned short>(argc > 1 ? std::stoi(argv[1]) : 0)));
    server.start_accept();
    websocketpp::lib::asio::error_code ec;
    auto endpoint = server.get_local_endpoint(ec);
    std::cout << "listening on " << endpoint.port() << std::endl;
    server.run();
}
