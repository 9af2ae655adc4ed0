#pragma once
// The server's configuration: one plain struct, filled from the command line, checked once at
// start. Every field has a working default.

#include <cstdint>
#include <optional>
#include <string>

#include "core/hub.hpp"
#include "support/log.hpp"
#include "transport/transport_config.hpp"

namespace vraagbaak::app {

struct Endpoint {
    std::string host;
    std::uint16_t port = 0;
};

struct ServerConfig {
    Endpoint listen{"127.0.0.1", 8080};
    std::string db_path = "vraagbaak.db";
    log::Level log_level = log::Level::info;
    int io_threads = 0;  // 0: one per core
    bool io_uring = true;  // a fan-out's writes in one system call per step, where the kernel allows
    bool tryout = false;
    int retention_interval_s = 3600;  // how often closed cases past their retention are deleted
    std::optional<Endpoint> metrics_listen;  // /metrics on an address of its own
    int db_busy_timeout_ms = 5000;  // how long a write waits for another writer before failing
    std::int64_t db_max_pages = 0;  // a cap on the database's size in pages; 0: none
    transport::TransportConfig transport;
    core::HubConfig hub;
};

// Parses "HOST:PORT", "[V6]:PORT" or ":PORT". nullopt when malformed.
std::optional<Endpoint> parse_endpoint(const std::string& text);

}  // namespace vraagbaak::app
