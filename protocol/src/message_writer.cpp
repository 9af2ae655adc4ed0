#include "message_writer.hpp"

#include <charconv>

#include "json_reader.hpp"

namespace vraagbaak::protocol::detail {

namespace {

void write_int(std::string& out, std::int64_t v) {
    char buf[24];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
    (void)ec;  // 24 characters hold every int64
    out.append(buf, end);
}

void write_key(std::string& out, std::string_view key) {
    out += '"';
    out += key;  // the keys below need no escaping
    out += "\":";
}

void write_author_json(std::string& out, const Author& a) {
    out += '{';
    if (a.account_id) {
        write_key(out, "account_id");
        write_int(out, *a.account_id);
        out += ',';
    }
    if (!a.display_name.empty()) {
        write_key(out, "display_name");
        write_json_string(out, a.display_name);
        out += ',';
    }
    if (!a.handle.empty()) {
        write_key(out, "handle");
        write_json_string(out, a.handle);
        out += ',';
    }
    write_key(out, "level");
    write_json_string(out, to_string(a.level));
    if (a.organisation) {
        out += ',';
        write_key(out, "organisation");
        out += '{';
        write_key(out, "code");
        write_json_string(out, a.organisation->code);
        out += ',';
        write_key(out, "id");
        write_int(out, a.organisation->id);
        out += ',';
        write_key(out, "name");
        write_json_string(out, a.organisation->name);
        out += '}';
    }
    if (!a.pseudonym.empty()) {
        out += ',';
        write_key(out, "pseudonym");
        write_json_string(out, a.pseudonym);
    }
    out += '}';
}

}  // namespace

void write_json_string(std::string& out, std::string_view s) {
    // Printable ASCII without quote or backslash is written as it is; anything else (escapes,
    // UTF-8, bytes that are not UTF-8 and get replaced) the JSON library writes, so the rules
    // stay in one place.
    for (unsigned char c : s) {
        if (c < 0x20 || c >= 0x80 || c == '"' || c == '\\') {
            out += dump(nlohmann::json(s));
            return;
        }
    }
    out += '"';
    out += s;
    out += '"';
}

// The keys in the order the JSON library writes them (sorted), and only those that to_json
// writes for this message.
void write_message_json(std::string& out, const Message& m) {
    out += '{';
    write_key(out, "author");
    write_author_json(out, m.author);
    out += ',';
    write_key(out, "body");
    write_json_string(out, m.body);
    if (m.helpful) out += ",\"helpful\":true";
    if (m.hidden) {
        out += ",\"hidden\":true,";
        write_key(out, "hidden_reason");
        write_json_string(out, m.hidden_reason);
    }
    out += ',';
    write_key(out, "id");
    write_int(out, m.id);
    if (!m.kind.empty()) {
        out += ',';
        write_key(out, "kind");
        write_json_string(out, m.kind);
    }
    if (m.own) out += ",\"own\":true";
    out += ',';
    write_key(out, "room_id");
    write_int(out, m.room_id);
    out += ',';
    write_key(out, "seq");
    write_int(out, m.seq);
    out += ',';
    write_key(out, "thread_id");
    write_int(out, m.thread_id);
    out += ',';
    write_key(out, "ts_ms");
    write_int(out, m.ts_ms);
    out += '}';
}

std::string message_event_json(const MessagePosted& e) {
    std::string out;
    out.reserve(256 + e.message.body.size());
    out += R"({"event":"message","message":)";
    write_message_json(out, e.message);
    out += ',';
    write_key(out, "room_id");
    write_int(out, e.message.room_id);
    out += '}';
    return out;
}

std::string history_result_json(const HistoryReply& r) {
    std::string out;
    std::size_t size = 64;
    for (const auto& m : r.messages) size += 256 + m.body.size();
    out.reserve(size);
    out += R"({"has_more":)";
    out += r.has_more ? "true" : "false";
    out += R"(,"messages":[)";
    for (std::size_t i = 0; i < r.messages.size(); ++i) {
        if (i > 0) out += ',';
        write_message_json(out, r.messages[i]);
    }
    out += "],";
    write_key(out, "room_id");
    write_int(out, r.room_id);
    out += '}';
    return out;
}

}  // namespace vraagbaak::protocol::detail
