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

// ,"key":value — every member but an object's first.
void next_int(std::string& out, std::string_view key, std::int64_t v) {
    out += ',';
    write_key(out, key);
    write_int(out, v);
}

void next_string(std::string& out, std::string_view key, std::string_view v) {
    out += ',';
    write_key(out, key);
    write_json_string(out, v);
}

void write_author_json(std::string& out, const Author& a) {
    // Every member but account_id is written with a leading comma; without account_id the
    // first of them is the object's first member and loses its comma at the end.
    const std::size_t first = out.size() + 1;
    out += '{';
    if (a.account_id) {
        write_key(out, "account_id");
        write_int(out, *a.account_id);
    }
    if (!a.display_name.empty()) next_string(out, "display_name", a.display_name);
    if (!a.handle.empty()) next_string(out, "handle", a.handle);
    next_string(out, "level", to_string(a.level));
    if (a.organisation) {
        out += ',';
        write_key(out, "organisation");
        out += '{';
        write_key(out, "code");
        write_json_string(out, a.organisation->code);
        next_int(out, "id", a.organisation->id);
        next_string(out, "name", a.organisation->name);
        out += '}';
    }
    if (!a.pseudonym.empty()) next_string(out, "pseudonym", a.pseudonym);
    out += '}';
    if (out[first] == ',') out.erase(first, 1);
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
    next_string(out, "body", m.body);
    if (m.helpful) out += ",\"helpful\":true";
    if (m.hidden) {
        out += ",\"hidden\":true";
        next_string(out, "hidden_reason", m.hidden_reason);
    }
    next_int(out, "id", m.id);
    if (!m.kind.empty()) next_string(out, "kind", m.kind);
    if (m.own) out += ",\"own\":true";
    next_int(out, "room_id", m.room_id);
    next_int(out, "seq", m.seq);
    next_int(out, "thread_id", m.thread_id);
    next_int(out, "ts_ms", m.ts_ms);
    out += '}';
}

std::string message_event_json(const MessagePosted& e) {
    std::string out;
    out.reserve(256 + e.message.body.size());
    out += R"({"event":"message","message":)";
    write_message_json(out, e.message);
    next_int(out, "room_id", e.message.room_id);
    out += '}';
    return out;
}

namespace {

// {"has_more":...,"messages":[ ... ],"room_id":N} around what `write_messages` writes.
template <class WriteMessages>
std::string history_result(RoomId room_id, bool has_more, std::size_t size, WriteMessages&& write_messages) {
    std::string out;
    out.reserve(size);
    out += R"({"has_more":)";
    out += has_more ? "true" : "false";
    out += R"(,"messages":[)";
    write_messages(out);
    out += ']';
    next_int(out, "room_id", room_id);
    out += '}';
    return out;
}

}  // namespace

std::string history_result_json(const HistoryReply& r) {
    std::size_t size = 64;
    for (const auto& m : r.messages) size += 256 + m.body.size();
    return history_result(r.room_id, r.has_more, size, [&](std::string& out) {
        for (std::size_t i = 0; i < r.messages.size(); ++i) {
            if (i > 0) out += ',';
            write_message_json(out, r.messages[i]);
        }
    });
}

std::string history_result_json_of(RoomId room_id, bool has_more, const std::vector<std::string>& messages,
                                   std::size_t size) {
    return history_result(room_id, has_more, size, [&](std::string& out) {
        for (std::size_t i = 0; i < messages.size(); ++i) {
            if (i > 0) out += ',';
            out += messages[i];
        }
    });
}

std::string post_result_json(const PostReply& r) {
    std::string out;
    out.reserve(112);
    out += '{';
    if (r.duplicate) out += "\"duplicate\":true,";
    write_key(out, "message_id");
    write_int(out, r.message_id);
    if (r.redacted) out += ",\"redacted\":true";
    next_int(out, "room_id", r.room_id);
    if (r.sealed) out += ",\"sealed\":true";
    next_int(out, "seq", r.seq);
    next_int(out, "ts_ms", r.ts_ms);
    out += '}';
    return out;
}

}  // namespace vraagbaak::protocol::detail
