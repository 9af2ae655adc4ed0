// Hand-offs between threads without asio::post: a Wakeup runs its handler on the io_context's
// thread after signals from other threads (several before it runs count once), and not after
// close(); the core's inbox runs work in the order it was posted and, when closed, what was
// still waiting.

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include <atomic>
#include <chrono>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "transport/core_inbox.hpp"
#include "transport/wakeup.hpp"

namespace asio = boost::asio;
using vraagbaak::transport::CoreInbox;
using vraagbaak::transport::Wakeup;

namespace {

// Whether the io_context runs out of work (returns) well before two seconds.
bool runs_out_of_work(asio::io_context& ioc) {
    ioc.restart();
    const auto start = std::chrono::steady_clock::now();
    ioc.run_for(std::chrono::seconds(2));
    return std::chrono::steady_clock::now() - start < std::chrono::seconds(1);
}

void run_until(asio::io_context& ioc, const std::function<bool()>& done) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (!done() && std::chrono::steady_clock::now() < deadline) ioc.run_one_for(std::chrono::milliseconds(10));
}

}  // namespace

TEST(WakeupTest, SignalsFromAnotherThreadRunTheHandlerOnTheIoContextsThread) {
    asio::io_context ioc{1};
    std::vector<std::thread::id> ran_on;
    Wakeup wakeup(ioc.get_executor(), [&] { ran_on.push_back(std::this_thread::get_id()); });
    std::thread other([&] {
        for (int i = 0; i < 3; ++i) wakeup.signal();
    });
    other.join();
    run_until(ioc, [&] { return !ran_on.empty(); });
    ioc.run_for(std::chrono::milliseconds(50));  // anything more it would run
    ASSERT_EQ(ran_on.size(), 1u) << "three signals before it ran are one wake-up";
    EXPECT_EQ(ran_on[0], std::this_thread::get_id());

    wakeup.signal();
    run_until(ioc, [&] { return ran_on.size() == 2; });
    EXPECT_EQ(ran_on.size(), 2u) << "a signal after it ran wakes it again";

    EXPECT_FALSE(runs_out_of_work(ioc)) << "open, it waits for signals";
    wakeup.close();
    wakeup.signal();  // harmless now
    EXPECT_TRUE(runs_out_of_work(ioc)) << "closed, it keeps the io_context busy no more";
    EXPECT_EQ(ran_on.size(), 2u);
}

TEST(WakeupTest, SignalsOnTheIoContextsOwnThreadRunTheHandlerOnceAfterWhatIsQueued) {
    asio::io_context ioc{1};
    std::vector<std::string> ran;
    Wakeup wakeup(ioc.get_executor(), [&] { ran.push_back("woken"); });
    asio::post(ioc, [&] {
        for (int i = 0; i < 3; ++i) wakeup.signal();
        ran.push_back("signalled");
    });
    asio::post(ioc, [&] { ran.push_back("queued before"); });
    run_until(ioc, [&] { return ran.size() == 3; });
    ioc.run_for(std::chrono::milliseconds(50));
    EXPECT_EQ(ran, (std::vector<std::string>{"signalled", "queued before", "woken"})) << "three signals, one wake-up";

    asio::post(ioc, [&] { wakeup.signal(); });
    run_until(ioc, [&] { return ran.size() == 4; });
    EXPECT_EQ(ran.size(), 4u) << "a signal after it ran wakes it again";
    asio::post(ioc, [&] {
        wakeup.signal();
        wakeup.close();
    });
    EXPECT_TRUE(runs_out_of_work(ioc));
    EXPECT_EQ(ran.size(), 4u) << "closed before the posted wake-up ran: it does not run";
}

TEST(WakeupTest, TheCoreInboxRunsWorkInOrderAndWhatWaitedWhenClosed) {
    asio::io_context core{1};
    CoreInbox inbox(core.get_executor());
    std::vector<int> done;
    std::thread network([&] {
        for (int i = 0; i < 1000; ++i) inbox.post([&done, i] { done.push_back(i); });
    });
    network.join();
    run_until(core, [&] { return done.size() == 1000; });
    ASSERT_EQ(done.size(), 1000u);
    for (int i = 0; i < 1000; ++i) ASSERT_EQ(done[static_cast<std::size_t>(i)], i);

    // Posted, signalled, not run yet: closing runs it.
    inbox.post([&] { done.push_back(1000); });
    inbox.close();
    EXPECT_EQ(done.size(), 1001u);
    EXPECT_TRUE(runs_out_of_work(core));
}
