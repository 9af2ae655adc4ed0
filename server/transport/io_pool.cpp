#include "transport/io_pool.hpp"

#include <sched.h>

#include <algorithm>
#include <thread>

#include "transport/send_ring.hpp"

namespace vraagbaak::transport {

namespace {

// A network thread wakes for every few frames that arrive; on a CPU it shares with the core thread
// each such wake-up used to preempt the core in the middle of its work (at 15,000 posts/s about
// 10,000 times a second). As SCHED_BATCH it waits for the core to finish or use up its slice, and
// then finds more to read at once; the core (an ordinary thread) can still preempt it, so a request
// read during a long fan-out is not kept waiting. Unprivileged; where refused, nothing changes.
void run_network_thread(boost::asio::io_context& ioc, bool batch = true) {
    sched_param param{};
    if (batch) sched_setscheduler(0, SCHED_BATCH, &param);
    ioc.run();
}

}  // namespace

IoPool::IoPool(int threads, bool core_on_first) : core_on_first_(core_on_first) {
    for (int i = 0; i < std::max(1, threads); ++i) {
        contexts_.push_back(std::make_unique<boost::asio::io_context>(1));
        work_.push_back(boost::asio::make_work_guard(*contexts_.back()));
    }
}

boost::asio::io_context& IoPool::next() {
    return *contexts_[next_.fetch_add(1, std::memory_order_relaxed) % contexts_.size()];
}

void IoPool::run() {
    std::vector<std::thread> threads;
    for (std::size_t i = 1; i < contexts_.size(); ++i)
        threads.emplace_back([ioc = contexts_[i].get()] { run_network_thread(*ioc); });
    run_network_thread(*contexts_.front(), !core_on_first_);
    for (auto& t : threads) t.join();
}

void IoPool::stop() {
    for (auto& ioc : contexts_) ioc->stop();
}

bool IoPool::open_send_rings() {
    bool all = true;
    for (auto& context : contexts_) all = boost::asio::use_service<SendRing>(*context).open() && all;
    return all;
}

void IoPool::close() {
    work_.clear();
    contexts_.clear();
}

}  // namespace vraagbaak::transport
