#pragma once
// One WebSocket connection, implementing core::Peer.
//
// All handlers run on the connection's network thread; deliver() and close() may be called from
// any thread and go through the thread's DeliveryLane, which keeps their order. One read and at most one write are in flight. Outgoing frames wait in
// a queue bounded in bytes: a reader too slow to keep it under the bound is cut off (close 1008)
// so that it never holds back anyone else. Reading is paused while the core handles a frame, so
// one connection can never have more than one request queued at the core.
//
// A template over the byte stream under the WebSocket: plain TCP (ws://) or TLS over TCP
// (wss://). Both are compiled once, in ws_session.cpp.

#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <boost/beast/websocket/stream.hpp>

#include "core/peer.hpp"
#include "transport/core_link.hpp"
#include "transport/direct_socket.hpp"
#include "transport/delivery_lane.hpp"
#include "transport/frame_queue.hpp"
#include "transport/transport_config.hpp"

namespace vraagbaak::transport {

using PlainStream = boost::beast::tcp_stream;
using TlsStream = boost::beast::ssl_stream<boost::beast::tcp_stream>;

// What the WebSocket runs on. ws:// gets the bare socket: the HTTP session's tcp_stream is there
// for its timeouts, which the WebSocket layer keeps itself, and every write through a tcp_stream
// pays for its timer bookkeeping and shared state (about a tenth of the server's CPU per delivery in a fan-out).
// The socket is a DirectSocket, so that the session writes its frames itself (direct_socket.hpp);
// over TLS every frame goes through Beast.
template <class Stream>
struct WsNextLayer {
    using type = Stream;
    static constexpr bool direct = false;
    static type adopt(Stream&& stream) { return std::move(stream); }
};
template <>
struct WsNextLayer<PlainStream> {
    using type = DirectSocket;
    static constexpr bool direct = true;
    static type adopt(PlainStream&& stream) { return DirectSocket(stream.release_socket()); }
};

template <class Stream>
class WsSession final : public core::Peer,
                        public LaneClient,
                        public std::enable_shared_from_this<WsSession<Stream>> {
public:
    // `stream` has finished its own handshake (TLS) and carried the HTTP upgrade request.
    WsSession(Stream&& stream, CoreLink& core, const TransportConfig& config,
              std::shared_ptr<const void> address_slot = nullptr);
    ~WsSession() override;

    // `echo`: a test-only connection that sends every message back and never reaches the core.
    void run(boost::beast::http::request<boost::beast::http::string_body> request, bool echo = false);

    void deliver(core::Frame frame) override;
    void close(core::CloseCode code, std::string reason) override;
    void allow_batching() override;

    bool take(core::Frame frame) override;
    void flush() override;

private:
    void on_accept(boost::system::error_code ec);
    void echo_read();
    void do_read();
    void on_read(boost::system::error_code ec, std::size_t bytes);
    void enqueue(core::Frame frame);
    // Sets in_flight_ to the frames the next write carries; their bytes, as one message.
    std::string_view next_payload();
    void do_write();
    // ws:// only: writes what is queued through the DirectSocket, as long as the socket takes it.
    void write_direct();
    // Counts the written frames out of the queue; false if the write failed (the socket is closed).
    bool finish_write(boost::system::error_code ec);
    void on_write(boost::system::error_code ec, std::size_t bytes);
    // Nothing is left to write: a large batch buffer goes back, a requested close starts.
    void after_writes();
    void start_close(core::CloseCode code, std::string reason, bool discard_queue);
    void do_close();

    boost::beast::websocket::stream<typename WsNextLayer<Stream>::type> ws_;
    DeliveryLane& lane_;  // of the thread ws_ runs on
    boost::beast::flat_buffer buffer_;
    CoreLink& core_;
    const TransportConfig& config_;
    const std::uint64_t id_;
    std::string address_;  // the peer's IP address, for per-address limits
    std::shared_ptr<const void> address_slot_;  // counted against the address until destroyed
    boost::asio::steady_timer grace_timer_;  // drops a slow reader that ignores our close
    FrameQueue queue_;
    std::size_t queued_bytes_ = 0;
    std::size_t in_flight_ = 0;  // frames at the front of queue_ that the current write carries
    std::string batch_;  // the current batched write: its frames joined by '\n'
    bool batching_ = false;  // the client splits messages at '\n' (hello "batch")
    bool writing_ = false;
    bool flush_due_ = false;  // take() queued frames that flush() has not seen yet
    bool opened_ = false;  // the core knows this connection
    bool echo_ = false;
    bool close_requested_ = false;
    bool close_started_ = false;
    core::CloseCode close_code_ = core::CloseCode::normal;
    std::string close_reason_;
};

extern template class WsSession<PlainStream>;
extern template class WsSession<TlsStream>;

}  // namespace vraagbaak::transport
