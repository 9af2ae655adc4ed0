#include "transport/io_pool.hpp"

#include <algorithm>
#include <thread>

namespace vraagbaak::transport {

IoPool::IoPool(int threads) {
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
    for (std::size_t i = 1; i < contexts_.size(); ++i) threads.emplace_back([ioc = contexts_[i].get()] { ioc->run(); });
    contexts_.front()->run();
    for (auto& t : threads) t.join();
}

void IoPool::stop() {
    for (auto& ioc : contexts_) ioc->stop();
}

}  // namespace vraagbaak::transport
