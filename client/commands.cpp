#include "commands.hpp"

#include <charconv>
#include <sstream>
#include <vector>

namespace vraagbaak::client {
namespace {

std::string trim(const std::string& s) {
    auto b = s.find_first_not_of(" \t\r\n");
    if (b == std::string::npos) return {};
    auto e = s.find_last_not_of(" \t\r\n");
    return s.substr(b, e - b + 1);
}

// Splits off the first word; the rest keeps its inner spacing.
std::pair<std::string, std::string> split_word(const std::string& s) {
    auto t = trim(s);
    auto sp = t.find_first_of(" \t");
    if (sp == std::string::npos) return {t, {}};
    return {t.substr(0, sp), trim(t.substr(sp + 1))};
}

std::optional<long long> to_number(const std::string& s) {
    long long v = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc{} || end != s.data() + s.size()) return std::nullopt;
    return v;
}

using Parsed = std::variant<Command, ParseError>;

Parsed parse_history(const std::string& args) {
    CmdHistory h;
    std::istringstream in(args);
    std::string word;
    while (in >> word) {
        if (word.rfind("before=", 0) == 0) {
            h.before = to_number(word.substr(7));
            if (!h.before) return ParseError{"usage.history", word};
        } else if (word.rfind("after=", 0) == 0) {
            h.after = to_number(word.substr(6));
            if (!h.after) return ParseError{"usage.history", word};
        } else if (auto n = to_number(word)) {
            if (*n < 1 || *n > 200) return ParseError{"usage.history", word};
            h.limit = static_cast<int>(*n);
        } else if (h.room.empty()) {
            h.room = word;
        } else {
            return ParseError{"usage.history", word};
        }
    }
    return h;
}

}  // namespace

std::optional<Parsed> parse_command(const std::string& raw) {
    std::string line = trim(raw);
    if (line.empty()) return std::nullopt;
    if (line.front() != '/') return Parsed{CmdSay{{}, line}};
    if (line.rfind("//", 0) == 0) return Parsed{CmdSay{{}, line.substr(1)}};  // "//x" says "/x"

    auto [cmd, args] = split_word(line.substr(1));
    if (cmd == "help" || cmd == "h" || cmd == "?") return Parsed{CmdHelp{}};
    if (cmd == "quit" || cmd == "q" || cmd == "exit") return Parsed{CmdQuit{}};
    if (cmd == "rooms" || cmd == "kamers") return Parsed{CmdRooms{}};
    if (cmd == "create") {
        auto [name, topic] = split_word(args);
        if (name.empty()) return Parsed{ParseError{"usage.create", {}}};
        return Parsed{CmdCreate{name, topic}};
    }
    if (cmd == "join") {
        if (args.empty()) return Parsed{ParseError{"usage.join", {}}};
        return Parsed{CmdJoin{args}};
    }
    if (cmd == "leave") return Parsed{CmdLeave{args}};
    if (cmd == "room") {
        if (args.empty()) return Parsed{ParseError{"usage.room", {}}};
        return Parsed{CmdSwitch{args}};
    }
    if (cmd == "say") {
        if (args.empty()) return Parsed{ParseError{"usage.say", {}}};
        return Parsed{CmdSay{{}, args}};
    }
    if (cmd == "post") {
        auto [room, text] = split_word(args);
        if (room.empty() || text.empty()) return Parsed{ParseError{"usage.post", {}}};
        return Parsed{CmdSay{room, text}};
    }
    if (cmd == "history") return Parsed{parse_history(args)};
    return Parsed{ParseError{"unknown_command", cmd}};
}

}  // namespace vraagbaak::client
