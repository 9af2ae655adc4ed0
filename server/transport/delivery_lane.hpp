#pragma once
// Hands frames from the core to the connections of one network thread in bulk.
//
// Each network thread runs its own io_context, and everything of a connection runs on the thread
// it was accepted onto (no strands). A broadcast to 1,000 members used to be 1,000 handlers
// posted through 1,000 strands; now the core appends (connection, frame) pairs to the lane of
// each connection's thread, and the thread takes all that piled up in one step. Frames that
// arrive while a thread is busy are queued together, so under load each connection gets several
// frames per write: the thread batches exactly as much as it falls behind, and not at all when
// idle.
//
// Taking a frame is cheap (a queue push); flushing is a write, several microseconds of kernel
// time (the writes of one step go to the kernel in one system call where SendRing can). A
// fan-out to 1,000 members is about 8 ms of flushing, and a request read or a reply that waits
// for all of it shows that as latency. So the lane flushes at most kFlushesPerStep clients
// per handler and lets the io_context run whatever became ready meanwhile before it goes on; and
// the clients of a small hand-off (a reply, an event for a few) are flushed at once, ahead of a
// fan-out still in progress. Taking stays in order, so a client's frames keep their order
// whichever way it is flushed.
//
// The lane is an Asio service of the io_context: a connection finds it through its executor.

#include <functional>
#include <memory>
#include <vector>

#include <boost/asio/execution_context.hpp>
#include <boost/asio/io_context.hpp>

#include "core/peer.hpp"
#include "transport/hand_off.hpp"
#include "transport/send_ring.hpp"
#include "transport/wakeup.hpp"

namespace vraagbaak::transport {

// A connection as its lane sees it. Called on the lane's thread only.
class LaneClient {
public:
    virtual ~LaneClient() = default;
    // Queues a frame without writing. Returns true the first time after a flush(), so that the
    // lane flushes each connection once per step however many frames it got.
    virtual bool take(core::Frame frame) = 0;
    // Starts writing what take() queued, unless a write is already in flight.
    virtual void flush() = 0;
};

class DeliveryLane final : public boost::asio::execution_context::service {
public:
    using key_type = DeliveryLane;
    static boost::asio::execution_context::id id;
    // Clients flushed per handler before the lane yields to the io_context; a hand-off of at most
    // this many frames is flushed at once.
    static constexpr std::size_t kFlushesPerStep = 32;

    // `context` must be an io_context run by exactly one thread (IoPool makes only such).
    explicit DeliveryLane(boost::asio::execution_context& context);

    // Thread-safe. Frames and actions for one client keep the order of the calls.
    void deliver(std::shared_ptr<LaneClient> to, core::Frame frame);
    // Runs `action` on the lane's thread after everything delivered to `to` before it was flushed.
    void run(std::shared_ptr<LaneClient> to, std::function<void()> action);
    // On the lane's thread, before it runs: `work` goes ahead of every step of a fan-out. When
    // the core shares this thread its inbox goes there, so that a request read during a fan-out
    // is answered after the step in progress, not after every handler queued behind it.
    void before_each_step(std::function<void()> work) { before_step_ = std::move(work); }

private:
    struct Item {
        std::shared_ptr<LaneClient> to;
        core::Frame frame;
        std::function<void()> action;
    };

    void shutdown() override;
    void push(Item item);
    void drain();
    // Takes everything handed over so far; flushes a small hand-off at once, queues the clients
    // of a large one in the backlog.
    void take_handed_over();
    void flush_backlog();

    boost::asio::io_context& ioc_;
    // Where a step's writes are gathered into one system call, where the thread has one.
    SendRing& ring_;
    HandOff<Item> items_;
    Wakeup wakeup_;  // schedules drain() from the core thread
    // The lane thread's own: clients taken from a large hand-off and not flushed yet, in order.
    std::vector<std::shared_ptr<LaneClient>> backlog_;
    std::size_t backlog_next_ = 0;
    bool backlog_scheduled_ = false;
    std::vector<LaneClient*> touched_;
    std::function<void()> before_step_;
};

}  // namespace vraagbaak::transport
