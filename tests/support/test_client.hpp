#pragma once
// A WebSocket test client speaking the vraagbaak protocol from a test thread: the connection
// runs on its own io thread; the test waits for frames with deadlines.

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>

namespace boost::asio {
class io_context;
}

namespace vraagbaak::client {
class WsClient;
}

namespace vraagbaak::test {

using namespace std::chrono_literals;
using nlohmann::json;

// "ok", or the error code of a reply.
inline std::string reply_code(const json& reply) {
    return reply.value("ok", false) ? "ok" : reply["error"]["code"].get<std::string>();
}

class TestClient {
public:
    // Connects (throws on failure); over TLS (wss://) when given the CA file to trust.
    explicit TestClient(unsigned port, const std::string& path = "/ws", const std::string& ca_file = "");
    ~TestClient();

    void send_raw(std::string text);
    // Sends a request with a fresh id and returns the reply to it; frames that arrive meanwhile
    // stay queued for next_event().
    json call(json request, std::chrono::milliseconds timeout = 10s);
    // hello + login; asserts success.
    void login(const std::string& handle, const std::string& password);
    // The next frame of any kind, in arrival order.
    std::optional<json> next_frame(std::chrono::milliseconds timeout = 10s);
    // The next event matching `pred`, skipping others.
    std::optional<json> next_event(const std::function<bool(const json&)>& pred,
                                   std::chrono::milliseconds timeout = 10s);
    // Waits until the server closes the connection; returns its close code (0 on I/O error).
    std::optional<int> wait_closed(std::chrono::milliseconds timeout = 10s);
    // Every frame received so far, in order.
    std::vector<json> all_frames();

private:
    std::unique_ptr<boost::asio::io_context> ioc_;
    std::shared_ptr<client::WsClient> ws_;
    std::thread thread_;
    std::mutex mutex_;
    std::condition_variable cv_;
    std::deque<json> inbox_;
    std::vector<json> history_;
    std::optional<int> close_code_;
    int next_id_ = 0;
};

}  // namespace vraagbaak::test
