#include "support/test_client.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include <future>
#include <stdexcept>

#include "ws_client.hpp"

namespace vraagbaak::test {

namespace asio = boost::asio;

TestClient::TestClient(unsigned port, const std::string& path, const std::string& ca_file) : ioc_(std::make_unique<asio::io_context>(1)) {
    client::Url url{"127.0.0.1", std::to_string(port), path, !ca_file.empty()};
    ws_ = client::WsClient::create(
        *ioc_, url, {ca_file}, client::WsClient::Handlers{
                   [this](std::string frame) {
                       std::lock_guard lock(mutex_);
                       auto j = json::parse(frame, nullptr, false);
                       if (j.is_discarded()) j = json{{"unparsable", frame}};
                       inbox_.push_back(j);
                       history_.push_back(j);
                       cv_.notify_all();
                   },
                   [this](boost::system::error_code ec, const std::string&, int code) {
                       std::lock_guard lock(mutex_);
                       close_code_ = ec ? 0 : code;
                       cv_.notify_all();
                   }});
    std::promise<boost::system::error_code> connected;
    ws_->connect(std::chrono::seconds(10),
                 [&connected](boost::system::error_code ec) { connected.set_value(ec); });
    thread_ = std::thread([this] { ioc_->run(); });
    auto ec = connected.get_future().get();
    if (ec) {
        ioc_->stop();
        thread_.join();
        throw std::runtime_error("connect failed: " + ec.message());
    }
}

TestClient::~TestClient() {
    asio::post(*ioc_, [ws = ws_] { ws->close(); });
    wait_closed(2s);
    ioc_->stop();
    thread_.join();
}

void TestClient::send_raw(std::string text) {
    asio::post(*ioc_, [ws = ws_, text = std::move(text)]() mutable { ws->send(std::move(text)); });
}

json TestClient::call(json request, std::chrono::milliseconds timeout) {
    std::string id = "t" + std::to_string(++next_id_);
    request["id"] = id;
    send_raw(request.dump());
    std::unique_lock lock(mutex_);
    json reply;
    bool got = cv_.wait_for(lock, timeout, [&] {
        for (auto it = inbox_.begin(); it != inbox_.end(); ++it)
            if (it->contains("reply_to") && (*it)["reply_to"] == id) {
                reply = *it;
                inbox_.erase(it);
                return true;
            }
        return close_code_.has_value();
    });
    if (!got || reply.is_null())
        throw std::runtime_error("no reply to " + request.dump().substr(0, 200));
    return reply;
}

void TestClient::login(const std::string& handle, const std::string& password) {
    auto hello = call({{"type", "hello"}, {"versions", {1}}, {"client", "e2e"}, {"batch", true}});
    if (!hello["ok"].get<bool>()) throw std::runtime_error("hello failed: " + hello.dump());
    auto login = call({{"type", "login"}, {"handle", handle}, {"password", password}});
    if (!login["ok"].get<bool>()) throw std::runtime_error("login failed: " + login.dump());
}

std::optional<json> TestClient::next_frame(std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    if (!cv_.wait_for(lock, timeout, [&] { return !inbox_.empty(); })) return std::nullopt;
    json j = inbox_.front();
    inbox_.pop_front();
    return j;
}

std::optional<json> TestClient::next_event(const std::function<bool(const json&)>& pred,
                                           std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    std::optional<json> found;
    cv_.wait_for(lock, timeout, [&] {
        while (!inbox_.empty()) {
            json j = inbox_.front();
            inbox_.pop_front();
            if (j.contains("event") && pred(j)) {
                found = j;
                return true;
            }
        }
        return false;
    });
    return found;
}

std::optional<int> TestClient::wait_closed(std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    cv_.wait_for(lock, timeout, [&] { return close_code_.has_value(); });
    return close_code_;
}

std::vector<json> TestClient::all_frames() {
    std::lock_guard lock(mutex_);
    return history_;
}

}  // namespace vraagbaak::test
