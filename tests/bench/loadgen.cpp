// vraagbaak-loadgen: many WebSocket connections in one process, open-loop publishing, latency of
// every delivery measured from the moment the message was *meant* to be sent (so queueing in
// the server shows up honestly instead of slowing the generator down).
//
// Modes:
//   vraagbaak  the real protocol: hello, login as bN, join the account's room, post; receivers
//              measure the `message` event. Accounts come from vraagbaak-bench-seed.
//   raw        for the peer servers: every text message sent is the body itself, and the server
//              sends it to every connection.
// Connection j belongs to room j % rooms; the first `publishers` connections (spread over the
// rooms the same way) publish, all connections receive.
//
// Variants of the publishing run:
//   --stall-after S   (F4) the last connection stops reading S seconds in; it is left out of the
//                     figures, and the server's peak memory is sampled.
//   --joiners N       (H1) the last N connections re-open the room (join, then history of
//                     --history-limit messages) at --join-rate a second together; the time from
//                     the intended join to the complete history is measured, and apart from it
//                     the join's own reply and how late the generator itself sent the join (its
//                     share of the figure: a generator busy with a fan-out sends late). With
//                     --rate 0 it only joins (the benchmark runs the joiners in a generator of
//                     their own, beside the one that posts).
//   --storm M         (H2) instead of publishing: every connection but the first drops, the first
//                     posts M messages, then all reconnect at once and resume from their last seq;
//                     the time until every one has all M, and what was lost or doubled.
//
// Output: one JSON object on stdout with every figure; a human summary on stderr.

#include <sys/resource.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <boost/asio/steady_timer.hpp>
#include <nlohmann/json.hpp>

#include <array>
#include <charconv>
#include <chrono>
#include <cmath>
#include <fstream>
#include <iostream>
#include <sstream>

#include "ws_client.hpp"

namespace asio = boost::asio;
using vraagbaak::client::Url;
using vraagbaak::client::WsClient;
using Clock = std::chrono::steady_clock;

namespace {

std::int64_t now_ns() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now().time_since_epoch()).count();
}

// Latencies in log buckets: 100 per decade from 1 µs to 100 s; percentiles report a bucket's upper
// bound (at most 2.3 % above the true value). Finer than a server's histogram needs to be: F4's
// verdict is a 20 % margin between two p99s, which 12 % buckets (20 per decade) could only
// judge to a bucket either way.
class Histogram {
public:
    static constexpr int kPerDecade = 100;
    static constexpr int kBuckets = 8 * kPerDecade + 1;

    void add(std::int64_t ns) {
        double us = std::max(1.0, static_cast<double>(ns) / 1000.0);
        int b = static_cast<int>(std::log10(us) * kPerDecade);
        buckets_[static_cast<std::size_t>(std::clamp(b, 0, kBuckets - 1))]++;
        ++count_;
        max_ns_ = std::max(max_ns_, ns);
        if (ns <= 1'000'000'000) ++within_1s_;
    }
    // In milliseconds.
    double percentile(double p) const {
        if (count_ == 0) return 0;
        auto rank = static_cast<std::uint64_t>(std::ceil(p / 100.0 * static_cast<double>(count_)));
        std::uint64_t seen = 0;
        for (int b = 0; b < kBuckets; ++b) {
            seen += buckets_[static_cast<std::size_t>(b)];
            if (seen >= rank) return std::pow(10.0, static_cast<double>(b + 1) / kPerDecade) / 1000.0;
        }
        return static_cast<double>(max_ns_) / 1e6;
    }
    std::uint64_t count() const { return count_; }
    std::uint64_t within_1s() const { return within_1s_; }
    double max_ms() const { return static_cast<double>(max_ns_) / 1e6; }

private:
    std::array<std::uint64_t, kBuckets> buckets_{};
    std::uint64_t count_ = 0;
    std::uint64_t within_1s_ = 0;
    std::int64_t max_ns_ = 0;
};

struct ProcessSample {
    double cpu_s = 0;  // user + system
    double system_s = 0;  // of which in the kernel (on loopback that includes the receiving side's TCP)
    std::int64_t rss_kb = 0;
};

ProcessSample sample_process(int pid) {
    ProcessSample out;
    if (pid <= 0) return out;
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
    auto close = text.rfind(')');
    if (close != std::string::npos) {
        std::istringstream fields(text.substr(close + 2));
        std::string field;
        long long utime = 0, stime = 0;
        for (int i = 3; fields >> field; ++i) {  // field 3 is the state
            if (i == 14) utime = std::stoll(field);
            if (i == 15) {
                stime = std::stoll(field);
                break;
            }
        }
        out.cpu_s = static_cast<double>(utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
        out.system_s = static_cast<double>(stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
    }
    std::ifstream status("/proc/" + std::to_string(pid) + "/status");
    for (std::string line; std::getline(status, line);)
        if (line.rfind("VmRSS:", 0) == 0) out.rss_kb = std::stoll(line.substr(6));
    return out;
}

double own_cpu_s() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    auto seconds = [](timeval t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6; };
    return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

// A counter from the server's /metrics (vraagbaak mode), or -1.
std::int64_t server_counter(const std::string& host, int port, const std::string& name) {
    try {
        asio::io_context ioc;
        asio::ip::tcp::socket socket(ioc);
        socket.connect({asio::ip::make_address(host), static_cast<unsigned short>(port)});
        const std::string request = "GET /metrics HTTP/1.0\r\nHost: " + host + "\r\n\r\n";
        asio::write(socket, asio::buffer(request));
        std::string response;
        boost::system::error_code ec;
        asio::read(socket, asio::dynamic_buffer(response), ec);  // until the server closes
        auto at = response.find("\n" + name + " ");
        if (at == std::string::npos) return -1;
        return std::stoll(response.substr(at + name.size() + 2));
    } catch (const std::exception&) {
        return -1;
    }
}

struct Options {
    std::string host = "127.0.0.1";
    int port = 0;
    std::string mode = "vraagbaak";
    std::string path = "/ws";
    int connections = 100;
    int rooms = 1;
    int publishers = 10;
    double rate = 100;  // messages per second, all publishers together
    int body_bytes = 100;
    double duration_s = 5;
    double drain_s = 2;
    std::string password = "bench-wachtwoord";
    int server_pid = 0;
    std::string label;
    int connect_parallel = 200;
    int first_account = 0;  // connection j logs in as b<first_account + j> (several generators)
    double idle_s = 0;      // > 0: hold the connections this long instead of publishing (I1)
    double stall_after_s = 0;  // F4
    int joiners = 0;           // H1
    double join_rate = 0;
    int history_limit = 100;
    int storm = 0;             // H2
};

struct Peer {
    std::shared_ptr<WsClient> ws;
    int room = 0;
    bool ready = false;
    std::string token;           // from the login reply, for resume
    std::int64_t last_seq = 0;   // the newest room seq seen
    std::int64_t storm_from = 0; // last_seq when the storm dropped the connection
    int storm_got = 0;           // messages after storm_from received since
    std::uint64_t join_n = 0;    // H1: the join in flight (its reply is named "J", not by number)
};

// The first "seq": number in a frame (an event's own, or its message's).
std::int64_t seq_of(const std::string& frame) {
    auto at = frame.find("\"seq\":");
    std::int64_t seq = 0;
    if (at != std::string::npos) std::from_chars(frame.data() + at + 6, frame.data() + frame.size(), seq);
    return seq;
}

std::string string_field(const std::string& frame, std::string_view name) {
    const std::string key = "\"" + std::string(name) + "\":\"";
    auto at = frame.find(key);
    if (at == std::string::npos) return {};
    at += key.size();
    return frame.substr(at, frame.find('"', at) - at);
}

class LoadGenerator {
public:
    explicit LoadGenerator(Options options) : o_(std::move(options)), timer_(ioc_) {}

    int run() {
        peers_.resize(static_cast<std::size_t>(o_.connections));
        const auto rss_before = sample_process(o_.server_pid).rss_kb;
        const auto connect_started = Clock::now();
        for (int i = 0; i < std::min(o_.connect_parallel, o_.connections); ++i) open_next();
        ioc_.run_for(std::chrono::seconds(120));  // until everyone is ready (stop() below)
        ioc_.restart();
        connect_s_ = std::chrono::duration<double>(Clock::now() - connect_started).count();
        if (ready_ != o_.connections) {
            std::cerr << "loadgen: only " << ready_ << " of " << o_.connections << " connections got ready ("
                      << failed_ << " failed)\n";
            return 2;
        }
        if (o_.idle_s > 0) {
            // Hold every connection idle (pings are answered by the library); then the server's
            // memory with all of them logged in.
            ioc_.run_for(std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::duration<double>(o_.idle_s)));
            nlohmann::json out{{"label", o_.label},
                               {"connections", o_.connections},
                               {"ready", ready_},
                               {"connect_and_login_s", connect_s_},
                               {"logins_per_s", static_cast<double>(ready_) / connect_s_},
                               {"server_rss_before_kb", rss_before},
                               {"server_rss_kb", sample_process(o_.server_pid).rss_kb},
                               {"closed_early", closed_early_}};
            std::cout << out.dump() << std::endl;
            return closed_early_ == 0 ? 0 : 3;
        }
        if (o_.storm > 0) return storm();
        // Publish.
        if (o_.stall_after_s > 0) stalled_ = o_.connections - 1;
        server_before_ = sample_process(o_.server_pid);
        rss_max_kb_ = server_before_.rss_kb;
        own_before_ = own_cpu_s();
        start_ns_ = now_ns();
        total_to_send_ = static_cast<std::uint64_t>(o_.rate * o_.duration_s);
        tick();
        ioc_.run();
        return report();
    }

private:
    void open_next() {
        if (next_to_open_ >= o_.connections) return;
        const int index = next_to_open_++;
        auto& peer = peers_[static_cast<std::size_t>(index)];
        peer.room = (o_.first_account + index) % o_.rooms;
        Url url{o_.host, std::to_string(o_.port), o_.path, false};
        peer.ws = WsClient::create(ioc_, url, {}, WsClient::Handlers{
                                                      [this, index](std::string frame) { on_frame(index, frame); },
                                                      [this](boost::system::error_code, const std::string&, int) {
                                                          if (!finished_ && !storming_) ++closed_early_;
                                                      }});
        peer.ws->connect(std::chrono::seconds(30), [this, index](boost::system::error_code ec) {
            if (ec) {
                ++failed_;
                open_next();
                return check_ready();
            }
            if (o_.mode == "raw") return mark_ready(index);
            send_json(index, {{"id", "h"}, {"type", "hello"}, {"versions", {1}}, {"batch", true}});
            send_json(index, {{"id", "l"}, {"type", "login"}, {"handle", "b" + std::to_string(o_.first_account + index)}, {"password", o_.password}});
        });
    }

    void send_json(int index, const nlohmann::json& j) { peers_[static_cast<std::size_t>(index)].ws->send(j.dump()); }

    void mark_ready(int index) {
        auto& peer = peers_[static_cast<std::size_t>(index)];
        if (peer.ready) return;
        peer.ready = true;
        ++ready_;
        open_next();
        check_ready();
    }

    void check_ready() {
        if (ready_ + failed_ >= o_.connections) ioc_.stop();
    }

    void on_frame(int index, const std::string& frame) {
        if (o_.mode == "raw") return index == stalled_ ? void() : measure(frame, 0);
        auto& peer = peers_[static_cast<std::size_t>(index)];
        if (frame.compare(0, 9, "{\"event\":") == 0) {
            const auto seq = seq_of(frame);
            const bool message = frame.find("\"event\":\"message\"") != std::string::npos;
            if (storming_ && index > 0 && message) on_storm_message(peer, seq);
            peer.last_seq = std::max(peer.last_seq, seq);
            if (message && index != stalled_ && !storming_) {
                auto at = frame.find("\"body\":\"");
                if (at != std::string::npos) measure(frame, at + 8);
            }
            return;
        }
        if (frame.find("\"reply_to\":\"J\"") != std::string::npos) {
            join_reply_latency_.add(now_ns() - join_intended_ns(peer.join_n));
            return;
        }
        if (frame.find("\"reply_to\":\"H") != std::string::npos) {
            std::uint64_t n = 0;
            const std::string_view key = "\"reply_to\":\"H";
            const auto at = frame.find(key) + key.size();
            if (frame.find("\"ok\":true") == std::string::npos) ++join_failed_;
            else if (std::from_chars(frame.data() + at, frame.data() + frame.size(), n).ec == std::errc())
                join_latency_.add(now_ns() - join_intended_ns(n));
            return;
        }
        if (frame.find("\"reply_to\":\"s") != std::string::npos) {
            if (frame.find("\"ok\":true") != std::string::npos && ++storm_acked_ == o_.storm) reconnect_all();
            return;
        }
        if (frame.find("\"reply_to\":\"l\"") != std::string::npos) {
            if (frame.find("\"ok\":true") == std::string::npos) {
                std::cerr << "loadgen: login of b" << index << " failed: " << frame << "\n";
                ++failed_;
                return check_ready();
            }
            peer.token = string_field(frame, "token");
            send_json(index, {{"id", "j"}, {"type", "join"}, {"room_id", peers_[static_cast<std::size_t>(index)].room + 1}});
            return;
        }
        if (frame.find("\"reply_to\":\"j\"") != std::string::npos) {
            // The room as joined: its newest seq is where this connection's cursor starts.
            if (auto at = frame.find("\"last_seq\":"); at != std::string::npos) {
                std::int64_t seq = 0;
                std::from_chars(frame.data() + at + 11, frame.data() + frame.size(), seq);
                peer.last_seq = std::max(peer.last_seq, seq);
            }
            return mark_ready(index);
        }
        if (frame.find("\"reply_to\":\"p") != std::string::npos) {
            if (frame.find("\"ok\":true") != std::string::npos) {
                ++acknowledged_;
                // The reply names the post ("p<n>"), whose intended send time is known.
                std::uint64_t n = 0;
                const std::string_view key = "\"reply_to\":\"p";
                const auto at = frame.find(key) + key.size();
                if (std::from_chars(frame.data() + at, frame.data() + frame.size(), n).ec == std::errc())
                    ack_latency_.add(now_ns() - intended_ns(n));
            }
            else ++refused_;
        }
    }

    // The body starts with the intended send time in nanoseconds.
    void measure(const std::string& frame, std::size_t at) {
        std::int64_t sent_ns = 0;
        auto [end, ec] = std::from_chars(frame.data() + at, frame.data() + frame.size(), sent_ns);
        if (ec != std::errc()) return;
        latency_.add(now_ns() - sent_ns);
    }

    void tick() {
        const std::int64_t now = now_ns();
        const auto due = std::min<std::uint64_t>(
            total_to_send_, static_cast<std::uint64_t>(static_cast<double>(now - start_ns_) / 1e9 * o_.rate) + 1);
        while (sent_ < due) publish(sent_++);
        const auto joins_total = o_.joiners > 0 ? static_cast<std::uint64_t>(o_.join_rate * o_.duration_s) : 0;
        if (joins_sent_ < joins_total) {
            const auto joins_due = static_cast<std::uint64_t>(static_cast<double>(now - start_ns_) / 1e9 * o_.join_rate) + 1;
            while (joins_sent_ < joins_due && joins_sent_ < joins_total) rejoin(joins_sent_++);
        }
        if (stalled_ >= 0 && !stall_started_ && now - start_ns_ >= static_cast<std::int64_t>(o_.stall_after_s * 1e9)) {
            stall_started_ = true;
            peers_[static_cast<std::size_t>(stalled_)].ws->pause_reading();
        }
        if (now - last_rss_ns_ >= 100'000'000) {
            last_rss_ns_ = now;
            rss_max_kb_ = std::max(rss_max_kb_, sample_process(o_.server_pid).rss_kb);
        }
        if (sent_ < total_to_send_ || joins_sent_ < joins_total) {
            timer_.expires_after(std::chrono::microseconds(500));
            timer_.async_wait([this](boost::system::error_code) { tick(); });
            return;
        }
        // Everything sent: wait for the deliveries still on their way, then stop.
        end_send_ns_ = now_ns();
        timer_.expires_after(std::chrono::milliseconds(static_cast<int>(o_.drain_s * 1000)));
        timer_.async_wait([this](boost::system::error_code) { finish(); });
    }

    std::int64_t join_intended_ns(std::uint64_t n) const {
        return start_ns_ + static_cast<std::int64_t>(static_cast<double>(n) * 1e9 / o_.join_rate);
    }

    // H1: joiner k re-opens its room: join (a member's join answers with the room at once), then
    // the last messages.
    void rejoin(std::uint64_t n) {
        const int index = o_.connections - o_.joiners + static_cast<int>(n % static_cast<std::uint64_t>(o_.joiners));
        auto& peer = peers_[static_cast<std::size_t>(index)];
        const auto room = std::to_string(peer.room + 1);
        peer.join_n = n;
        join_send_lag_.add(now_ns() - join_intended_ns(n));
        peer.ws->send(R"({"id":"J","type":"join","room_id":)" + room + "}");
        peer.ws->send(R"({"id":"H)" + std::to_string(n) + R"(","type":"history","room_id":)" + room +
                      R"(,"limit":)" + std::to_string(o_.history_limit) + "}");
    }

    // H2: everyone but connection 0 drops; connection 0 posts; then all come back at once.
    int storm() {
        storming_ = true;
        const auto queries_before = server_counter(o_.host, o_.port, "vraagbaak_store_queries_total");
        server_before_ = sample_process(o_.server_pid);
        own_before_ = own_cpu_s();
        for (int i = 1; i < o_.connections; ++i) {
            auto& peer = peers_[static_cast<std::size_t>(i)];
            peer.storm_from = peer.last_seq;
            peer.ws->close();
        }
        timer_.expires_after(std::chrono::milliseconds(500));
        timer_.async_wait([this](boost::system::error_code) {
            for (int k = 0; k < o_.storm; ++k) {
                std::string body = "storm " + std::to_string(k) + " ";
                body.append(static_cast<std::size_t>(std::max(0, o_.body_bytes - static_cast<int>(body.size()))), 'x');
                peers_[0].ws->send(R"({"id":"s)" + std::to_string(k) + R"(","type":"post","room_id":)" +
                                   std::to_string(peers_[0].room + 1) + R"(,"body":")" + body + "\"}");
            }
        });
        storm_timeout_.expires_after(std::chrono::seconds(30));
        storm_timeout_.async_wait([this](boost::system::error_code ec) {
            if (!ec) ioc_.stop();
        });
        ioc_.run();
        server_after_ = sample_process(o_.server_pid);
        const auto queries = server_counter(o_.host, o_.port, "vraagbaak_store_queries_total") - queries_before;
        const int receivers = o_.connections - 1;
        int lost = 0;
        for (int i = 1; i < o_.connections; ++i)
            if (peers_[static_cast<std::size_t>(i)].storm_got < o_.storm) ++lost;
        nlohmann::json out{{"label", o_.label},
                           {"receivers", receivers},
                           {"missed_each", o_.storm},
                           {"caught_up", caught_up_},
                           {"receivers_missing_messages", lost},
                           {"duplicates", storm_duplicates_},
                           {"all_caught_up_s", caught_up_ == receivers ? storm_s_ : -1.0},
                           {"reconnect_failed", storm_failed_},
                           {"posts_acknowledged", storm_acked_},
                           {"database_queries", queries},
                           {"server_cpu_s", server_after_.cpu_s - server_before_.cpu_s},
                           {"server_rss_kb", server_after_.rss_kb}};
        std::cout << out.dump() << std::endl;
        std::cerr << "loadgen " << o_.label << ": " << caught_up_ << "/" << receivers << " caught up with " << o_.storm
                  << " missed messages each in " << storm_s_ * 1000 << " ms; " << lost << " missing, "
                  << storm_duplicates_ << " duplicates; " << queries << " database queries (the posts' included)\n";
        return caught_up_ == receivers && storm_duplicates_ == 0 ? 0 : 3;
    }

    void reconnect_all() {
        storm_t0_ = now_ns();
        for (int i = 1; i < o_.connections; ++i) {
            auto& peer = peers_[static_cast<std::size_t>(i)];
            Url url{o_.host, std::to_string(o_.port), o_.path, false};
            peer.ws = WsClient::create(ioc_, url, {}, WsClient::Handlers{
                [this, i](std::string frame) { on_frame(i, frame); }, [](boost::system::error_code, const std::string&, int) {}});
            peer.ws->connect(std::chrono::seconds(30), [this, i](boost::system::error_code ec) {
                auto& p = peers_[static_cast<std::size_t>(i)];
                if (ec) {
                    ++storm_failed_;
                    return;
                }
                send_json(i, {{"id", "h"}, {"type", "hello"}, {"versions", {1}}, {"batch", true}});
                send_json(i, {{"id", "r"}, {"type", "resume"}, {"token", p.token},
                              {"last_seen", {{{"room_id", p.room + 1}, {"seq", p.storm_from}}}}});
            });
        }
    }

    void on_storm_message(Peer& peer, std::int64_t seq) {
        if (seq <= peer.last_seq) {
            ++storm_duplicates_;
            return;
        }
        if (seq > peer.storm_from && ++peer.storm_got == o_.storm && ++caught_up_ == o_.connections - 1) {
            storm_s_ = static_cast<double>(now_ns() - storm_t0_) / 1e9;
            storm_timeout_.cancel();
            for (auto& p : peers_) p.ws->close();
            timer_.expires_after(std::chrono::milliseconds(300));
            timer_.async_wait([this](boost::system::error_code) { ioc_.stop(); });
        }
    }

    std::int64_t intended_ns(std::uint64_t n) const {
        return start_ns_ + static_cast<std::int64_t>(static_cast<double>(n) * 1e9 / o_.rate);
    }

    void publish(std::uint64_t n) {
        const int publisher = static_cast<int>(n % static_cast<std::uint64_t>(o_.publishers));
        // Publisher k is connection k: with connections spread over rooms by index, publishers
        // spread the same way.
        const std::int64_t intended = intended_ns(n);
        std::string body = std::to_string(intended) + " " + std::to_string(publisher) + " ";
        if (static_cast<int>(body.size()) < o_.body_bytes) body.append(static_cast<std::size_t>(o_.body_bytes) - body.size(), 'x');
        auto& peer = peers_[static_cast<std::size_t>(publisher)];
        expected_ += members_of(peer.room);
        if (stalled_ >= 0 && (o_.mode == "raw" || peers_[static_cast<std::size_t>(stalled_)].room == peer.room)) --expected_;
        if (o_.mode == "raw") return peer.ws->send(std::move(body));
        std::string request = R"({"id":"p)" + std::to_string(n) + R"(","type":"post","room_id":)" +
                              std::to_string(peer.room + 1) + R"(,"body":")" + body + "\"}";
        peer.ws->send(std::move(request));
    }

    std::uint64_t members_of(int room) const {
        if (o_.mode == "raw") return static_cast<std::uint64_t>(o_.connections);  // peers broadcast to all
        auto n = static_cast<std::uint64_t>(o_.connections / o_.rooms);
        return n + (room < o_.connections % o_.rooms ? 1 : 0);
    }

    void finish() {
        finished_ = true;
        window_s_ = static_cast<double>(now_ns() - start_ns_) / 1e9;
        send_window_s_ = static_cast<double>(end_send_ns_ - start_ns_) / 1e9;
        server_after_ = sample_process(o_.server_pid);
        own_after_ = own_cpu_s();
        for (auto& peer : peers_)
            if (peer.ws) peer.ws->close();
        timer_.expires_after(std::chrono::milliseconds(300));
        timer_.async_wait([this](boost::system::error_code) { ioc_.stop(); });
    }

    int report() {
        const double server_cpu = server_after_.cpu_s - server_before_.cpu_s;
        const double server_system = server_after_.system_s - server_before_.system_s;
        const double own_cpu = own_after_ - own_before_;
        const double own_share = own_cpu / window_s_;
        const auto delivered = latency_.count();
        const double delivered_share = expected_ ? static_cast<double>(delivered) / static_cast<double>(expected_) : 0;
        const double within_1s_share = expected_ ? static_cast<double>(latency_.within_1s()) / static_cast<double>(expected_) : 0;
        nlohmann::json out{
            {"label", o_.label},
            {"mode", o_.mode},
            {"connections", o_.connections},
            {"rooms", o_.rooms},
            {"publishers", o_.publishers},
            {"body_bytes", o_.body_bytes},
            {"offered_messages_per_s", o_.rate},
            {"offered_deliveries_per_s", static_cast<double>(expected_) / std::max(send_window_s_, 1e-9)},
            {"connect_and_login_s", connect_s_},
            {"sent", sent_},
            {"acknowledged", acknowledged_},
            {"acknowledged_per_s", static_cast<double>(acknowledged_) / std::max(send_window_s_, 1e-9)},
            {"ack_latency_ms", {{"p50", ack_latency_.percentile(50)}, {"p99", ack_latency_.percentile(99)}, {"max", ack_latency_.max_ms()}}},
            {"refused", refused_},
            {"expected_deliveries", expected_},
            {"delivered", delivered},
            {"delivered_share", delivered_share},
            {"delivered_within_1s_share", within_1s_share},
            {"latency_ms", {{"p50", latency_.percentile(50)}, {"p99", latency_.percentile(99)},
                            {"p99_9", latency_.percentile(99.9)}, {"max", latency_.max_ms()}}},
            {"server_cpu_s", server_cpu},
            {"server_cpu_us_per_delivery", delivered ? server_cpu * 1e6 / static_cast<double>(delivered) : 0.0},
            {"server_system_cpu_us_per_delivery", delivered ? server_system * 1e6 / static_cast<double>(delivered) : 0.0},
            {"server_rss_kb", server_after_.rss_kb},
            {"server_rss_max_kb", std::max(rss_max_kb_, server_after_.rss_kb)},
            {"generator_cpu_share", own_share},
            {"generator_bound", own_share >= 0.9},
            {"closed_early", closed_early_},
        };
        if (o_.joiners > 0)
            out["joins"] = {{"sent", joins_sent_}, {"completed", join_latency_.count()}, {"failed", join_failed_},
                            {"history_limit", o_.history_limit},
                            {"latency_ms", {{"p50", join_latency_.percentile(50)}, {"p99", join_latency_.percentile(99)},
                                            {"max", join_latency_.max_ms()}}},
                            {"join_reply_ms", {{"p50", join_reply_latency_.percentile(50)},
                                               {"p99", join_reply_latency_.percentile(99)}}},
                            {"send_lag_ms", {{"p50", join_send_lag_.percentile(50)},
                                             {"p90", join_send_lag_.percentile(90)},
                                             {"p99", join_send_lag_.percentile(99)}}}};
        if (stalled_ >= 0) out["stalled_connection"] = stalled_;
        std::cout << out.dump() << std::endl;
        std::cerr << "loadgen " << o_.label << ": " << delivered << "/" << expected_ << " delivered ("
                  << std::round(delivered_share * 10000) / 100 << " %), p50 " << latency_.percentile(50) << " ms, p99 "
                  << latency_.percentile(99) << " ms, p99.9 " << latency_.percentile(99.9) << " ms; server "
                  << (delivered ? server_cpu * 1e6 / static_cast<double>(delivered) : 0.0) << " µs CPU/delivery ("
                  << (delivered ? server_system * 1e6 / static_cast<double>(delivered) : 0.0) << " in the kernel), RSS "
                  << server_after_.rss_kb / 1024 << " MiB; generator " << std::round(own_share * 100) << " % of a core"
                  << (own_share >= 0.9 ? " (GENERATOR-BOUND: figures understate the server)" : "") << "\n";
        return 0;
    }

    Options o_;
    asio::io_context ioc_{1};
    asio::steady_timer timer_;
    std::vector<Peer> peers_;
    int next_to_open_ = 0;
    int ready_ = 0;
    int failed_ = 0;
    int closed_early_ = 0;
    bool finished_ = false;
    double connect_s_ = 0;
    std::int64_t start_ns_ = 0;
    std::int64_t end_send_ns_ = 0;
    double window_s_ = 0;
    double send_window_s_ = 0;
    std::uint64_t total_to_send_ = 0;
    std::uint64_t sent_ = 0;
    std::uint64_t expected_ = 0;
    std::uint64_t acknowledged_ = 0;
    std::uint64_t refused_ = 0;
    int stalled_ = -1;  // F4: the connection that stops reading, if any
    bool stall_started_ = false;
    std::int64_t last_rss_ns_ = 0;
    std::int64_t rss_max_kb_ = 0;
    std::uint64_t joins_sent_ = 0;
    std::uint64_t join_failed_ = 0;
    Histogram join_latency_;        // H1: intended join to complete history
    Histogram join_reply_latency_;  // H1: intended join to the join's reply
    Histogram join_send_lag_;       // H1: intended join to the generator sending it
    bool storming_ = false;   // H2
    int storm_acked_ = 0;
    int caught_up_ = 0;
    int storm_failed_ = 0;
    std::uint64_t storm_duplicates_ = 0;
    std::int64_t storm_t0_ = 0;
    double storm_s_ = 0;
    asio::steady_timer storm_timeout_{ioc_};
    Histogram latency_;
    Histogram ack_latency_;  // post to its acknowledgement (vraagbaak mode)
    ProcessSample server_before_, server_after_;
    double own_before_ = 0, own_after_ = 0;
};

}  // namespace

int main(int argc, char** argv) {
    Options o;
    CLI::App cli{"vraagbaak-loadgen: open-loop WebSocket load with per-delivery latency"};
    cli.add_option("--host", o.host)->capture_default_str();
    cli.add_option("--port", o.port)->required();
    cli.add_option("--mode", o.mode)->check(CLI::IsMember({"vraagbaak", "raw"}))->capture_default_str();
    cli.add_option("--path", o.path)->capture_default_str();
    cli.add_option("--connections", o.connections)->check(CLI::Range(1, 20000))->capture_default_str();
    cli.add_option("--rooms", o.rooms)->check(CLI::Range(1, 20000))->capture_default_str();
    cli.add_option("--publishers", o.publishers)->check(CLI::Range(1, 20000))->capture_default_str();
    cli.add_option("--rate", o.rate, "Messages a second, all publishers together")->capture_default_str();
    cli.add_option("--body-bytes", o.body_bytes)->check(CLI::Range(40, 8000))->capture_default_str();
    cli.add_option("--duration", o.duration_s, "Seconds of publishing")->capture_default_str();
    cli.add_option("--drain", o.drain_s, "Seconds to wait for late deliveries")->capture_default_str();
    cli.add_option("--password", o.password)->capture_default_str();
    cli.add_option("--server-pid", o.server_pid, "Server process, for its CPU and memory");
    cli.add_option("--label", o.label);
    cli.add_option("--first-account", o.first_account, "Log in as b<N>, b<N+1>, …")->capture_default_str();
    cli.add_option("--idle", o.idle_s, "Hold the connections idle this many seconds instead of publishing");
    cli.add_option("--stall-after", o.stall_after_s, "F4: the last connection stops reading after this many seconds");
    cli.add_option("--joiners", o.joiners, "H1: the last N connections re-open the room (join + history)")
        ->check(CLI::Range(0, 20000));
    cli.add_option("--join-rate", o.join_rate, "H1: joins a second, all joiners together");
    cli.add_option("--history-limit", o.history_limit, "H1: messages asked for per join")->capture_default_str();
    cli.add_option("--storm", o.storm, "H2: messages missed by every reconnecting connection")->check(CLI::Range(0, 500));
    CLI11_PARSE(cli, argc, argv);
    // Rate 0 only for joiners that do nothing else (H1 from a generator of their own).
    if (o.publishers > o.connections || o.rooms > o.connections || o.rate < 0 || (o.rate == 0 && o.joiners == 0)) {
        std::cerr << "loadgen: need publishers <= connections, rooms <= connections, rate > 0 (or 0 with --joiners)\n";
        return 1;
    }
    return LoadGenerator(o).run();
}
