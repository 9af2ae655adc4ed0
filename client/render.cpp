#include "render.hpp"

#include <ctime>

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

std::string render_message(const protocol::Message& m, std::string_view room_name, bool one_line) {
    std::string line = "[";
    line.append(sanitize(room_name, true)).append(" #").append(std::to_string(m.seq));
    line.append(" ").append(format_time(m.ts_ms)).append("] ");
    line.append(sanitize(m.author.display_name, true)).append(" (@");
    line.append(sanitize(m.author.handle, true)).append("): ");
    line.append(sanitize(m.body, one_line));
    return line;
}

std::string render_member_event(Lang lang, std::string_view key, std::string_view room_name,
                                const protocol::Member& member) {
    return "[" + sanitize(room_name, true) + "] " +
           tr(lang, key, {sanitize(member.display_name, true), sanitize(member.handle, true)});
}

}  // namespace vraagbaak::client
