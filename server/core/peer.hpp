#pragma once
// How the core sees a connection: a sink for encoded frames and a way to close it. The transport
// implements it; core tests use a fake. The core never owns a peer (it keeps weak_ptrs), so a
// connection's lifetime is the transport's business alone.

#include <cstdint>
#include <memory>
#include <string>

namespace vraagbaak::core {

// An encoded frame, immutable and shared by every recipient of a broadcast.
using Frame = std::shared_ptr<const std::string>;

inline Frame make_frame(std::string text) {
    return std::make_shared<const std::string>(std::move(text));
}

// WebSocket close codes the core asks for (RFC 6455, section 7.4.1).
enum class CloseCode : std::uint16_t {
    normal = 1000,
    going_away = 1001,
    policy_violation = 1008,
    internal_error = 1011,
};

class Peer {
public:
    virtual ~Peer() = default;
    // Queues a frame for sending. Thread-safe and non-blocking; frames are sent in the order of
    // the calls. A peer whose queue is over its bound closes itself instead of growing.
    virtual void deliver(Frame frame) = 0;
    // Sends a close frame after what is already queued, then ends the connection. Thread-safe.
    virtual void close(CloseCode code, std::string reason) = 0;
    // The client said it splits messages at newlines: from the next frame on, frames that are
    // queued together may go out as one message, joined by '\n'. Thread-safe, ordered with
    // deliver().
    virtual void allow_batching() {}
};

}  // namespace vraagbaak::core
