#include "support/log.hpp"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <nlohmann/json.hpp>

namespace vraagbaak::log {
namespace {

std::atomic<Level> g_level{Level::info};
std::atomic<bool> g_json{false};

RepeatLimiter g_repeats(10, std::chrono::minutes(1));

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

bool RepeatLimiter::admit(const std::string& key, std::chrono::steady_clock::time_point now, int& suppressed) {
    std::lock_guard lock(mutex_);
    if (windows_.size() > 1000) windows_.clear();  // bounded, whatever the keys
    auto [it, fresh] = windows_.try_emplace(key, Window{now, 0, 0});
    Window& w = it->second;
    suppressed = 0;
    if (!fresh && now - w.start >= window_) {
        suppressed = w.suppressed;  // told with the first line of the new window
        w = Window{now, 0, 0};
    }
    if (w.written >= limit_) {
        ++w.suppressed;
        return false;
    }
    ++w.written;
    return true;
}

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
void set_json(bool json) {
    g_json.store(json, std::memory_order_relaxed);
    logger()->set_pattern(json ? "%v" : "%Y-%m-%dT%H:%M:%S.%eZ %^%l%$ %v", spdlog::pattern_time_type::utc);
}

bool enabled(Level level) {
    auto current = g_level.load(std::memory_order_relaxed);
    return current != Level::off && level >= current;
}

void write(Level level, std::string_view subsystem, std::string_view message,
           std::initializer_list<Field> fields) {
    int suppressed = 0;
    if (level >= Level::warn &&
        !g_repeats.admit(std::string(subsystem) + "\x1f" + std::string(message), std::chrono::steady_clock::now(),
                         suppressed))
        return;
    if (g_json.load(std::memory_order_relaxed)) {
        using clock = std::chrono::system_clock;
        const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(clock::now().time_since_epoch()).count();
        nlohmann::json j = {{"ts_ms", ms}, {"level", spdlog::level::to_string_view(to_spdlog(level)).data()},
                            {"subsystem", subsystem}, {"message", message}};
        for (const auto& f : fields) j[std::string(f.key)] = f.value;
        if (suppressed > 0) j["suppressed_repeats"] = suppressed;
        logger()->log(to_spdlog(level), "{}", j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
        return;
    }
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
    if (suppressed > 0) line.append(" suppressed_repeats=").append(std::to_string(suppressed));
    logger()->log(to_spdlog(level), "{}", line);
}

}  // namespace vraagbaak::log
