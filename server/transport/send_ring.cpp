#include "transport/send_ring.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <span>
#include <string>
#include <vector>

#ifdef VRAAGBAAK_HAVE_URING
#include <liburing.h>
#endif

#include "support/log.hpp"
#include "support/metrics.hpp"
#include "transport/direct_socket.hpp"

namespace vraagbaak::transport {

boost::asio::execution_context::id SendRing::id;

#ifdef VRAAGBAAK_HAVE_URING
struct SendRing::Ring {
    io_uring ring{};
    bool made = false;
    ~Ring() {
        if (made) io_uring_queue_exit(&ring);
    }
};
#else
struct SendRing::Ring {};
#endif

SendRing::SendRing(boost::asio::execution_context& context) : boost::asio::execution_context::service(context) {
    gathered_.reserve(kEntries);
    completing_.reserve(kEntries);
}

namespace {

// The same bytes: the same memory, or a short piece (a frame header, which each socket builds in
// its own place) with the same contents.
bool same_piece(const iovec& a, const iovec& b) {
    constexpr std::size_t kCompared = 16;
    return a.iov_len == b.iov_len &&
           (a.iov_base == b.iov_base || (a.iov_len <= kCompared && std::memcmp(a.iov_base, b.iov_base, a.iov_len) == 0));
}

}  // namespace

std::string_view SendRing::contiguous(const msghdr& message) {
    const std::span<const iovec> pieces(message.msg_iov, message.msg_iovlen);
    if (!last_contiguous_.empty() && pieces.size() == last_pieces_.size() &&
        std::equal(pieces.begin(), pieces.end(), last_pieces_.begin(), same_piece))
        return last_contiguous_;
    std::size_t total = 0;
    for (const auto& piece : pieces) total += piece.iov_len;
    if (total == 0 || total > kStepBytes - step_used_) return {};
    if (!step_bytes_) step_bytes_ = std::make_unique<char[]>(kStepBytes);
    char* const start = step_bytes_.get() + step_used_;
    char* at = start;
    for (const auto& piece : pieces) {
        std::memcpy(at, piece.iov_base, piece.iov_len);
        at += piece.iov_len;
    }
    step_used_ += total;
    last_pieces_.assign(pieces.begin(), pieces.end());
    last_contiguous_ = std::string_view(start, total);
    return last_contiguous_;
}

SendRing::~SendRing() = default;

bool SendRing::open() {
    if (ring_) return true;
#ifdef VRAAGBAAK_HAVE_URING
    auto ring = std::make_unique<Ring>();
    if (const int rc = io_uring_queue_init(kEntries, &ring->ring, 0); rc < 0) {
        log::info("transport", "io_uring not available, sockets are written one system call each",
                  {{"error", std::string(std::strerror(-rc))}});
        return false;
    }
    ring->made = true;
    ring_ = std::move(ring);
    return true;
#else
    return false;
#endif
}

bool SendRing::add(int fd, const msghdr& message, DirectSocket& socket, std::shared_ptr<void> owner) {
#ifdef VRAAGBAAK_HAVE_URING
    if (!gathering_) return false;
    io_uring_sqe* sqe = io_uring_get_sqe(&ring_->ring);
    if (sqe == nullptr) return false;
    if (const std::string_view bytes = contiguous(message); !bytes.empty())
        io_uring_prep_send(sqe, fd, bytes.data(), bytes.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
    else
        io_uring_prep_sendmsg(sqe, fd, &message, MSG_NOSIGNAL | MSG_DONTWAIT);
    io_uring_sqe_set_data64(sqe, gathered_.size());
    gathered_.push_back({&socket, std::move(owner), 0});
    return true;
#else
    (void)fd, (void)message, (void)socket, (void)owner;
    return false;
#endif
}

void SendRing::submit() {
    gathering_ = false;
#ifdef VRAAGBAAK_HAVE_URING
    if (gathered_.empty()) return;
    // The sockets' results may make them write again (directly: the ring gathers no more), so
    // the writes being completed are set aside first.
    completing_.swap(gathered_);
    const auto count = static_cast<unsigned>(completing_.size());
    // Writes run in the order gathered; the kernel takes them from the front.
    unsigned submitted = 0;
    int failure = 0;
    while (submitted < count) {
        const int rc = io_uring_submit(&ring_->ring);
        if (rc > 0) submitted += static_cast<unsigned>(rc);
        else if (rc != -EINTR && rc != -EAGAIN && rc != -EBUSY) {
            failure = rc < 0 ? -rc : EIO;
            break;
        }
    }
    // MSG_DONTWAIT: each write completed during its submission; the wait is for the rule.
    // One never submitted was never written; one submitted whose result is lost may have been,
    // and its connection cannot go on.
    for (unsigned i = 0; i < count; ++i) completing_[i].result = i < submitted ? -EIO : -EAGAIN;
    for (unsigned reaped = 0; reaped < submitted; ++reaped) {
        io_uring_cqe* cqe = nullptr;
        int rc = 0;
        do rc = io_uring_wait_cqe(&ring_->ring, &cqe);
        while (rc == -EINTR);
        if (rc != 0) {
            failure = -rc;
            break;
        }
        if (const auto index = io_uring_cqe_get_data64(cqe); index < count) completing_[index].result = cqe->res;
        io_uring_cqe_seen(&ring_->ring, cqe);
    }
    // Every write is done: what the kernel took of the step's bytes it has copied.
    step_used_ = 0;
    last_pieces_.clear();
    last_contiguous_ = {};
    auto& m = metrics::get();
    m.ring_submissions.fetch_add(1, std::memory_order_relaxed);
    m.ring_writes.fetch_add(submitted, std::memory_order_relaxed);
    if (failure != 0) {
        // What is left in the ring must never go out late: the ring goes, the sockets of this
        // thread write directly from now on.
        log::error("transport", "io_uring failed, sockets are written one system call each",
                   {{"error", std::string(std::strerror(failure))}});
        ring_.reset();
    }
    for (auto& write : completing_) write.socket->ring_sent(write.result);
    completing_.clear();  // the owners may go now
#endif
}

void SendRing::shutdown() {
    gathered_.clear();
    completing_.clear();
    ring_.reset();
}

}  // namespace vraagbaak::transport
