#pragma once
// A thin logging facade: levels, a subsystem tag, key=value fields. The implementation (spdlog)
// stays in log.cpp so no other file pays for its headers. Message bodies and passwords are never
// passed here.

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

namespace vraagbaak::log {

enum class Level { trace, debug, info, warn, error, off };

std::optional<Level> parse_level(std::string_view name);
void set_level(Level level);
// One JSON object per line (for log shippers) instead of "[subsystem] message key=value".
void set_json(bool json);
bool enabled(Level level);

struct Field {
    Field(std::string_view k, std::string_view v) : key(k), value(v) {}
    Field(std::string_view k, const char* v) : key(k), value(v) {}
    Field(std::string_view k, const std::string& v) : key(k), value(v) {}
    template <typename Int, typename = std::enable_if_t<std::is_integral_v<Int>>>
    Field(std::string_view k, Int v) : key(k), value(std::to_string(v)) {}
    std::string_view key;
    std::string value;
};

// Holds back repeats of one line beyond `limit` per `window`; says how many it held back.
class RepeatLimiter {
public:
    RepeatLimiter(int limit, std::chrono::steady_clock::duration window) : limit_(limit), window_(window) {}
    // True: write it; `suppressed` is then how many of this key were held back before.
    bool admit(const std::string& key, std::chrono::steady_clock::time_point now, int& suppressed);

private:
    struct Window {
        std::chrono::steady_clock::time_point start;
        int written = 0;
        int suppressed = 0;
    };
    int limit_;
    std::chrono::steady_clock::duration window_;
    std::mutex mutex_;
    std::map<std::string, Window> windows_;
};

// Repeats are rate limited: the same subsystem and message at warn level or above is written at
// most 10 times a minute; the next line that gets through says how many were suppressed.
void write(Level level, std::string_view subsystem, std::string_view message,
           std::initializer_list<Field> fields = {});

inline void debug(std::string_view sub, std::string_view msg, std::initializer_list<Field> f = {}) {
    if (enabled(Level::debug)) write(Level::debug, sub, msg, f);
}
inline void info(std::string_view sub, std::string_view msg, std::initializer_list<Field> f = {}) {
    if (enabled(Level::info)) write(Level::info, sub, msg, f);
}
inline void warn(std::string_view sub, std::string_view msg, std::initializer_list<Field> f = {}) {
    if (enabled(Level::warn)) write(Level::warn, sub, msg, f);
}
inline void error(std::string_view sub, std::string_view msg, std::initializer_list<Field> f = {}) {
    if (enabled(Level::error)) write(Level::error, sub, msg, f);
}

}  // namespace vraagbaak::log
