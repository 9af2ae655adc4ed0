#pragma once
// The TCP socket under a ws:// WebSocket, through which the session writes its own frames.
//
// Why: Beast writes one message per async_write, and that composed write (its frame header,
// buffer views, Asio's write op, a reactor operation and a completion handler per message) cost
// 3-4 µs of user CPU per delivery in a fan-out to 1,000, against 8-9 µs of the kernel's for the
// send itself. The session builds a frame's header itself and hands header and payload to
// write(): one sendmsg, and when the socket takes it all, nothing else. In a step of a fan-out
// it hands them to gather() instead, and its thread's SendRing writes the step's frames with one
// system call; the result is taken exactly as write() takes sendmsg's.
//
// How it stays safe beside Beast's own frames (the handshake's response, pings, pongs, close):
// every byte for the socket goes through this one ordered pipe. A write is tried at once; what
// the socket does not take is kept and written, in order, before anything written after it.
// Beast's writes (async_write_some) are always taken whole, the rest kept, and reported
// complete, so a frame of Beast's never lands inside one of the session's or the reverse. The
// kept bytes stay small: the session writes only when nothing is kept (one write of its own in
// flight, bounded by its batch size), and Beast's frames are small control frames.
//
// Not thread-safe: everything runs on the socket's executor, a one-thread io_context.

#include <sys/uio.h>

#include <cstddef>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/asio/append.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core/buffers_range.hpp>
#include <boost/beast/core/role.hpp>
#include <boost/beast/websocket/teardown.hpp>

#include "transport/send_ring.hpp"

namespace vraagbaak::transport {

class DirectSocket {
public:
    using socket_type = boost::asio::ip::tcp::socket;
    using executor_type = socket_type::executor_type;
    using next_layer_type = socket_type;
    using error_code = boost::system::error_code;

    explicit DirectSocket(socket_type socket);

    executor_type get_executor() { return socket_.get_executor(); }
    socket_type& next_layer() { return socket_; }
    const socket_type& next_layer() const { return socket_; }

    // Whom a wait for the socket keeps alive (the owner of the stream this socket is in), and
    // what runs when a gathered write is done (written, or kept and then written; or failed):
    // without it nothing is gathered. Set before the first write.
    void set_owner(std::weak_ptr<void> owner, std::function<void(error_code)> gathered_done = {}) {
        owner_ = std::move(owner);
        gathered_done_ = std::move(gathered_done);
    }

    // Writes `pieces` as far as the socket takes them now and keeps the rest, after whatever was
    // kept before. Returns how many bytes were kept (0: all written). On a failed socket `ec` is
    // set and nothing is kept.
    std::size_t write(std::span<const iovec> pieces, error_code& ec);
    bool idle() const { return kept_.size() == kept_from_ && !gathered_; }

    // While this thread's send ring gathers (a step of its delivery lane), puts a frame's write
    // in it instead of writing: true, and `gathered_done` runs once it is done. The header (at
    // most 14 bytes) is copied; the payload must stay as it is until then. False when there is
    // no ring gathering, something is kept or the ring is full: then write().
    bool gather(const unsigned char* header, std::size_t header_size, std::string_view payload);
    // The send ring's result for the gathered write: as sendmsg's, or -errno.
    void ring_sent(int result);
    // Runs `done` once nothing is kept, or with the error that failed the socket. Never inline.
    void when_idle(std::function<void(error_code)> done);

    template <class MutableBuffers, class ReadToken>
    auto async_read_some(const MutableBuffers& buffers, ReadToken&& token) {
        return socket_.async_read_some(buffers, std::forward<ReadToken>(token));
    }

    // Beast's writes: taken whole, completed as written (posted, never inline).
    template <class ConstBuffers, class WriteToken>
    auto async_write_some(const ConstBuffers& buffers, WriteToken&& token) {
        return boost::asio::async_initiate<WriteToken, void(error_code, std::size_t)>(
            [this](auto handler, const ConstBuffers& pieces) {
                std::vector<iovec> gathered;
                std::size_t total = 0;
                for (auto piece : boost::beast::buffers_range_ref(pieces)) {
                    gathered.push_back({const_cast<void*>(piece.data()), piece.size()});
                    total += piece.size();
                }
                error_code ec;
                write(gathered, ec);
                boost::asio::post(socket_.get_executor(),
                                  boost::asio::append(std::move(handler), ec, ec ? std::size_t{0} : total));
            },
            token, buffers);
    }

private:
    void keep(std::span<const iovec> pieces, std::size_t skip);
    void wait_writable();
    void on_writable(error_code ec);
    void settle(error_code ec);

    socket_type socket_;
    SendRing& ring_;  // this thread's
    // The gathered write, while it is in the ring.
    bool gathered_ = false;
    unsigned char gathered_header_[14] = {};
    iovec gathered_pieces_[2] = {};
    msghdr gathered_message_{};
    std::function<void(error_code)> gathered_done_;
    std::string kept_;  // bytes not written yet, from kept_from_
    std::size_t kept_from_ = 0;
    bool waiting_ = false;
    error_code failed_;
    std::weak_ptr<void> owner_;
    std::vector<std::function<void(error_code)>> idle_waiters_;
};

// The header of an unmasked, final text frame of `length` bytes (RFC 6455, 5.2), as a server
// writes it before the payload; returns the header's size.
std::size_t websocket_text_header(std::size_t length, unsigned char (&header)[10]);

// Beast ends a WebSocket with teardown of its next layer: what is kept (the close frame, as a
// rule) goes out first, then the TCP socket's own teardown.
void teardown(boost::beast::role_type role, DirectSocket& socket, boost::system::error_code& ec);

template <class TeardownHandler>
void async_teardown(boost::beast::role_type role, DirectSocket& socket, TeardownHandler&& handler) {
    auto held = std::make_shared<std::decay_t<TeardownHandler>>(std::forward<TeardownHandler>(handler));
    socket.when_idle([role, &socket, held](boost::system::error_code) {
        boost::beast::websocket::async_teardown(role, socket.next_layer(), std::move(*held));
    });
}

}  // namespace vraagbaak::transport
