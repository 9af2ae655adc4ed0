#include "commands.hpp"

#include <charconv>
#include <ctime>
#include <sstream>
#include <vector>

#include "vraagbaak/protocol/wire_types.hpp"

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

std::optional<long long> positive(const std::string& s) {
    auto n = to_number(s);
    if (!n || *n < 1) return std::nullopt;
    return n;
}

}  // namespace

std::optional<long long> parse_duration(const std::string& text) {
    if (text.empty()) return std::nullopt;
    long long unit = 60;
    std::string digits = text;
    switch (text.back()) {
        case 's': unit = 1; digits.pop_back(); break;
        case 'm': unit = 60; digits.pop_back(); break;
        case 'h': unit = 3600; digits.pop_back(); break;
        case 'd': unit = 86400; digits.pop_back(); break;
        default: break;
    }
    auto n = positive(digits);
    if (!n || *n > 366LL * 86400 / unit) return std::nullopt;
    return *n * unit;
}

std::optional<long long> resolve_start(const std::string& when, long long now_ms) {
    if (when == "now") return now_ms;
    if (!when.empty() && when.front() == '+') {
        auto seconds = parse_duration(when.substr(1));
        if (!seconds) return std::nullopt;
        return now_ms + *seconds * 1000;
    }
    if (when.size() != 5 || when[2] != ':') return std::nullopt;
    auto hh = to_number(when.substr(0, 2)), mm = to_number(when.substr(3, 2));
    if (!hh || !mm || *hh < 0 || *hh > 23 || *mm < 0 || *mm > 59) return std::nullopt;
    std::time_t now = static_cast<std::time_t>(now_ms / 1000);
    std::tm local{};
    localtime_r(&now, &local);
    local.tm_hour = static_cast<int>(*hh);
    local.tm_min = static_cast<int>(*mm);
    local.tm_sec = 0;
    long long at = static_cast<long long>(std::mktime(&local)) * 1000;
    if (at < now_ms) at += 24LL * 3600 * 1000;  // that time has passed today: tomorrow
    return at;
}

namespace {
// "[CATEGORY] REASON": the first word when it is a moderation category, else "other".
std::pair<std::string, std::string> split_category(const std::string& text) {
    auto [first, rest] = split_word(text);
    if (vraagbaak::protocol::is_moderation_category(first)) return {first, rest};
    return {"other", text};
}
}  // namespace

namespace {

// The network-meeting commands; nullopt when `cmd` is none of them.
// Built in place: GCC 12 warns falsely about copies of this large variant.
template <typename T>
std::optional<Parsed> command(T cmd) {
    return std::optional<Parsed>(std::in_place, std::in_place_type<Command>, std::move(cmd));
}
std::optional<Parsed> usage(std::string key, std::string detail = {}) {
    return std::optional<Parsed>(std::in_place, std::in_place_type<ParseError>, ParseError{std::move(key), std::move(detail)});
}

std::optional<Parsed> parse_session_command(const std::string& cmd, const std::string& args) {
    // An optional session id: `ok` false when the text is there but no id.
    bool ok = true;
    auto optional_id = [&ok](const std::string& text) -> std::optional<long long> {
        if (text.empty()) return std::nullopt;
        auto n = positive(text);
        ok = n.has_value();
        return n;
    };
    if (cmd == "sessions") return command(CmdSessions{args == "all"});
    if (cmd == "session") {
        auto id = optional_id(args);
        if (!ok) return usage("usage.session", args);
        return command(CmdShowSession{id});
    }
    if (cmd == "attendance") {
        auto id = optional_id(args);
        if (!ok) return usage("usage.attendance", args);
        return command(CmdAttendance{id});
    }
    if (cmd == "schedule") {
        CmdSchedule s;
        std::istringstream in(args);
        std::string cases, word;
        if (!(in >> s.method >> s.when >> word >> cases)) return usage("usage.schedule", {});
        auto minutes = positive(word);
        if (!minutes || *minutes > 480 || !resolve_start(s.when, 0)) return usage("usage.schedule", {});
        s.minutes = *minutes;
        std::istringstream list(cases);
        for (std::string id; std::getline(list, id, ',');) {
            auto n = positive(id);
            if (!n) return usage("usage.schedule", id);
            s.case_ids.push_back(*n);
        }
        while (in >> word) {
            if (word == "--auto") s.auto_advance = true;
            else if (word == "--follow-up") s.follow_up = true;
            else s.title += (s.title.empty() ? "" : " ") + word;
        }
        if (s.title.empty() || s.case_ids.empty()) return usage("usage.schedule", {});
        return command(std::move(s));
    }
    if (cmd == "signup") {
        auto [id, rest] = split_word(args);
        auto n = positive(id);
        if (!n || (!rest.empty() && rest != "off")) return usage("usage.signup", {});
        return command(CmdSignUp{*n, rest == "off"});
    }
    if (cmd == "start" || cmd == "next" || cmd == "prev" || cmd == "end") {
        auto id = optional_id(args);
        if (!ok || (cmd == "start" && !id)) return usage("usage.control", {});
        return command(CmdControl{cmd == "prev" ? "previous" : cmd, id, 0});
    }
    if (cmd == "extend") {
        auto [duration, rest] = split_word(args);
        auto seconds = parse_duration(duration);
        auto id = optional_id(rest);
        if (!seconds || *seconds > 3600 || !ok) return usage("usage.extend", {});
        return command(CmdControl{"extend", id, *seconds});
    }
    if (cmd == "allow") {
        if (args.empty() || args.find(' ') != std::string::npos) return usage("usage.allow", {});
        if (auto n = positive(args)) return command(CmdAllow{{}, *n});
        return command(CmdAllow{args, std::nullopt});
    }
    if (cmd == "summary") {
        std::istringstream in(args);
        std::string session, kase, file;
        in >> session >> kase >> file;
        auto s = positive(session), c = positive(kase);
        if (!s || !c) return usage("usage.summary", {});
        return command(CmdSummary{*s, *c, file});
    }
    return std::nullopt;
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
    if (cmd == "level") {
        if (args != "named" && args != "organisation" && args != "anonymous")
            return Parsed{ParseError{"usage.level", {}}};
        return Parsed{CmdLevel{args}};
    }
    if (cmd == "reply" || cmd == "question" || cmd == "idea" || cmd == "advice" || cmd == "experience" ||
        cmd == "comment") {
        auto [id, text] = split_word(args);
        auto n = positive(id);
        if (!n || text.empty()) return Parsed{ParseError{"usage.reply", {}}};
        return Parsed{CmdReply{*n, text, cmd == "reply" ? std::string() : cmd}};
    }
    if (cmd == "cases") {
        CmdCases c;
        std::istringstream in(args);
        std::string word;
        while (in >> word) {
            if (word == "open" || word == "answered" || word == "closed") c.status = word;
            else if (word.rfind("tag=", 0) == 0) c.tag = word.substr(4);
            else if (word == "mine") c.mine = true;
            else if (word == "unanswered") c.unanswered = true;
            else if (word == "activity") c.by_activity = true;
            else return Parsed{ParseError{"usage.cases", word}};
        }
        // Tags have spaces ("werk en inkomen"): tag= takes the rest written with '_' for spaces.
        for (auto& ch : c.tag)
            if (ch == '_') ch = ' ';
        return Parsed{c};
    }
    if (cmd == "case") {
        auto n = positive(args);
        if (!n) return Parsed{ParseError{"usage.case", {}}};
        return Parsed{CmdCase{*n}};
    }
    if (cmd == "ask") {
        if (args.empty()) return Parsed{ParseError{"usage.ask", {}}};
        return Parsed{CmdAsk{args}};
    }
    if (cmd == "helpful" || cmd == "unhelpful") {
        auto n = positive(args);
        if (!n) return Parsed{ParseError{"usage.helpful", {}}};
        return Parsed{CmdHelpful{*n, cmd == "helpful"}};
    }
    if (cmd == "close") {
        auto [id, rest] = split_word(args);
        auto n = positive(id);
        auto bar = rest.find('|');
        if (!n || bar == std::string::npos) return Parsed{ParseError{"usage.close", {}}};
        auto outcome = trim(rest.substr(0, bar));
        auto reflection = trim(rest.substr(bar + 1));
        if (outcome.empty() || reflection.empty()) return Parsed{ParseError{"usage.close", {}}};
        return Parsed{CmdClose{*n, outcome, reflection}};
    }
    if (cmd == "reopen") {
        auto n = positive(args);
        if (!n) return Parsed{ParseError{"usage.reopen", {}}};
        return Parsed{CmdReopen{*n}};
    }
    if (cmd == "search") {
        if (args.empty()) return Parsed{ParseError{"usage.search", {}}};
        return Parsed{CmdSearch{args}};
    }
    if (cmd == "unread") return Parsed{CmdUnread{}};
    if (cmd == "read") return Parsed{CmdRead{}};
    if (cmd == "mute") {
        auto [id, rest] = split_word(args);
        auto [duration, reason] = split_word(rest);
        auto n = positive(id);
        auto seconds = parse_duration(duration);
        if (!n || !seconds || reason.empty()) return Parsed{ParseError{"usage.mute", {}}};
        return Parsed{CmdMute{*n, *seconds, reason}};
    }
    if (cmd == "hide") {
        auto [id, rest] = split_word(args);
        auto n = positive(id);
        auto [category, reason] = split_category(rest);
        if (!n || reason.empty()) return Parsed{ParseError{"usage.hide", {}}};
        return Parsed{CmdHide{*n, reason, category}};
    }
    if (cmd == "unhide" || cmd == "delete" || cmd == "kick" || cmd == "unmute" || cmd == "unban") {
        auto [id, reason] = split_word(args);
        auto n = positive(id);
        if (!n || reason.empty()) return Parsed{ParseError{"usage.moderate", cmd}};
        return Parsed{CmdModerate{cmd, *n, reason}};
    }
    if (cmd == "report") {
        auto [id, rest] = split_word(args);
        auto n = positive(id);
        auto [category, reason] = split_category(rest);
        if (!n || reason.empty()) return Parsed{ParseError{"usage.report", {}}};
        return Parsed{CmdReport{*n, category, reason}};
    }
    if (cmd == "queue") {
        if (!args.empty() && args != "open" && args != "claimed" && args != "resolved" && args != "dismissed")
            return Parsed{ParseError{"usage.queue", {}}};
        return Parsed{CmdQueue{args}};
    }
    if (cmd == "claim" || cmd == "resolve" || cmd == "dismiss") {
        auto [id, outcome] = split_word(args);
        auto n = positive(id);
        if (!n || (cmd != "claim" && outcome.empty())) return Parsed{ParseError{"usage.report_work", cmd}};
        return Parsed{CmdWorkReport{cmd, *n, outcome}};
    }
    if (cmd == "lock" || cmd == "unlock") return Parsed{CmdRoomSetting{cmd == "lock", std::nullopt, std::nullopt}};
    if (cmd == "archive" || cmd == "unarchive")
        return Parsed{CmdRoomSetting{std::nullopt, std::nullopt, cmd == "archive"}};
    if (cmd == "slow") {
        if (args == "off" || args == "0") return Parsed{CmdRoomSetting{std::nullopt, 0, std::nullopt}};
        auto seconds = parse_duration(args);
        if (!seconds || *seconds > 3600) return Parsed{ParseError{"usage.slow", {}}};
        return Parsed{CmdRoomSetting{std::nullopt, *seconds, std::nullopt}};
    }
    if (cmd == "pin" || cmd == "unpin") {
        auto n = positive(args);
        if (!n) return Parsed{ParseError{"usage.pin", {}}};
        return Parsed{CmdPin{*n, cmd == "pin"}};
    }
    if (cmd == "audit") {
        CmdAudit audit;
        std::istringstream in(args);
        std::string word;
        while (in >> word) {
            if (word == "all") audit.all = true;
            else if (auto n = positive(word); n && *n <= 200) audit.limit = static_cast<int>(*n);
            else return Parsed{ParseError{"usage.audit", {}}};
        }
        return Parsed{audit};
    }
    if (cmd == "role") {
        auto [handle, role] = split_word(args);
        if (handle.empty() || (role != "member" && role != "organiser" && role != "moderator" && role != "owner"))
            return Parsed{ParseError{"usage.role", {}}};
        return Parsed{CmdRole{handle, role}};
    }
    if (cmd == "ban") {
        auto [id, rest] = split_word(args);
        auto n = positive(id);
        if (!n) return Parsed{ParseError{"usage.ban", {}}};
        auto [first, after] = split_word(rest);
        CmdBan ban{*n, std::nullopt, rest};
        if (first != "forever") {
            if (auto seconds = parse_duration(first)) ban = CmdBan{*n, seconds, after};
        } else {
            ban.reason = after;
        }
        if (ban.reason.empty()) return Parsed{ParseError{"usage.ban", {}}};
        return Parsed{ban};
    }
    if (cmd == "reveal") {
        auto [id, reason] = split_word(args);
        auto n = positive(id);
        if (!n || reason.empty()) return Parsed{ParseError{"usage.reveal", {}}};
        return Parsed{CmdReveal{*n, reason}};
    }
    if (cmd == "approve") {
        auto n = positive(args);
        if (!n) return Parsed{ParseError{"usage.approve", {}}};
        return Parsed{CmdApprove{*n}};
    }
    if (cmd == "invite") {
        CmdInvite invite;
        auto [uses, hours] = split_word(args);
        if (!uses.empty()) {
            auto u = positive(uses);
            if (!u || *u > 1000) return Parsed{ParseError{"usage.invite", {}}};
            invite.uses = static_cast<int>(*u);
        }
        if (!hours.empty()) {
            auto h = positive(hours);
            if (!h || *h > 24 * 90) return Parsed{ParseError{"usage.invite", {}}};
            invite.hours = static_cast<int>(*h);
        }
        return Parsed{invite};
    }
    if (auto meeting = parse_session_command(cmd, args)) return *meeting;
    if (cmd == "logout") return Parsed{CmdLogout{}};
    if (cmd == "export") return Parsed{CmdExport{}};
    return Parsed{ParseError{"unknown_command", cmd}};
}

}  // namespace vraagbaak::client
