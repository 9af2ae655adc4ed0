// The floor: the least CPU a server can spend on a delivery that is written when it is due. Not
// a server anyone would run, a yardstick for F1's "CPU per delivery": every text message
// received goes to every connection as one frame built once and written with one send() per
// recipient (`write`), or with one io_uring submission for the whole fan-out (`uring`, where
// built with liburing). Nothing is queued: a send that does not take the whole frame is counted
// and dropped (the generator then reports less than 100 % delivered, so a run it happens in
// shows it). Reads and the handshake are Beast's, as in the naive peer; after the handshake
// Beast never writes (no pings), so the raw writes do not interleave with its frames.
// Prints "listening on PORT" and serves until killed. Usage: floor-broadcast write|uring [PORT]

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/websocket/stream.hpp>

#include <cstdint>
#include <cstdio>
#include <iostream>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_set>

#ifdef VRAAGBAAK_HAVE_URING
#include <liburing.h>
#endif

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;

namespace {

// An unmasked final text frame (RFC 6455 5.2), as a server sends it.
std::string text_frame(std::string_view payload) {
    std::string frame;
    frame += static_cast<char>(0x81);
    const std::uint64_t n = payload.size();
    if (n < 126) {
        frame += static_cast<char>(n);
    } else if (n <= 0xffff) {
        frame += static_cast<char>(126);
        for (int shift = 8; shift >= 0; shift -= 8) frame += static_cast<char>((n >> shift) & 0xff);
    } else {
        frame += static_cast<char>(127);
        for (int shift = 56; shift >= 0; shift -= 8) frame += static_cast<char>((n >> shift) & 0xff);
    }
    frame.append(payload);
    return frame;
}

std::unordered_set<int> g_members;  // sockets of accepted WebSockets
std::uint64_t g_short_sends = 0;

void send_each(const std::string& frame) {
    for (int fd : g_members)
        if (::send(fd, frame.data(), frame.size(), MSG_NOSIGNAL | MSG_DONTWAIT) != static_cast<ssize_t>(frame.size()))
            ++g_short_sends;
}

#ifdef VRAAGBAAK_HAVE_URING
io_uring g_ring;
bool g_uring = false;

void send_each_uring(const std::string& frame) {
    unsigned submitted = 0;
    for (int fd : g_members) {
        io_uring_sqe* sqe = io_uring_get_sqe(&g_ring);
        if (sqe == nullptr) {
            io_uring_submit(&g_ring);
            sqe = io_uring_get_sqe(&g_ring);
        }
        io_uring_prep_send(sqe, fd, frame.data(), frame.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
        ++submitted;
    }
    io_uring_submit(&g_ring);
    // MSG_DONTWAIT: every send completes at its submission, taken or refused; the frame must
    // outlive them all, so they are all reaped before returning.
    for (unsigned reaped = 0; reaped < submitted;) {
        io_uring_cqe* cqe = nullptr;
        if (io_uring_wait_cqe(&g_ring, &cqe) != 0) break;
        if (cqe->res != static_cast<int>(frame.size())) ++g_short_sends;
        io_uring_cqe_seen(&g_ring, cqe);
        ++reaped;
    }
}
#endif

void broadcast(const std::string& payload) {
    const std::string frame = text_frame(payload);
#ifdef VRAAGBAAK_HAVE_URING
    if (g_uring) return send_each_uring(frame);
#endif
    send_each(frame);
}

class Session : public std::enable_shared_from_this<Session> {
public:
    explicit Session(tcp::socket socket) : ws_(std::move(socket)) {
        ws_.next_layer().set_option(tcp::no_delay(true));
    }
    ~Session() { g_members.erase(fd_); }

    void run() {
        ws_.async_accept([self = shared_from_this()](beast::error_code ec) {
            if (ec) return;
            self->fd_ = self->ws_.next_layer().native_handle();
            g_members.insert(self->fd_);
            self->read();
        });
    }

private:
    void read() {
        ws_.async_read(buffer_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
            if (ec) return;
            const auto data = self->buffer_.cdata();
            broadcast(std::string(static_cast<const char*>(data.data()), data.size()));
            self->buffer_.consume(self->buffer_.size());
            self->read();
        });
    }

    websocket::stream<tcp::socket> ws_;
    beast::flat_buffer buffer_;
    int fd_ = -1;
};

void accept(tcp::acceptor& acceptor) {
    acceptor.async_accept([&acceptor](beast::error_code ec, tcp::socket socket) {
        if (!ec) std::make_shared<Session>(std::move(socket))->run();
        accept(acceptor);
    });
}

}  // namespace

int main(int argc, char** argv) {
    const std::string mode = argc > 1 ? argv[1] : "write";
    if (mode == "uring") {
#ifdef VRAAGBAAK_HAVE_URING
        if (const int rc = io_uring_queue_init(4096, &g_ring, 0); rc < 0) {
            std::cerr << "floor-broadcast: io_uring_queue_init failed (" << rc << ")\n";
            return 1;
        }
        g_uring = true;
#else
        std::cerr << "floor-broadcast: built without liburing\n";
        return 1;
#endif
    } else if (mode != "write") {
        std::cerr << "usage: floor-broadcast write|uring [PORT]\n";
        return 2;
    }
    asio::io_context ioc{1};
    tcp::acceptor acceptor(ioc, {asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(argc > 2 ? std::stoi(argv[2]) : 0)});
    std::cout << "listening on " << acceptor.local_endpoint().port() << std::endl;
    asio::signal_set signals(ioc, SIGTERM, SIGINT);
    signals.async_wait([&](beast::error_code, int) {
        if (g_short_sends > 0) std::cerr << "floor-broadcast: " << g_short_sends << " sends not taken whole\n";
        ioc.stop();
    });
    accept(acceptor);
    ioc.run();
}
