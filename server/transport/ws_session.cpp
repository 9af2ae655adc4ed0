#include "transport/ws_session.hpp"

#include <chrono>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/execution/context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/query.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/websocket/error.hpp>

#include "core/hub.hpp"
#include "support/log.hpp"
#include "support/metrics.hpp"
#include "vraagbaak/protocol/codec.hpp"

namespace vraagbaak::transport {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using Clock = std::chrono::steady_clock;

namespace {

// The TCP socket at the bottom of a WebSocket, whatever lies between.
template <class Lowest>
auto& tcp_socket(Lowest& lowest) {
    if constexpr (std::is_same_v<Lowest, beast::tcp_stream>) return lowest.socket();
    else return lowest;
}

}  // namespace

template <class Stream>
WsSession<Stream>::WsSession(Stream&& stream, CoreLink& core, const TransportConfig& config,
                             std::shared_ptr<const void> address_slot)
    : ws_(WsNextLayer<Stream>::adopt(std::move(stream))),
      lane_(asio::use_service<DeliveryLane>(asio::query(ws_.get_executor(), asio::execution::context))),
      core_(core),
      config_(config),
      id_(core.next_connection_id.fetch_add(1)),
      address_slot_(std::move(address_slot)),
      grace_timer_(ws_.get_executor()) {
    boost::system::error_code ec;
    auto remote = tcp_socket(beast::get_lowest_layer(ws_)).remote_endpoint(ec);
    if (!ec) address_ = remote.address().to_string();
    core_.live_websockets.fetch_add(1);
    metrics::get().connections_total.fetch_add(1, std::memory_order_relaxed);
    metrics::get().connections_open.fetch_add(1, std::memory_order_relaxed);
}

template <class Stream>
WsSession<Stream>::~WsSession() {
    // The single teardown path: whatever ended the connection, the core forgets it here.
    if (opened_)
        core_.inbox->post([hub = &core_.hub, id = id_] { hub->close(id); });
    core_.live_websockets.fetch_sub(1);
    metrics::get().connections_open.fetch_sub(1, std::memory_order_relaxed);
    metrics::get().outgoing_queue_bytes.fetch_sub(static_cast<std::int64_t>(queued_bytes_), std::memory_order_relaxed);
}

template <class Stream>
void WsSession<Stream>::run(beast::http::request<beast::http::string_body> request, bool echo) {
    echo_ = echo;
    // A gathered write's end comes while the send ring holds this session, so `this` is safe.
    if constexpr (WsNextLayer<Stream>::direct)
        ws_.next_layer().set_owner(this->weak_from_this(), [this](boost::system::error_code ec) { on_write(ec, 0); });
    asio::dispatch(ws_.get_executor(), [self = this->shared_from_this(), req = std::move(request)] {
        // From here on the WebSocket layer owns timeouts: a handshake deadline, then an idle
        // timeout with keep-alive pings.
        if constexpr (std::is_same_v<Stream, TlsStream>) beast::get_lowest_layer(self->ws_).expires_never();
        websocket::stream_base::timeout timeouts{};
        timeouts.handshake_timeout = self->config_.handshake_timeout;
        timeouts.idle_timeout = self->config_.idle_timeout;
        timeouts.keep_alive_pings = true;
        self->ws_.set_option(timeouts);
        self->ws_.set_option(websocket::stream_base::decorator(
            [](websocket::response_type& res) { res.set(beast::http::field::server, "vraagbaak"); }));
        self->ws_.read_message_max(self->config_.max_frame_bytes);
        self->ws_.async_accept(req, [self](boost::system::error_code ec) { self->on_accept(ec); });
    });
}

template <class Stream>
void WsSession<Stream>::on_accept(boost::system::error_code ec) {
    if (ec) {
        log::debug("transport", "websocket handshake failed", {{"error", ec.message()}});
        return;
    }
    if (echo_) return echo_read();
    opened_ = true;
    core_.inbox->post([hub = &core_.hub, id = id_, peer = this->weak_from_this(),
                                     address = address_] { hub->open(id, peer, address); });
    do_read();
}

template <class Stream>
void WsSession<Stream>::echo_read() {
    ws_.async_read(buffer_, [self = this->shared_from_this()](boost::system::error_code ec, std::size_t) {
        if (ec) return;  // Beast has answered a protocol error with the close code it calls for
        self->ws_.text(self->ws_.got_text());
        auto message = std::make_shared<std::string>(beast::buffers_to_string(self->buffer_.data()));
        self->buffer_.consume(self->buffer_.size());
        self->ws_.async_write(asio::buffer(*message), [self, message](boost::system::error_code write_ec, std::size_t) {
            if (!write_ec) self->echo_read();
        });
    });
}

template <class Stream>
void WsSession<Stream>::do_read() {
    ws_.async_read(buffer_, [self = this->shared_from_this()](boost::system::error_code ec, std::size_t n) {
        self->on_read(ec, n);
    });
}

template <class Stream>
void WsSession<Stream>::on_read(boost::system::error_code ec, std::size_t) {
    if (ec) {
        // closed, timeout and reset are the ordinary ways a connection ends. On too-big Beast
        // has already sent close 1009.
        if (ec == websocket::error::message_too_big)
            log::info("transport", "frame over limit, closed", {{"conn", id_}});
        else if (ec != websocket::error::closed && ec != beast::error::timeout &&
                 ec != asio::error::operation_aborted && ec != asio::error::connection_reset &&
                 ec != asio::error::eof)
            log::debug("transport", "read ended", {{"conn", id_}, {"error", ec.message()}});
        grace_timer_.cancel();
        return;
    }
    if (close_requested_) {  // closing: the rest is discarded while the close handshake runs
        buffer_.consume(buffer_.size());
        return do_read();
    }
    if (!ws_.got_text()) {
        buffer_.consume(buffer_.size());
        enqueue(core::make_frame(protocol::encode_error(
            std::nullopt, {},
            protocol::make_error(protocol::ErrorCode::invalid_request,
                                 "frames must be text frames holding JSON"))));
        return do_read();
    }
    auto text = beast::buffers_to_string(buffer_.data());
    buffer_.consume(buffer_.size());
    // The next read starts only once the core has handled this frame: back-pressure, so a fast
    // sender queues its requests in its own socket buffer, not in our memory.
    core_.inbox->post([self = this->shared_from_this(), text = std::move(text), read_at = Clock::now()] {
        const auto started = Clock::now();
        self->core_.hub.on_frame(self->id_, text);
        auto& m = metrics::get();
        m.request_wait_seconds.observe(std::chrono::duration<double>(started - read_at).count());
        m.request_seconds.observe(std::chrono::duration<double>(Clock::now() - started).count());
        self->lane_.run(self, [self] { self->do_read(); });
    });
}

template <class Stream>
void WsSession<Stream>::deliver(core::Frame frame) {
    lane_.deliver(this->shared_from_this(), std::move(frame));
}

template <class Stream>
void WsSession<Stream>::close(core::CloseCode code, std::string reason) {
    lane_.run(this->shared_from_this(), [self = this->shared_from_this(), code, reason = std::move(reason)]() mutable {
        self->start_close(code, std::move(reason), false);
    });
}

template <class Stream>
void WsSession<Stream>::allow_batching() {
    lane_.run(this->shared_from_this(), [self = this->shared_from_this()] { self->batching_ = true; });
}

template <class Stream>
void WsSession<Stream>::enqueue(core::Frame frame) {
    take(std::move(frame));
    flush();
}

template <class Stream>
bool WsSession<Stream>::take(core::Frame frame) {
    if (close_requested_ || !opened_) return false;
    if (queued_bytes_ + frame->size() > config_.max_queue_bytes) {
        log::info("transport", "slow reader cut off",
                  {{"conn", id_}, {"queued_bytes", queued_bytes_}});
        metrics::get().slow_readers_cut_off.fetch_add(1, std::memory_order_relaxed);
        start_close(core::CloseCode::policy_violation, "outgoing queue over limit: the client reads too slowly", true);
        return false;
    }
    queued_bytes_ += frame->size();
    metrics::get().outgoing_queue_bytes.fetch_add(static_cast<std::int64_t>(frame->size()), std::memory_order_relaxed);
    queue_.push_back(std::move(frame));
    const bool first = !flush_due_;
    flush_due_ = true;
    return first;
}

template <class Stream>
void WsSession<Stream>::flush() {
    flush_due_ = false;
    if (!writing_ && !queue_.empty()) do_write();
}

namespace {

// A batched message: at most this many frames and (beyond its first frame) bytes, so that one
// message never grows without bound and the first frames are not held back for long.
constexpr std::size_t kBatchFrames = 64;
constexpr std::size_t kBatchBytes = 64 * 1024;
const char kFrameSeparator = '\n';
constexpr std::size_t kKeptBatchCapacity = 4096;

// How many of the queued frames the next write carries (from the front), and their bytes with
// the separators between them.
std::pair<std::size_t, std::size_t> batch_extent(const FrameQueue& queue, bool batching) {
    std::size_t bytes = queue.front()->size();
    std::size_t frames = 1;
    if (!batching) return {frames, bytes};
    for (; frames < queue.size() && frames < kBatchFrames; ++frames) {
        const std::size_t more = 1 + queue[frames]->size();
        if (bytes + more > kBatchBytes) break;
        bytes += more;
    }
    return {frames, bytes};
}

}  // namespace

template <class Stream>
std::string_view WsSession<Stream>::next_payload() {
    std::size_t bytes = 0;
    std::tie(in_flight_, bytes) = batch_extent(queue_, batching_);
    if (in_flight_ == 1) return *queue_.front();
    // Everything queued goes out as one message, copied into one buffer: one frame header and,
    // for the kernel, one write and one piece to copy instead of one per frame. Handed to Beast
    // as pieces, a batch of 64 frames (and their separators) made Asio split the write into
    // three sendmsg calls of at most 64 pieces each, and Beast copied the list of pieces into
    // every layer of its write.
    batch_.clear();
    batch_.reserve(bytes);  // one allocation, not one per doubling
    for (std::size_t i = 0; i < in_flight_; ++i) {
        if (i > 0) batch_ += kFrameSeparator;
        batch_ += *queue_[i];
    }
    metrics::get().batched_writes.fetch_add(1, std::memory_order_relaxed);
    return batch_;
}

template <class Stream>
void WsSession<Stream>::do_write() {
    if constexpr (WsNextLayer<Stream>::direct) return write_direct();
    writing_ = true;
    ws_.text(true);
    const std::string_view payload = next_payload();
    ws_.async_write(asio::buffer(payload.data(), payload.size()),
                    [self = this->shared_from_this()](boost::system::error_code ec, std::size_t n) { self->on_write(ec, n); });
}

template <class Stream>
void WsSession<Stream>::write_direct() {
    if constexpr (WsNextLayer<Stream>::direct) {
        auto& socket = ws_.next_layer();
        while (!queue_.empty()) {
            // Beast is closing (the peer's close frame arrived, or ours went): no data frame may
            // follow a close frame, so the rest stays queued until the connection is gone.
            if (!ws_.is_open()) return;
            const std::string_view payload = next_payload();
            unsigned char header[10];
            const std::size_t header_size = websocket_text_header(payload.size(), header);
            writing_ = true;
            // In a step of the delivery lane: written with the step's other writes, in one call.
            if (socket.gather(header, header_size, payload)) return;
            const iovec pieces[2] = {{header, header_size}, {const_cast<char*>(payload.data()), payload.size()}};
            boost::system::error_code ec;
            // What the socket does not take now is copied and kept, so the frames may go.
            if (socket.write(pieces, ec) > 0) {
                socket.when_idle([self = this->shared_from_this()](boost::system::error_code idle_ec) {
                    self->on_write(idle_ec, 0);
                });
                return;
            }
            if (!finish_write(ec)) return;
        }
        after_writes();
    }
}

template <class Stream>
bool WsSession<Stream>::finish_write(boost::system::error_code ec) {
    writing_ = false;
    for (; in_flight_ > 0; --in_flight_) {
        queued_bytes_ -= queue_.front()->size();
        metrics::get().outgoing_queue_bytes.fetch_sub(static_cast<std::int64_t>(queue_.front()->size()),
                                                     std::memory_order_relaxed);
        if (!ec) metrics::get().deliveries.fetch_add(1, std::memory_order_relaxed);
        queue_.pop_front();
    }
    if (ec) {
        // The peer is gone or broken; closing the socket ends the pending read too.
        beast::get_lowest_layer(ws_).close();
        return false;
    }
    return true;
}

template <class Stream>
void WsSession<Stream>::on_write(boost::system::error_code ec, std::size_t) {
    if (!finish_write(ec)) return;
    if (!queue_.empty()) return do_write();
    after_writes();
}

template <class Stream>
void WsSession<Stream>::after_writes() {
    // A reader that caught up gives back a large batch buffer; most connections are idle most
    // of the time and should not each keep one.
    if (batch_.capacity() > kKeptBatchCapacity) std::string().swap(batch_);
    if (close_requested_) do_close();
}

template <class Stream>
void WsSession<Stream>::start_close(core::CloseCode code, std::string reason, bool discard_queue) {
    if (close_requested_ || !opened_) return;
    close_requested_ = true;
    close_code_ = code;
    close_reason_ = std::move(reason);
    if (discard_queue) {
        // Keep only the frames being written; the rest would never be read anyway.
        while (queue_.size() > (writing_ ? in_flight_ : 0u)) {
            queued_bytes_ -= queue_.back()->size();
            metrics::get().outgoing_queue_bytes.fetch_sub(static_cast<std::int64_t>(queue_.back()->size()),
                                                         std::memory_order_relaxed);
            queue_.pop_back();
        }
        // A reader that does not read will not take the close frame either: give it a moment,
        // then drop the socket.
        grace_timer_.expires_after(std::chrono::seconds(2));
        grace_timer_.async_wait([self = this->shared_from_this()](boost::system::error_code ec) {
            if (!ec) beast::get_lowest_layer(self->ws_).close();
        });
    }
    if (!writing_) do_close();
}

template <class Stream>
void WsSession<Stream>::do_close() {
    if (close_started_) return;
    close_started_ = true;
    websocket::close_reason why(static_cast<websocket::close_code>(close_code_), close_reason_);
    ws_.async_close(why, [self = this->shared_from_this()](boost::system::error_code) {});
}

template class WsSession<PlainStream>;
template class WsSession<TlsStream>;

}  // namespace vraagbaak::transport
