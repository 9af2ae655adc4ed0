#pragma once
// The network threads: one io_context per thread. A connection lives on one of them for its
// whole life, so its handlers never run concurrently without needing a strand, and the core can
// hand each thread its share of a broadcast in one step (DeliveryLane).

#include <atomic>
#include <memory>
#include <vector>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

namespace vraagbaak::transport {

class IoPool {
public:
    // `core_on_first`: the first context also runs the core (the process has one CPU, so a core
    // thread of its own could only take turns with the network thread). Its thread then stays an
    // ordinary one, like the core thread it replaces, instead of SCHED_BATCH.
    explicit IoPool(int threads, bool core_on_first = false);

    // Where the next connection goes: round robin.
    boost::asio::io_context& next();
    // Where listeners, signals and timers live.
    boost::asio::io_context& first() { return *contexts_.front(); }
    int size() const { return static_cast<int>(contexts_.size()); }

    // Gives every thread a send ring (SendRing); returns whether all have one. Before run().
    bool open_send_rings();

    // Runs every context, the first on the calling thread; returns when all have stopped.
    void run();
    // Thread-safe.
    void stop();
    // Destroys the contexts and with them the connections still in them: call it while what
    // connections refer to (the hub, the CoreLink) still exists.
    void close();

private:
    bool core_on_first_;
    std::vector<std::unique_ptr<boost::asio::io_context>> contexts_;
    // A thread whose context has no connection yet must not return from run().
    std::vector<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work_;
    std::atomic<std::size_t> next_{0};
};

}  // namespace vraagbaak::transport
