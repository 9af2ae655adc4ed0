#include "app/server_runtime.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <sched.h>

#include <algorithm>
#include <functional>
#include <optional>

#include "core/personal_data.hpp"
#include "core/retention.hpp"
#include "support/metrics.hpp"
#include <boost/asio/thread_pool.hpp>

#include <iostream>
#include <thread>

#include "app/tryout.hpp"
#include "core/hub.hpp"
#include "core/password.hpp"
#include "storage/sqlite_store.hpp"
#include "support/log.hpp"
#include "transport/delivery_lane.hpp"
#include "transport/io_pool.hpp"
#include "transport/listener.hpp"

namespace vraagbaak::app {

namespace asio = boost::asio;

namespace {

// Password hashing on a small pool: the pool's size bounds how many hashes run at once
// (each takes 64 MiB), and results come back to the core thread.
class PoolOffloader final : public core::Offloader {
public:
    PoolOffloader(asio::thread_pool& pool, asio::any_io_executor core)
        : pool_(pool), core_(std::move(core)) {}
    void run(std::function<void()> work, std::function<void()> then) override {
        asio::post(pool_, [work = std::move(work), then = std::move(then), core = core_]() mutable {
            work();
            asio::post(core, std::move(then));
        });
    }
    // No work: straight onto the core's queue, without a trip through the pool.
    void later(std::function<void()> then) override { asio::post(core_, std::move(then)); }
    void after(std::chrono::microseconds delay, std::function<void()> then) override {
        auto timer = std::make_shared<asio::steady_timer>(core_, delay);
        timer->async_wait([timer, then = std::move(then)](boost::system::error_code) { then(); });
    }

private:
    asio::thread_pool& pool_;
    asio::any_io_executor core_;
};

constexpr auto kShutdownGrace = std::chrono::seconds(3);

// The CPUs this process may run on (taskset, cpusets), which may be fewer than the machine has.
int usable_cpus() {
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) == 0) return std::max(1, CPU_COUNT(&set));
    return static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
}

// Runs `f` when the scope ends, however it ends.
template <class F>
class ScopeExit {
public:
    explicit ScopeExit(F f) : f_(std::move(f)) {}
    ~ScopeExit() { f_(); }
    ScopeExit(const ScopeExit&) = delete;
    ScopeExit& operator=(const ScopeExit&) = delete;

private:
    F f_;
};

void drain_then_stop(asio::steady_timer& timer, transport::CoreLink& link, transport::IoPool& net,
                     std::chrono::steady_clock::time_point deadline) {
    if (link.live_websockets.load() == 0 || std::chrono::steady_clock::now() >= deadline) {
        net.stop();
        return;
    }
    timer.expires_after(std::chrono::milliseconds(20));
    timer.async_wait([&timer, &link, &net, deadline](boost::system::error_code ec) {
        if (!ec) drain_then_stop(timer, link, net, deadline);
    });
}

}  // namespace

int run_server(const ServerConfig& config) {
    core::init_crypto();
    std::unique_ptr<storage::SqliteStore> store;
    try {
        storage::SqliteOptions options{config.db_path};
        options.busy_timeout_ms = config.db_busy_timeout_ms;
        options.max_page_count = config.db_max_pages;
        store = std::make_unique<storage::SqliteStore>(options);
    } catch (const storage::StorageError& e) {
        std::cerr << "vraagbaak-server: cannot use database: " << e.what() << "\n";
        return 2;
    }

    std::vector<TryoutAccount> seeded;
    if (config.tryout) seeded = seed_tryout(*store);

    const int cpus = usable_cpus();
    const int threads = config.io_threads > 0 ? config.io_threads : cpus;
    // With one CPU a core thread of its own only takes turns with the network thread, and each
    // hand-over waits for the scheduler: a request read during a fan-out waited up to a 4 ms
    // tick for the core to be let on (H1). So there the core runs on the network thread.
    const bool core_on_network = threads == 1 && cpus == 1;
    // Before the hub: with one CPU the core runs on the network's first context.
    transport::IoPool net(threads, core_on_network);
    const bool send_rings = config.io_uring && net.open_send_rings();
    std::optional<asio::io_context> own_core_ioc;
    asio::io_context& core_ioc = core_on_network ? net.first() : own_core_ioc.emplace(1);
    auto core_work = asio::make_work_guard(core_ioc);
    asio::thread_pool hash_pool(2);
    PoolOffloader offloader(hash_pool, core_ioc.get_executor());
    core::Hub hub(*store, offloader, config.hub);
    transport::CoreLink link{hub, core_ioc.get_executor(), [&store] { return store->healthy(); },
                             [&store] { return store->writable(); }};
    metrics::define_labels(protocol::request_type_names(), protocol::error_code_names(),
                           core::personal_data_kind_names());
    link.metrics = [&store] { return metrics::render(store->database_bytes()); };
    // Sharing the thread, the core's requests go ahead of each step of a fan-out in progress.
    if (core_on_network)
        asio::use_service<transport::DeliveryLane>(net.first()).before_each_step([inbox = link.inbox.get()] {
            inbox->run_pending();
        });
    // Sessions still alive at the end refer to the hub and the link: they go first, with the
    // network's contexts. The core's inbox stops listening before its context goes.
    ScopeExit close_network([&] {
        link.inbox->close();
        net.close();
    });

    // Listeners and their sessions keep references to these: they live as long as the server.
    transport::TransportConfig main_transport = config.transport;
    main_transport.serve_metrics = !config.metrics_listen;
    transport::TransportConfig metrics_transport = config.transport;
    metrics_transport.serve_websocket = false;
    metrics_transport.tls = nullptr;  // an internal address for the scraper, plain HTTP
    std::shared_ptr<transport::Listener> listener;
    std::shared_ptr<transport::Listener> metrics_listener;
    try {
        boost::system::error_code ec;
        auto address = asio::ip::make_address(config.listen.host, ec);
        if (ec) {
            std::cerr << "vraagbaak-server: --listen: '" << config.listen.host
                      << "' is not an IP address\n";
            return 2;
        }
        listener = std::make_shared<transport::Listener>(
            net, asio::ip::tcp::endpoint(address, config.listen.port), link, main_transport);
        if (config.metrics_listen) {
            auto metrics_address = asio::ip::make_address(config.metrics_listen->host, ec);
            if (ec) {
                std::cerr << "vraagbaak-server: --metrics-listen: '" << config.metrics_listen->host
                          << "' is not an IP address\n";
                return 2;
            }
            metrics_listener = std::make_shared<transport::Listener>(
                net, asio::ip::tcp::endpoint(metrics_address, config.metrics_listen->port), link, metrics_transport);
        }
    } catch (const boost::system::system_error& e) {
        std::cerr << "vraagbaak-server: cannot listen on " << config.listen.host << ":"
                  << config.listen.port << ": " << e.code().message() << "\n";
        return 2;
    }
    auto bound = listener->local_endpoint();
    std::string host = bound.address().is_v6() ? "[" + bound.address().to_string() + "]"
                                               : bound.address().to_string();
    // The first line on stdout, always: scripts and tests read the port from it.
    const std::string url = (config.transport.tls ? "wss://" : "ws://") + host + ":" + std::to_string(bound.port()) + "/ws";
    std::cout << "listening on " << url << std::endl;
    if (!seeded.empty()) print_tryout(std::cout, seeded, url);

    listener->start();
    if (metrics_listener) {
        auto at = metrics_listener->local_endpoint();
        std::cout << "metrics on http://" << at.address().to_string() << ":" << at.port() << "/metrics" << std::endl;
        metrics_listener->start();
    }
    log::info("app", "started", {{"db", config.db_path}, {"threads", threads},
                                 {"core", core_on_network ? "on the network thread" : "own thread"},
                                 {"writes", send_rings ? "io_uring" : "sendmsg"}});

    // Set on the core thread when shutdown begins. Cancelling a timer does not reach a completion
    // that is already queued, so the timers' handlers check this before re-arming; otherwise a
    // tick that fired just before the cancel keeps the core thread alive for ever.
    bool core_stopping = false;

    // Retention runs on the core thread, between requests.
    asio::steady_timer retention_timer(core_ioc);
    std::function<void()> schedule_retention = [&] {
        retention_timer.expires_after(std::chrono::seconds(config.retention_interval_s));
        retention_timer.async_wait([&](boost::system::error_code ec) {
            if (ec || core_stopping) return;
            try {
                hub.settle();  // retention's writes must not join an open commit group
                core::run_retention(*store, core::system_clock_ms());
                hub.forget_shared_reads();  // what retention deleted must not be served from them
            } catch (const std::exception& e) {
                log::error("app", "retention failed", {{"error", e.what()}});
            }
            schedule_retention();
        });
    };
    asio::post(core_ioc, schedule_retention);

    // The clocks of running sessions (warnings, automatic phase changes), on the core thread.
    asio::steady_timer session_timer(core_ioc);
    std::function<void()> schedule_sessions = [&] {
        session_timer.expires_after(std::chrono::milliseconds(200));
        session_timer.async_wait([&](boost::system::error_code ec) {
            if (ec || core_stopping) return;
            hub.tick();
            schedule_sessions();
        });
    };
    asio::post(core_ioc, schedule_sessions);

    asio::steady_timer drain_timer(net.first());
    asio::signal_set signals(net.first(), SIGINT, SIGTERM);
    signals.async_wait([&](boost::system::error_code ec, int signal) {
        if (ec) return;
        log::info("app", "shutting down", {{"signal", signal}});
        link.shutting_down = true;
        listener->stop();
        if (metrics_listener) metrics_listener->stop();
        asio::post(core_ioc, [&hub, &retention_timer, &session_timer, &core_stopping] {
            core_stopping = true;
            retention_timer.cancel();
            session_timer.cancel();
            hub.close_all(core::CloseCode::going_away, "server shutting down");
        });
        drain_then_stop(drain_timer, link, net, std::chrono::steady_clock::now() + kShutdownGrace);
    });

    std::thread core_thread;
    if (!core_on_network) core_thread = std::thread([&core_ioc] { core_ioc.run(); });
    net.run();

    // The network is quiet; let the core finish what was posted to it, then stop.
    hash_pool.join();
    asio::post(core_ioc, [&link] { link.inbox->close(); });
    core_work.reset();
    if (core_on_network) {
        core_ioc.restart();  // stopped with the network
        core_ioc.poll();
    } else {
        core_thread.join();
    }
    store.reset();  // closes the database (and checkpoints the WAL) before we report done
    log::info("app", "stopped");
    return 0;
}

}  // namespace vraagbaak::app
