#include "support/raw_socket.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <stdexcept>

namespace vraagbaak::test {

RawSocket::RawSocket(unsigned port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
    if (fd_ < 0 || ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
        if (fd_ >= 0) ::close(fd_);
        throw std::runtime_error("raw connect failed");
    }
}

RawSocket::~RawSocket() {
    if (fd_ >= 0) ::close(fd_);
}

void RawSocket::write(const std::string& bytes) {
    std::size_t done = 0;
    while (done < bytes.size()) {
        auto n = ::send(fd_, bytes.data() + done, bytes.size() - done, MSG_NOSIGNAL);
        if (n <= 0) return;  // the server closed: what a hostile client would see too
        done += static_cast<std::size_t>(n);
    }
}

std::optional<std::string> RawSocket::read_some(std::chrono::milliseconds timeout) {
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(timeout.count())) <= 0) return std::nullopt;
    char buf[65536];
    auto n = ::recv(fd_, buf, sizeof buf, 0);
    if (n <= 0) return std::string();
    return std::string(buf, static_cast<std::size_t>(n));
}

bool RawSocket::wait_closed(std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        auto got = read_some(left);
        if (!got) return false;
        if (got->empty()) return true;
    }
    return false;
}

std::string RawSocket::upgrade(const std::string& extra_headers, const std::string& path) {
    write("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
          "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n" +
          extra_headers + "\r\n");
    std::string head;
    while (head.find("\r\n\r\n") == std::string::npos) {
        auto got = read_some(std::chrono::seconds(5));
        if (!got || got->empty()) break;
        head += *got;
    }
    return head;
}

std::string RawSocket::text_frame(const std::string& payload) {
    std::string f;
    f += static_cast<char>(0x81);  // FIN, text
    const std::size_t n = payload.size();
    if (n < 126) {
        f += static_cast<char>(0x80 | n);
    } else if (n < 65536) {
        f += static_cast<char>(0x80 | 126);
        f += static_cast<char>(n >> 8);
        f += static_cast<char>(n & 0xff);
    } else {
        f += static_cast<char>(0x80 | 127);
        for (int i = 7; i >= 0; --i) f += static_cast<char>((n >> (8 * i)) & 0xff);
    }
    const unsigned char mask[4] = {0x12, 0x34, 0x56, 0x78};
    for (unsigned char m : mask) f += static_cast<char>(m);
    for (std::size_t i = 0; i < n; ++i) f += static_cast<char>(static_cast<unsigned char>(payload[i]) ^ mask[i % 4]);
    return f;
}

void RawSocket::small_receive_buffer() {
    int size = 4096;
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
}

}  // namespace vraagbaak::test
