// The delivery lane: frames from the core reach each connection in order, a large hand-off (a
// fan-out) is flushed in steps that let the io_context run other work in between, and a small
// hand-off (a reply) is flushed ahead of a fan-out still in progress, taken between two of its
// steps. The lane listens on its io_context for as long as that lives, so these tests run it
// until what they wait for happened.

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include <algorithm>
#include <chrono>
#include <functional>
#include <memory>
#include <thread>
#include <string>
#include <vector>

#include "transport/core_inbox.hpp"
#include "transport/delivery_lane.hpp"

namespace asio = boost::asio;
namespace c = vraagbaak::core;
using vraagbaak::transport::DeliveryLane;
using vraagbaak::transport::LaneClient;

namespace {

// Records what it was given and, per flush that found frames, what went out together.
class RecordingClient final : public LaneClient {
public:
    explicit RecordingClient(std::vector<std::string>& log, std::string name) : log_(log), name_(std::move(name)) {}
    bool take(c::Frame frame) override {
        queued_.push_back(*frame);
        return !std::exchange(due_, true);
    }
    void flush() override {
        due_ = false;
        if (queued_.empty()) return;
        writes.push_back(queued_);
        queued_.clear();
        log_.push_back(name_);
        if (on_flush) std::exchange(on_flush, nullptr)();
    }
    std::vector<std::vector<std::string>> writes;
    std::function<void()> on_flush;  // once, at the next flush that writes

private:
    std::vector<std::string>& log_;
    std::string name_;
    std::vector<std::string> queued_;
    bool due_ = false;
};

class DeliveryLaneTest : public ::testing::Test {
protected:
    std::shared_ptr<RecordingClient> client(const std::string& name) {
        clients.push_back(std::make_shared<RecordingClient>(flushed, name));
        return clients.back();
    }
    // Runs the io_context until `done`, then what became ready meanwhile; at most 5 s.
    void run_until(const std::function<bool()>& done) {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
        while (!done() && std::chrono::steady_clock::now() < deadline) ioc.run_one_for(std::chrono::milliseconds(10));
        ioc.poll();
        ASSERT_TRUE(done()) << "not done within 5 s";
    }
    // A fan-out of four steps; during its first, `answer` gives the member it reaches last a
    // reply. That goes out at the start of the next step, in one write after the member's share
    // of the fan-out, and nothing is sent twice.
    void expect_reply_at_the_next_step(const std::function<void(std::shared_ptr<RecordingClient>)>& answer) {
        const std::size_t members = 4 * DeliveryLane::kFlushesPerStep;
        for (std::size_t i = 0; i < members; ++i) lane.deliver(client("m" + std::to_string(i)), c::make_frame("bericht"));
        auto last = clients.back();
        clients.front()->on_flush = [&answer, last] { answer(last); };
        run_until([&] { return flushed.size() == members; });
        ASSERT_EQ(flushed.size(), members);
        const auto at = std::find(flushed.begin(), flushed.end(), "m" + std::to_string(members - 1)) - flushed.begin();
        EXPECT_EQ(static_cast<std::size_t>(at), DeliveryLane::kFlushesPerStep) << "flushed as number " << at;
        ASSERT_EQ(last->writes.size(), 1u);
        EXPECT_EQ(last->writes[0], (std::vector<std::string>{"bericht", "antwoord"}));
    }
    asio::io_context ioc{1};
    DeliveryLane& lane = asio::use_service<DeliveryLane>(ioc);
    std::vector<std::string> flushed;  // client names, in the order their writes started
    std::vector<std::shared_ptr<RecordingClient>> clients;
};

TEST_F(DeliveryLaneTest, FramesAndActionsKeepTheirOrderPerClient) {
    auto anna = client("anna");
    std::vector<std::string> seen;
    lane.deliver(anna, c::make_frame("een"));
    lane.deliver(anna, c::make_frame("twee"));
    lane.run(anna, [&] { seen.push_back("action after " + std::to_string(anna->writes.size()) + " write(s)"); });
    lane.deliver(anna, c::make_frame("drie"));
    run_until([&] { return anna->writes.size() == 2 && seen.size() == 1; });
    ASSERT_EQ(anna->writes.size(), 2u);
    EXPECT_EQ(anna->writes[0], (std::vector<std::string>{"een", "twee"}));  // taken together, one write
    EXPECT_EQ(anna->writes[1], (std::vector<std::string>{"drie"}));
    EXPECT_EQ(seen, (std::vector<std::string>{"action after 1 write(s)"}));
}

TEST_F(DeliveryLaneTest, AFanOutIsFlushedInStepsWithOtherWorkInBetween) {
    const std::size_t members = 3 * DeliveryLane::kFlushesPerStep + 5;
    for (std::size_t i = 0; i < members; ++i) lane.deliver(client("m" + std::to_string(i)), c::make_frame("bericht"));
    // Ready during the first step of the fan-out, like a read that completes meanwhile.
    std::size_t flushed_when_other_work_ran = 0;
    clients.front()->on_flush = [&] { asio::post(ioc, [&] { flushed_when_other_work_ran = flushed.size(); }); };
    run_until([&] { return flushed.size() == members; });
    EXPECT_EQ(flushed.size(), members);
    EXPECT_EQ(flushed_when_other_work_ran, DeliveryLane::kFlushesPerStep)
        << "other work waited for " << flushed_when_other_work_ran << " of " << members << " flushes";
    for (std::size_t i = 0; i < members; ++i) EXPECT_EQ(flushed[i], "m" + std::to_string(i)) << "in order";
}

TEST_F(DeliveryLaneTest, AReplyIsFlushedAheadOfAFanOutInProgressAndKeepsItsClientsOrder) {
    // From the core thread; taken at the start of the next step, not when the reactor gets round
    // to the wake-up.
    expect_reply_at_the_next_step([&](std::shared_ptr<RecordingClient> last) {
        std::thread core([&] { lane.deliver(last, c::make_frame("antwoord")); });
        core.join();
    });
}

TEST_F(DeliveryLaneTest, TheCoresWorkOnTheSameThreadGoesAheadOfEachStepOfAFanOut) {
    // The core sharing the lane's thread: its inbox runs ahead of every step. A request read
    // during the first step is answered at the start of the next, not after every handler
    // queued by then.
    vraagbaak::transport::CoreInbox inbox(ioc.get_executor());
    std::size_t steps = 0;
    lane.before_each_step([&] {
        ++steps;
        inbox.run_pending();
    });
    expect_reply_at_the_next_step([&](std::shared_ptr<RecordingClient> last) {
        for (int i = 0; i < 3; ++i) asio::post(ioc, [] {});  // other ready work
        inbox.post([this, last] { lane.deliver(last, c::make_frame("antwoord")); });
    });
    EXPECT_EQ(steps, 4u);
    inbox.close();
}

}  // namespace
