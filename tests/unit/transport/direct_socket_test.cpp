// The DirectSocket under a ws:// WebSocket: what the socket does not take is kept and goes out
// in order, Beast's own frames (a pong, the close frame) never land inside the session's, and
// the close waits for what is kept. Real loopback sockets; the client does not read until the
// server's socket is full.

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/websocket/error.hpp>
#include <boost/beast/websocket/stream.hpp>

#include <atomic>
#include <chrono>
#include <future>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "support/metrics.hpp"
#include "transport/direct_socket.hpp"
#include "transport/send_ring.hpp"

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;
using vraagbaak::transport::DirectSocket;
using vraagbaak::transport::websocket_text_header;

namespace {

// A connected pair over 127.0.0.1: the server end on `server_ioc`, the client end on `client_ioc`,
// both with small buffers so that a few hundred kilobytes fill them.
std::pair<tcp::socket, tcp::socket> connected_pair(asio::io_context& server_ioc, asio::io_context& client_ioc) {
    tcp::acceptor acceptor(server_ioc, {asio::ip::make_address("127.0.0.1"), 0});
    tcp::socket client(client_ioc, tcp::v4());
    client.set_option(asio::socket_base::receive_buffer_size(16 * 1024));
    client.connect(acceptor.local_endpoint());
    tcp::socket server = acceptor.accept();
    server.set_option(asio::socket_base::send_buffer_size(16 * 1024));
    server.non_blocking(true);
    return {std::move(server), std::move(client)};
}

std::string pattern(char first, std::size_t size) {
    std::string text(size, first);
    for (std::size_t i = 0; i < size; i += 97) text[i] = static_cast<char>('a' + (i / 97) % 26);
    return text;
}

// Writes `text` through the socket as the session does; returns what was kept.
std::size_t write_text(DirectSocket& socket, const std::string& text, boost::system::error_code& ec) {
    const iovec piece{const_cast<char*>(text.data()), text.size()};
    return socket.write(std::span<const iovec>(&piece, 1), ec);
}

void run_until(asio::io_context& ioc, const std::function<bool()>& done) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (!done() && std::chrono::steady_clock::now() < deadline) {
        if (ioc.stopped()) ioc.restart();  // it ran out of work before what `done` waits for was posted
        ioc.run_one_for(std::chrono::milliseconds(10));
    }
}

}  // namespace

TEST(DirectSocketTest, AWriteTheSocketTakesWholeKeepsNothing) {
    asio::io_context ioc;
    auto [server, client] = connected_pair(ioc, ioc);
    DirectSocket socket(std::move(server));
    boost::system::error_code ec;
    const std::string text = pattern('x', 100);
    EXPECT_EQ(write_text(socket, text, ec), 0u);
    EXPECT_FALSE(ec);
    EXPECT_TRUE(socket.idle());
    std::string got(text.size(), '\0');
    asio::read(client, asio::buffer(got));
    EXPECT_EQ(got, text);
}

TEST(DirectSocketTest, WhatTheSocketDoesNotTakeIsKeptAndEverythingLaterFollowsIt) {
    asio::io_context ioc;
    auto [server, client] = connected_pair(ioc, ioc);
    auto owner = std::make_shared<int>(0);
    DirectSocket socket(std::move(server));
    socket.set_owner(owner);

    // Fill the socket until a write is kept in part.
    std::string expected;
    boost::system::error_code ec;
    std::size_t kept = 0;
    for (int i = 0; i < 200 && kept == 0; ++i) {
        const std::string chunk = pattern(static_cast<char>('A' + i % 26), 64 * 1024);
        kept = write_text(socket, chunk, ec);
        ASSERT_FALSE(ec);
        expected += chunk;
    }
    ASSERT_GT(kept, 0u) << "the socket never filled";
    EXPECT_FALSE(socket.idle());

    // A write of Beast's is taken whole and reported complete; one of the session's after it is
    // kept whole, behind both.
    const std::string beast_bytes = "beast's control frame";
    std::size_t reported = 0;
    bool beast_done = false;
    socket.async_write_some(asio::buffer(beast_bytes), [&](boost::system::error_code write_ec, std::size_t n) {
        EXPECT_FALSE(write_ec);
        reported = n;
        beast_done = true;
    });
    expected += beast_bytes;
    const std::string last = pattern('z', 1000);
    EXPECT_EQ(write_text(socket, last, ec), last.size());
    expected += last;
    bool idle_reached = false;
    socket.when_idle([&](boost::system::error_code idle_ec) {
        EXPECT_FALSE(idle_ec);
        idle_reached = true;
    });

    // The client reads everything while the server's io_context writes what was kept.
    auto reading = std::async(std::launch::async, [&client, size = expected.size()] {
        std::string got(size, '\0');
        boost::system::error_code read_ec;
        asio::read(client, asio::buffer(got), read_ec);
        return got;
    });
    run_until(ioc, [&] { return idle_reached && beast_done; });
    EXPECT_TRUE(beast_done);
    EXPECT_EQ(reported, beast_bytes.size());
    EXPECT_TRUE(idle_reached);
    EXPECT_TRUE(socket.idle());
    const std::string got = reading.get();
    ASSERT_EQ(got.size(), expected.size());
    EXPECT_TRUE(got == expected) << "the bytes arrived out of order";
}

TEST(DirectSocketTest, AWriteOnAClosedSocketFailsAndKeepsNothing) {
    asio::io_context ioc;
    auto [server, client] = connected_pair(ioc, ioc);
    DirectSocket socket(std::move(server));
    socket.next_layer().close();
    boost::system::error_code ec;
    EXPECT_EQ(write_text(socket, "text", ec), 0u);
    EXPECT_TRUE(ec);
    EXPECT_TRUE(socket.idle());
}

// A WebSocket over a connected pair: the server's stream on a DirectSocket, accepted.
struct WebSocketPair {
    asio::io_context server_ioc;
    asio::io_context client_ioc;
    std::shared_ptr<websocket::stream<DirectSocket>> server;
    std::unique_ptr<websocket::stream<tcp::socket>> client;
    beast::flat_buffer server_buffer;
    boost::system::error_code server_read_ec;
    bool server_read_done = false;

    WebSocketPair() {
        auto [server_socket, client_socket] = connected_pair(server_ioc, client_ioc);
        server = std::make_shared<websocket::stream<DirectSocket>>(DirectSocket(std::move(server_socket)));
        server->next_layer().set_owner(server);
        client = std::make_unique<websocket::stream<tcp::socket>>(std::move(client_socket));
        bool accepted = false;
        server->async_accept([&](boost::system::error_code ec) { accepted = !ec; });
        std::thread server_thread([&] { run_until(server_ioc, [&] { return accepted; }); });
        client->handshake("127.0.0.1", "/ws");
        server_thread.join();
        EXPECT_TRUE(accepted);
        // A read on the server side, as a session always has one: Beast answers pings and
        // closes in it.
        server->async_read(server_buffer, [this](boost::system::error_code ec, std::size_t) {
            server_read_ec = ec;
            server_read_done = true;
        });
    }

    // Writes text frames as the session does until well past what the two sockets' buffers
    // hold, so that some stays kept until the client reads. Returns the messages.
    std::vector<std::string> fill() {
        std::vector<std::string> sent;
        boost::system::error_code ec;
        std::size_t kept = 0;
        for (int i = 0; i < 200 && kept < 512 * 1024; ++i) {
            sent.push_back(std::to_string(i) + ":" + pattern(static_cast<char>('A' + i % 26), 40 * 1024 + static_cast<std::size_t>(i)));
            unsigned char header[10];
            const std::string& payload = sent.back();
            const iovec pieces[2] = {{header, websocket_text_header(payload.size(), header)},
                                     {const_cast<char*>(payload.data()), payload.size()}};
            kept += server->next_layer().write(pieces, ec);
            EXPECT_FALSE(ec);
        }
        EXPECT_GT(kept, 0u) << "the socket never filled";
        return sent;
    }
};

// Under a WebSocket: the server writes text frames itself until the socket keeps some; the
// client pings (Beast's pong goes behind them) and the server closes (the close frame goes behind
// everything). The client reads every message whole, sees the pong, then the close.
TEST(DirectSocketTest, BeastsPongAndCloseFollowTheKeptFramesAndEveryFrameArrivesWhole) {
    WebSocketPair pair;
    auto& server_ioc = pair.server_ioc;
    auto& server = pair.server;
    auto& client = *pair.client;
    const auto sent = pair.fill();

    // The client's ping reaches the server; its pong is kept behind the frames.
    client.ping({});
    server_ioc.restart();
    server_ioc.run_for(std::chrono::milliseconds(300));
    ASSERT_FALSE(server->next_layer().idle());
    bool close_done = false;
    asio::post(server_ioc, [&] {
        server->async_close(websocket::close_code::normal, [&](boost::system::error_code) { close_done = true; });
    });

    std::atomic<bool> client_finished{false};
    std::atomic<int> pongs{0};
    client.control_callback([&](websocket::frame_type kind, beast::string_view) {
        if (kind == websocket::frame_type::pong) ++pongs;
    });
    auto reading = std::async(std::launch::async, [&] {
        std::vector<std::string> got;
        boost::system::error_code read_ec;
        for (;;) {
            beast::flat_buffer buffer;
            client.read(buffer, read_ec);
            if (read_ec) break;
            got.push_back(beast::buffers_to_string(buffer.data()));
        }
        client_finished = true;
        return std::make_pair(got, read_ec);
    });
    run_until(server_ioc, [&] { return client_finished.load() && close_done; });
    auto [got, read_ec] = reading.get();

    EXPECT_EQ(read_ec, websocket::error::closed);
    EXPECT_EQ(client.reason().code, websocket::close_code::normal);
    EXPECT_EQ(pongs.load(), 1);
    ASSERT_EQ(got.size(), sent.size());
    for (std::size_t i = 0; i < sent.size(); ++i) EXPECT_TRUE(got[i] == sent[i]) << "message " << i << " differs";
    EXPECT_TRUE(close_done);
}

// The peer closes first while frames are kept: Beast's reply and its teardown wait for them, so
// the peer's close handshake completes (it reads past the frames to the reply) instead of
// meeting a socket shut down under unsent bytes.
TEST(DirectSocketTest, APeerThatClosesFirstGetsTheKeptFramesThenTheCloseReply) {
    WebSocketPair pair;
    pair.fill();
    auto closing = std::async(std::launch::async, [&] {
        boost::system::error_code ec;
        pair.client->close(websocket::close_code::going_away, ec);  // reads and drops messages until the reply
        return ec;
    });
    run_until(pair.server_ioc, [&] { return pair.server_read_done && closing.wait_for(std::chrono::seconds(0)) == std::future_status::ready; });
    EXPECT_FALSE(closing.get()) << "the close handshake did not complete";
    EXPECT_TRUE(pair.server_read_done);
    EXPECT_EQ(pair.server_read_ec, websocket::error::closed);
}

// The send ring (SendRing): while it gathers, a frame's write waits in it; submit() writes all
// of them with one system call and each socket finishes its write from the result.
namespace {

vraagbaak::transport::SendRing* open_ring(asio::io_context& ioc) {
    auto& ring = asio::use_service<vraagbaak::transport::SendRing>(ioc);
    return ring.open() ? &ring : nullptr;
}

// A frame as the session gathers it: its header, and the payload left where it is.
bool gather_frame(DirectSocket& socket, const std::string& payload) {
    unsigned char header[10];
    return socket.gather(header, websocket_text_header(payload.size(), header), payload);
}

std::string frame_bytes(const std::string& payload) {
    unsigned char header[10];
    const std::size_t size = websocket_text_header(payload.size(), header);
    return std::string(reinterpret_cast<const char*>(header), size) + payload;
}

}  // namespace

TEST(DirectSocketTest, GatheredWritesOfSeveralSocketsGoOutInOneSubmission) {
    asio::io_context ioc;
    auto* ring = open_ring(ioc);
    if (ring == nullptr) GTEST_SKIP() << "io_uring is not available here";
    auto owner = std::make_shared<int>(0);
    std::vector<std::unique_ptr<DirectSocket>> sockets;
    std::vector<tcp::socket> clients;
    std::vector<int> done(3, 0);
    std::vector<std::string> payloads;
    for (int i = 0; i < 3; ++i) {
        auto [server, client] = connected_pair(ioc, ioc);
        sockets.push_back(std::make_unique<DirectSocket>(std::move(server)));
        sockets.back()->set_owner(owner, [&done, i](boost::system::error_code ec) {
            EXPECT_FALSE(ec);
            ++done[static_cast<std::size_t>(i)];
        });
        clients.push_back(std::move(client));
        payloads.push_back("{\"type\":\"event\",\"n\":" + std::to_string(i) + "}");
    }
    EXPECT_FALSE(gather_frame(*sockets[0], payloads[0])) << "gathered while the ring was not gathering";

    auto& m = vraagbaak::metrics::get();
    const auto submissions = m.ring_submissions.load();
    const auto writes = m.ring_writes.load();
    ring->begin();
    for (int i = 0; i < 3; ++i) ASSERT_TRUE(gather_frame(*sockets[static_cast<std::size_t>(i)], payloads[static_cast<std::size_t>(i)]));
    EXPECT_FALSE(sockets[0]->idle()) << "a gathered write is not done before the submission";
    EXPECT_EQ(clients[0].available(), 0u) << "written before the submission";
    ring->submit();
    EXPECT_EQ(done, std::vector<int>({1, 1, 1}));
    EXPECT_EQ(m.ring_submissions.load() - submissions, 1u);
    EXPECT_EQ(m.ring_writes.load() - writes, 3u);
    for (int i = 0; i < 3; ++i) {
        const auto k = static_cast<std::size_t>(i);
        EXPECT_TRUE(sockets[k]->idle());
        const std::string expected = frame_bytes(payloads[k]);
        std::string got(expected.size(), '\0');
        asio::read(clients[k], asio::buffer(got));
        EXPECT_EQ(got, expected);
    }
    EXPECT_FALSE(ring->gathering()) << "the ring gathers again only after the next begin()";
}

// The ring sends each write as one contiguous buffer, copied once for the members that share a
// frame; a frame of the same size but other bytes, or one too large for the step's buffer, must
// still reach its socket as it is.
TEST(DirectSocketTest, SocketsSharingAFrameInOneStepEachGetTheirOwnBytesWhole) {
    asio::io_context ioc;
    auto* ring = open_ring(ioc);
    if (ring == nullptr) GTEST_SKIP() << "io_uring is not available here";
    const std::string shared = pattern('s', 300);
    const std::string same_size = pattern('t', 300);
    const std::string tiny_a = "{}";
    const std::string tiny_b = "[]";
    const std::string large = pattern('l', vraagbaak::transport::SendRing::kStepBytes + 10);
    const std::vector<const std::string*> payloads = {&shared, &shared, &same_size, &shared, &tiny_a, &tiny_b, &large, &shared};
    auto owner = std::make_shared<int>(0);
    std::vector<std::unique_ptr<DirectSocket>> sockets;
    std::vector<tcp::socket> clients;
    int done = 0;
    for (std::size_t i = 0; i < payloads.size(); ++i) {
        auto [server, client] = connected_pair(ioc, ioc);
        sockets.push_back(std::make_unique<DirectSocket>(std::move(server)));
        sockets.back()->set_owner(owner, [&done](boost::system::error_code ec) {
            EXPECT_FALSE(ec);
            ++done;
        });
        clients.push_back(std::move(client));
    }
    auto& m = vraagbaak::metrics::get();
    const auto submissions = m.ring_submissions.load();
    ring->begin();
    for (std::size_t i = 0; i < payloads.size(); ++i) ASSERT_TRUE(gather_frame(*sockets[i], *payloads[i]));
    ring->submit();
    EXPECT_EQ(m.ring_submissions.load() - submissions, 1u);
    // The large frame may not fit the socket at once: read while the rest is written.
    auto reading = std::async(std::launch::async, [&] {
        std::vector<std::string> got;
        for (std::size_t i = 0; i < payloads.size(); ++i) {
            got.emplace_back(frame_bytes(*payloads[i]).size(), '\0');
            asio::read(clients[i], asio::buffer(got.back()));
        }
        return got;
    });
    run_until(ioc, [&] { return done == static_cast<int>(payloads.size()); });
    EXPECT_EQ(done, static_cast<int>(payloads.size()));
    const auto got = reading.get();
    for (std::size_t i = 0; i < payloads.size(); ++i) {
        EXPECT_TRUE(got[i] == frame_bytes(*payloads[i])) << "socket " << i << " got other bytes";
        EXPECT_EQ(clients[i].available(), 0u) << "socket " << i << " got more than its frame";
    }
}

TEST(DirectSocketTest, AGatheredWriteTheSocketCannotTakeIsKeptAheadOfBeastsAndDoneWhenWritten) {
    asio::io_context ioc;
    auto* ring = open_ring(ioc);
    if (ring == nullptr) GTEST_SKIP() << "io_uring is not available here";
    auto [server, client] = connected_pair(ioc, ioc);
    auto owner = std::make_shared<int>(0);
    DirectSocket socket(std::move(server));
    int done = 0;
    socket.set_owner(owner, [&done](boost::system::error_code ec) {
        EXPECT_FALSE(ec);
        ++done;
    });
    // Fill the socket from outside, so that the gathered write finds it full.
    std::string expected;
    const std::string filler = pattern('f', 4096);
    for (ssize_t n = 0; (n = ::send(socket.next_layer().native_handle(), filler.data(), filler.size(), MSG_DONTWAIT)) > 0;)
        expected.append(filler, 0, static_cast<std::size_t>(n));

    const std::string payload = pattern('p', 64 * 1024);
    ring->begin();
    ASSERT_TRUE(gather_frame(socket, payload));
    // Beast's write while the frame is in the ring goes behind it.
    const std::string beast_bytes = "beast's pong";
    bool beast_done = false;
    socket.async_write_some(asio::buffer(beast_bytes), [&](boost::system::error_code ec, std::size_t) {
        EXPECT_FALSE(ec);
        beast_done = true;
    });
    ring->submit();
    EXPECT_EQ(done, 0) << "done before the socket took the frame";
    EXPECT_FALSE(socket.idle());

    auto reading = std::async(std::launch::async, [&client] {
        std::string got;
        std::string chunk(64 * 1024, '\0');
        boost::system::error_code ec;
        for (;;) {
            const std::size_t n = client.read_some(asio::buffer(chunk), ec);
            if (ec) break;
            got.append(chunk.data(), n);
        }
        return got;
    });
    run_until(ioc, [&] { return done == 1 && beast_done && socket.idle(); });
    EXPECT_EQ(done, 1);
    EXPECT_TRUE(beast_done);
    socket.next_layer().shutdown(tcp::socket::shutdown_send);
    const std::string got = reading.get();
    // What ::send took of the filler, then the frame whole, then Beast's bytes.
    expected += frame_bytes(payload) + beast_bytes;
    ASSERT_EQ(got.size(), expected.size());
    EXPECT_TRUE(got == expected) << "the frame or Beast's bytes came apart";
}
