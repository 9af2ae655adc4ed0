#pragma once
// A plain TCP socket to the server for tests that must misbehave: send half a request, never
// read, hand-build WebSocket frames. Every read has a deadline.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace vraagbaak::test {

class RawSocket {
public:
    explicit RawSocket(unsigned port);  // connects to 127.0.0.1:port; throws on failure
    ~RawSocket();
    RawSocket(const RawSocket&) = delete;
    RawSocket& operator=(const RawSocket&) = delete;

    void write(const std::string& bytes);
    // Some bytes; "" when the server closed the connection; nullopt when nothing came in time.
    std::optional<std::string> read_some(std::chrono::milliseconds timeout);
    // Reads until the connection ends; false when it is still open after `timeout`.
    bool wait_closed(std::chrono::milliseconds timeout);
    // Sends the WebSocket upgrade (with `extra_headers`, each ending in \r\n) and returns the
    // response head (up to the blank line).
    std::string upgrade(const std::string& extra_headers = {}, const std::string& path = "/ws");
    // A masked text frame, as a client must send it.
    static std::string text_frame(const std::string& payload);
    // Shrinks the receive buffer so that a reader who stops reading fills up quickly.
    void small_receive_buffer();

private:
    int fd_ = -1;
};

}  // namespace vraagbaak::test
