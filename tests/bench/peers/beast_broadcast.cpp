// The naive Beast peer: a minimal broadcast server in the style of Beast's websocket chat
// example. Every text message received goes to every connection, one async_write per recipient
// and message, each connection with its queue of shared immutable strings. One thread.
// Prints "listening on PORT" and serves until killed. Usage: beast-broadcast [PORT]

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/websocket/stream.hpp>

#include <iostream>
#include <memory>
#include <string>
#include <unordered_set>
#include <vector>

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;

class Session;
std::unordered_set<Session*> g_sessions;

class Session : public std::enable_shared_from_this<Session> {
public:
    explicit Session(tcp::socket socket) : ws_(std::move(socket)) {}
    ~Session() { g_sessions.erase(this); }

    void run() {
        ws_.set_option(websocket::stream_base::timeout::suggested(beast::role_type::server));
        ws_.async_accept([self = shared_from_this()](beast::error_code ec) {
            if (ec) return;
            g_sessions.insert(self.get());
            self->read();
        });
    }

    void send(const std::shared_ptr<const std::string>& message) {
        queue_.push_back(message);
        if (queue_.size() == 1) write();
    }

private:
    void read() {
        ws_.async_read(buffer_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
            if (ec) return;
            auto message = std::make_shared<const std::string>(beast::buffers_to_string(self->buffer_.data()));
            self->buffer_.consume(self->buffer_.size());
            // Copy the list first, as the chat example does: a send may end a session.
            std::vector<std::weak_ptr<Session>> targets;
            targets.reserve(g_sessions.size());
            for (auto* s : g_sessions) targets.push_back(s->weak_from_this());
            for (auto& t : targets)
                if (auto s = t.lock()) s->send(message);
            self->read();
        });
    }

    void write() {
        ws_.text(true);
        ws_.async_write(asio::buffer(*queue_.front()), [self = shared_from_this()](beast::error_code ec, std::size_t) {
            if (ec) return;
            self->queue_.erase(self->queue_.begin());
            if (!self->queue_.empty()) self->write();
        });
    }

    websocket::stream<beast::tcp_stream> ws_;
    beast::flat_buffer buffer_;
    std::vector<std::shared_ptr<const std::string>> queue_;
};

void accept(tcp::acceptor& acceptor) {
    acceptor.async_accept([&acceptor](beast::error_code ec, tcp::socket socket) {
        if (!ec) std::make_shared<Session>(std::move(socket))->run();
        accept(acceptor);
    });
}

int main(int argc, char** argv) {
    asio::io_context ioc{1};
    tcp::acceptor acceptor(ioc, {asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(argc > 1 ? std::stoi(argv[1]) : 0)});
    std::cout << "listening on " << acceptor.local_endpoint().port() << std::endl;
    accept(acceptor);
    ioc.run();
}
