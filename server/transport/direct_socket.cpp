#include "transport/direct_socket.hpp"

#include <sys/socket.h>

#include <cerrno>
#include <cstdint>
#include <cstring>

#include <boost/asio/execution/context.hpp>
#include <boost/asio/query.hpp>

namespace vraagbaak::transport {

namespace asio = boost::asio;

namespace {

// A kept buffer larger than this is given back once it has been written.
constexpr std::size_t kKeptCapacity = 16 * 1024;

std::size_t total_of(std::span<const iovec> pieces) {
    std::size_t total = 0;
    for (const auto& piece : pieces) total += piece.iov_len;
    return total;
}

// sendmsg without blocking: the bytes taken, 0 when the socket is full, -1 with errno on failure.
ssize_t send_now(int fd, std::span<const iovec> pieces) {
    msghdr message{};
    message.msg_iov = const_cast<iovec*>(pieces.data());
    message.msg_iovlen = pieces.size();
    for (;;) {
        const ssize_t sent = ::sendmsg(fd, &message, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (sent >= 0) return sent;
        if (errno == EINTR) continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK) return 0;
        return -1;
    }
}

}  // namespace

DirectSocket::DirectSocket(socket_type socket)
    : socket_(std::move(socket)),
      ring_(asio::use_service<SendRing>(asio::query(socket_.get_executor(), asio::execution::context))) {}

bool DirectSocket::gather(const unsigned char* header, std::size_t header_size, std::string_view payload) {
    if (!gathered_done_ || !ring_.gathering() || !idle() || failed_ || !socket_.is_open() || header_size > sizeof gathered_header_)
        return false;
    std::memcpy(gathered_header_, header, header_size);
    gathered_pieces_[0] = {gathered_header_, header_size};
    gathered_pieces_[1] = {const_cast<char*>(payload.data()), payload.size()};
    gathered_message_ = {};
    gathered_message_.msg_iov = gathered_pieces_;
    gathered_message_.msg_iovlen = 2;
    if (!ring_.add(socket_.native_handle(), gathered_message_, *this, owner_.lock())) return false;
    gathered_ = true;
    return true;
}

void DirectSocket::ring_sent(int result) {
    gathered_ = false;
    if (result < 0 && result != -EAGAIN && result != -EWOULDBLOCK && result != -EINTR) {
        const error_code ec(-result, boost::system::system_category());
        settle(ec);
        return gathered_done_(ec);
    }
    const std::span<const iovec> pieces(gathered_pieces_);
    const std::size_t total = total_of(pieces);
    const std::size_t taken = result < 0 ? 0 : static_cast<std::size_t>(result);
    if (taken < total) {
        // The rest goes out first, ahead of what Beast wrote while it was in the ring.
        std::string after = kept_.substr(kept_from_);
        kept_.resize(kept_from_);
        keep(pieces, taken);
        kept_ += after;
    }
    if (idle()) {
        if (!idle_waiters_.empty()) settle({});
        return gathered_done_({});
    }
    idle_waiters_.push_back(gathered_done_);
    if (taken < total) wait_writable();
    else on_writable({});  // only what Beast wrote meanwhile: the socket has room, as a rule
}

std::size_t DirectSocket::write(std::span<const iovec> pieces, error_code& ec) {
    if (failed_) {
        ec = failed_;
        return 0;
    }
    if (!socket_.is_open()) {
        ec = asio::error::bad_descriptor;
        return 0;
    }
    const std::size_t total = total_of(pieces);
    if (!idle()) {  // behind what is kept
        keep(pieces, 0);
        return total;
    }
    const ssize_t sent = send_now(socket_.native_handle(), pieces);
    if (sent < 0) {
        ec = error_code(errno, boost::system::system_category());
        failed_ = ec;
        return 0;
    }
    const auto taken = static_cast<std::size_t>(sent);
    if (taken == total) return 0;
    keep(pieces, taken);
    wait_writable();
    return total - taken;
}

void DirectSocket::keep(std::span<const iovec> pieces, std::size_t skip) {
    for (const auto& piece : pieces) {
        if (skip >= piece.iov_len) {
            skip -= piece.iov_len;
            continue;
        }
        kept_.append(static_cast<const char*>(piece.iov_base) + skip, piece.iov_len - skip);
        skip = 0;
    }
}

void DirectSocket::when_idle(std::function<void(error_code)> done) {
    if (idle() || failed_) {
        asio::post(socket_.get_executor(), [done = std::move(done), ec = failed_] { done(ec); });
        return;
    }
    idle_waiters_.push_back(std::move(done));
}

void DirectSocket::wait_writable() {
    if (waiting_) return;
    waiting_ = true;
    // The owner comes along, so that this socket outlives the wait; closing the socket ends it.
    socket_.async_wait(socket_type::wait_write, [this, owner = owner_.lock()](error_code ec) { on_writable(ec); });
}

void DirectSocket::on_writable(error_code ec) {
    waiting_ = false;
    if (ec) return settle(ec);
    const iovec rest{kept_.data() + kept_from_, kept_.size() - kept_from_};
    const ssize_t sent = send_now(socket_.native_handle(), std::span<const iovec>(&rest, 1));
    if (sent < 0) return settle(error_code(errno, boost::system::system_category()));
    kept_from_ += static_cast<std::size_t>(sent);
    if (!idle()) return wait_writable();
    settle({});
}

// Nothing is kept any more: written, or dropped with the failed socket.
void DirectSocket::settle(error_code ec) {
    if (ec) failed_ = ec;
    kept_.clear();
    kept_from_ = 0;
    if (kept_.capacity() > kKeptCapacity) std::string().swap(kept_);
    auto waiters = std::move(idle_waiters_);
    idle_waiters_.clear();
    for (auto& done : waiters) done(failed_);
}

std::size_t websocket_text_header(std::size_t length, unsigned char (&header)[10]) {
    header[0] = 0x81;  // FIN, text
    if (length < 126) {
        header[1] = static_cast<unsigned char>(length);
        return 2;
    }
    if (length <= 0xffff) {
        header[1] = 126;
        header[2] = static_cast<unsigned char>(length >> 8);
        header[3] = static_cast<unsigned char>(length);
        return 4;
    }
    header[1] = 127;
    const auto wide = static_cast<std::uint64_t>(length);
    for (int i = 0; i < 8; ++i) header[2 + i] = static_cast<unsigned char>(wide >> (56 - 8 * i));
    return 10;
}

void teardown(boost::beast::role_type role, DirectSocket& socket, boost::system::error_code& ec) {
    // Only a synchronous close would come here, which the server never makes; what is kept
    // is dropped with the connection.
    boost::beast::websocket::teardown(role, socket.next_layer(), ec);
}

}  // namespace vraagbaak::transport
