#include "support/log.hpp"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <atomic>

namespace vraagbaak::log {
namespace {

std::atomic<Level> g_level{Level::info};

std::shared_ptr<spdlog::logger> logger() {
    // stderr only: stdout belongs to the program's own output (the listening line, admin
    // command results), which scripts parse.
    static auto instance = [] {
        auto l = spdlog::stderr_color_mt("vraagbaak");
        l->set_pattern("%Y-%m-%dT%H:%M:%S.%eZ %^%l%$ %v", spdlog::pattern_time_type::utc);
        l->set_level(spdlog::level::trace);  // filtering happens in enabled()
        return l;
    }();
    return instance;
}

spdlog::level::level_enum to_spdlog(Level level) {
    switch (level) {
        case Level::trace: return spdlog::level::trace;
        case Level::debug: return spdlog::level::debug;
        case Level::info: return spdlog::level::info;
        case Level::warn: return spdlog::level::warn;
        case Level::error: return spdlog::level::err;
        case Level::off: return spdlog::level::off;
    }
    return spdlog::level::info;
}

bool needs_quotes(std::string_view v) {
    if (v.empty()) return true;
    for (char c : v)
        if (c == ' ' || c == '"' || c == '=' || static_cast<unsigned char>(c) < 0x20) return true;
    return false;
}

}  // namespace

std::optional<Level> parse_level(std::string_view name) {
    if (name == "trace") return Level::trace;
    if (name == "debug") return Level::debug;
    if (name == "info") return Level::info;
    if (name == "warn" || name == "warning") return Level::warn;
    if (name == "error") return Level::error;
    if (name == "off") return Level::off;
    return std::nullopt;
}

void set_level(Level level) { g_level.store(level, std::memory_order_relaxed); }

bool enabled(Level level) {
    auto current = g_level.load(std::memory_order_relaxed);
    return current != Level::off && level >= current;
}

void write(Level level, std::string_view subsystem, std::string_view message,
           std::initializer_list<Field> fields) {
    std::string line;
    line.reserve(64 + message.size());
    line.append("[").append(subsystem).append("] ").append(message);
    for (const auto& f : fields) {
        line.append(" ").append(f.key).append("=");
        if (!needs_quotes(f.value)) {
            line.append(f.value);
            continue;
        }
        line.push_back('"');
        for (char c : f.value) {
            if (c == '"' || c == '\\') line.push_back('\\');
            line.push_back(static_cast<unsigned char>(c) < 0x20 ? ' ' : c);
        }
        line.push_back('"');
    }
    logger()->log(to_spdlog(level), "{}", line);
}

}  // namespace vraagbaak::log
