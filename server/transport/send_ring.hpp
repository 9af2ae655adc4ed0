#pragma once
// One system call for a whole step of a fan-out's writes (Linux io_uring), where there is one.
//
// Why: a fan-out writes to each member's socket once, and with one sendmsg per write the system
// call itself (entry, exit, the mitigations around them on a virtual machine) was about a fifth
// of the server's CPU per delivery: the floor benchmark measured 8.6 µs per delivery with a
// send() each and 6.5 µs with one io_uring submission per fan-out. The delivery lane opens the
// ring around each step of flushes; the sockets of its thread put their writes in it instead of
// writing, and when the step is done one io_uring_enter writes them all.
//
// A write's pieces (the frame's header, its payload) are copied into one contiguous stretch of
// the ring's step buffer and sent as one buffer: the kernel's import of a message header and its
// list of pieces (sendmsg's) was 5 % of the server's CPU in a fan-out, the copy is one memcpy per
// distinct frame of a step (the members of a fan-out share it). A write that does not fit goes
// as a sendmsg of its pieces.
//
// Every write carries MSG_DONTWAIT, so the kernel performs it at once during the submission,
// whole, in part or not at all (-EAGAIN), and never waits for the socket: all its completions
// are there when submit() returns, and each socket takes its result as a sendmsg result, keeping
// what was not taken exactly as a direct write would.
//
// An Asio service of a network thread's io_context, used on that thread only. Without liburing at
// build time, or where the kernel refuses a ring (old kernel, seccomp, io_uring_disabled), open()
// says so and nothing is ever gathered: the sockets write directly, as before.

#include <sys/socket.h>

#include <cstddef>
#include <memory>
#include <string_view>
#include <vector>

#include <boost/asio/execution_context.hpp>

namespace vraagbaak::transport {

class DirectSocket;

class SendRing final : public boost::asio::execution_context::service {
public:
    using key_type = SendRing;
    static boost::asio::execution_context::id id;
    // Writes one ring holds; a step flushes at most DeliveryLane::kFlushesPerStep clients, and a
    // write that finds the ring full is made directly.
    static constexpr unsigned kEntries = 64;
    // Bytes of a step's writes that are made contiguous; a step's frames are few and small, as a
    // rule, and a large batch goes as a sendmsg.
    static constexpr std::size_t kStepBytes = 64 * 1024;

    explicit SendRing(boost::asio::execution_context& context);
    ~SendRing() override;

    // Sets the ring up; false where it cannot be had (the reason is logged once). Before run().
    bool open();
    bool available() const { return ring_ != nullptr; }

    // Between begin() and submit(), writes may be gathered.
    void begin() { gathering_ = ring_ != nullptr; }
    bool gathering() const { return gathering_; }
    // Gathers a write of `message`'s pieces for `socket`, kept alive by `owner` until its result
    // is in; the message and its pieces must stay as they are until submit(). False when the
    // ring is full.
    bool add(int fd, const msghdr& message, DirectSocket& socket, std::shared_ptr<void> owner);
    // Stops gathering, writes everything gathered with one system call and hands each socket
    // its result. Writes the sockets make from their results go directly.
    void submit();

private:
    struct Ring;
    struct Gathered {
        DirectSocket* socket;
        std::shared_ptr<void> owner;
        int result;  // as sendmsg's, or -errno
    };

    void shutdown() override;
    // Where `message`'s pieces lie contiguous in the step buffer (copied there, or already there
    // for the write before, which had the same pieces); empty when they do not fit.
    std::string_view contiguous(const msghdr& message);

    std::unique_ptr<Ring> ring_;
    bool gathering_ = false;
    std::vector<Gathered> gathered_;  // by the index each write carries as its user data
    std::vector<Gathered> completing_;  // the last submission's, while their sockets take them
    std::unique_ptr<char[]> step_bytes_;  // kStepBytes
    std::size_t step_used_ = 0;
    std::vector<iovec> last_pieces_;  // of the last write copied into the step buffer
    std::string_view last_contiguous_;
};

}  // namespace vraagbaak::transport
