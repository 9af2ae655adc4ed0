#include "render.hpp"

#include <ctime>

#include "vraagbaak/protocol/text.hpp"

namespace vraagbaak::client {

std::string sanitize(std::string_view text, bool one_line) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        auto c = static_cast<unsigned char>(text[i]);
        if (c == '\n') {
            out.append(one_line ? "\\n" : "\n    ");
        } else if (c == '\t') {
            out.push_back(' ');
        } else if (c < 0x20 || c == 0x7F) {
            continue;
        } else if (c == 0xC2 && i + 1 < text.size() &&
                   static_cast<unsigned char>(text[i + 1]) >= 0x80 &&
                   static_cast<unsigned char>(text[i + 1]) <= 0x9F) {
            ++i;  // a C1 control character
        } else {
            out.push_back(static_cast<char>(c));
        }
    }
    return out;
}

std::string format_time(protocol::TimestampMs ts) {
    std::time_t seconds = static_cast<std::time_t>(ts / 1000);
    std::tm local{};
    localtime_r(&seconds, &local);
    char buf[16];
    std::strftime(buf, sizeof buf, "%H:%M:%S", &local);
    return buf;
}

namespace {

std::string pseudonym(Lang lang, const std::string& p) {
    if (p == "asker") return tr(lang, "pseudonym.asker");
    if (p.rfind("colleague ", 0) == 0) return tr(lang, "pseudonym.colleague", {p.substr(10)});
    return sanitize(p, true);
}

}  // namespace

std::string render_author(Lang lang, const protocol::Author& a, bool own) {
    using protocol::Anonymity;
    std::string named = sanitize(a.display_name, true) + " (@" + sanitize(a.handle, true);
    if (a.organisation) named += ", " + sanitize(a.organisation->code, true);
    named += ")";
    if (a.level == Anonymity::named) return named;
    std::string shown = pseudonym(lang, a.pseudonym);
    if (a.level == Anonymity::organisation && a.organisation)
        shown += " (" + sanitize(a.organisation->name, true) + ")";
    if (own) return tr(lang, "own_hidden_post", {named, shown});
    return shown;
}

std::string render_message(Lang lang, const protocol::Message& m, std::string_view room_name,
                           bool one_line) {
    std::string line = "[";
    line.append(sanitize(room_name, true)).append(" #").append(std::to_string(m.seq));
    line.append(" ").append(format_time(m.ts_ms));
    line.append(" msg ").append(std::to_string(m.id));
    if (m.thread_id != m.id) line.append(" → ").append(std::to_string(m.thread_id));
    line.append("] ");
    line.append(render_author(lang, m.author, m.own));
    if (!m.kind.empty()) line.append(" [").append(tr(lang, "kind." + m.kind)).append("]");
    if (m.helpful) line.append(" ★");
    line.append(": ");
    if (m.hidden) {
        line.append(tr(lang, "hidden_tombstone", {sanitize(m.hidden_reason, true)}));
        if (!m.body.empty()) line.append(" ");
    }
    line.append(sanitize(m.body, one_line));
    return line;
}

std::string render_member_event(Lang lang, std::string_view key, std::string_view room_name,
                                const protocol::Member& member) {
    return "[" + sanitize(room_name, true) + "] " +
           tr(lang, key, {sanitize(member.display_name, true), sanitize(member.handle, true)});
}

std::string render_room_settings(Lang lang, const protocol::Room& room) {
    std::string parts;
    auto add = [&](const std::string& part) { parts += parts.empty() ? part : ", " + part; };
    if (room.archived) add(tr(lang, "setting.archived"));
    if (room.locked) add(tr(lang, "setting.locked"));
    if (room.slow_mode_s > 0) add(tr(lang, "setting.slow", {std::to_string(room.slow_mode_s)}));
    if (!room.pinned.empty()) {
        std::string ids;
        for (auto id : room.pinned) ids += (ids.empty() ? "" : ", ") + std::to_string(id);
        add(tr(lang, "setting.pinned", {ids}));
    }
    if (parts.empty()) add(tr(lang, "setting.open"));
    return tr(lang, "room_settings", {sanitize(room.name, true), parts});
}

std::string mark_findings(std::string_view text, const std::vector<protocol::PersonalDataFinding>& findings,
                          std::string_view field) {
    std::string out;
    std::int64_t cp = 0;
    for (std::size_t i = 0; i < text.size(); ++cp) {
        for (const auto& f : findings)
            if (f.field == field && f.start == cp) out += "\u00bb";
        const std::size_t len = protocol::utf8_sequence_length(static_cast<unsigned char>(text[i]));
        out.append(text.substr(i, len));
        i += len;
        for (const auto& f : findings)
            if (f.field == field && f.end == cp + 1) out += "\u00ab";
    }
    return sanitize(out, true);
}

std::string describe_findings(Lang lang, const std::vector<protocol::PersonalDataFinding>& findings) {
    std::string out;
    for (const auto& f : findings) {
        if (!out.empty()) out += ", ";
        out += tr(lang, "pii." + f.kind) + " (" + std::to_string(f.start + 1) + "\u2013" + std::to_string(f.end) + ")";
    }
    return out;
}

}  // namespace vraagbaak::client
