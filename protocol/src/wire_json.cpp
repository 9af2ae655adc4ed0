#include "wire_json.hpp"

#include "vraagbaak/protocol/limits.hpp"

namespace vraagbaak::protocol::detail {

TextRule handle_rule() { return {kMinHandleChars, kMaxHandleChars, false, true}; }
TextRule display_name_rule() { return {1, kMaxDisplayNameChars, false, true}; }
TextRule room_name_rule() { return {1, kMaxRoomNameChars, false, true}; }
TextRule topic_rule() { return {0, kMaxTopicChars, false, false}; }
TextRule body_rule() { return {1, kMaxBodyChars, true, true}; }

nlohmann::json to_json(const Member& m) {
    return {{"account_id", m.account_id}, {"handle", m.handle}, {"display_name", m.display_name}};
}

nlohmann::json to_json(const Room& r) {
    return {{"id", r.id},
            {"name", r.name},
            {"topic", r.topic},
            {"member_count", r.member_count},
            {"last_seq", r.last_seq},
            {"joined", r.joined}};
}

nlohmann::json to_json(const Message& m) {
    return {{"room_id", m.room_id}, {"seq", m.seq},   {"id", m.id},
            {"author", to_json(m.author)}, {"body", m.body}, {"ts_ms", m.ts_ms}};
}

nlohmann::json to_json(const ServerLimits& l) {
    return {{"max_frame_bytes", l.max_frame_bytes},
            {"max_body_chars", l.max_body_chars},
            {"max_history_limit", l.max_history_limit}};
}

namespace {

// Reads a nested object with its own reader and copies its first error into the parent.
template <typename Fn>
auto read_nested(const nlohmann::json* j, JsonReader& parent, std::string path, Fn&& fn) {
    using T = decltype(fn(std::declval<JsonReader&>()));
    if (!j) return T{};
    JsonReader r(*j, std::move(path));
    T value = fn(r);
    parent.adopt(r.error());
    return value;
}

}  // namespace

Member read_member(JsonReader& parent, std::string_view key) {
    return read_nested(parent.object(key), parent, parent.field_path(key), [](JsonReader& r) {
        Member m;
        m.account_id = r.integer("account_id", 0, kMaxId);
        m.handle = r.text("handle", handle_rule());
        m.display_name = r.text("display_name", display_name_rule());
        return m;
    });
}

Room read_room(const nlohmann::json& j, JsonReader& parent, std::string path) {
    return read_nested(&j, parent, std::move(path), [](JsonReader& r) {
        Room room;
        room.id = r.integer("id", 1, kMaxId);
        room.name = r.text("name", room_name_rule());
        room.topic = r.text("topic", topic_rule());
        room.member_count = r.integer("member_count", 0, kMaxId);
        room.last_seq = r.integer("last_seq", 0, kMaxId);
        room.joined = r.boolean("joined");
        return room;
    });
}

Message read_message(const nlohmann::json& j, JsonReader& parent, std::string path) {
    return read_nested(&j, parent, std::move(path), [](JsonReader& r) {
        Message m;
        m.room_id = r.integer("room_id", 1, kMaxId);
        m.seq = r.integer("seq", 1, kMaxId);
        m.id = r.integer("id", 1, kMaxId);
        m.author = read_member(r, "author");
        m.body = r.text("body", body_rule());
        m.ts_ms = r.integer("ts_ms", 0, kMaxId);
        return m;
    });
}

ServerLimits read_limits(JsonReader& parent, std::string_view key) {
    return read_nested(parent.object(key), parent, parent.field_path(key), [](JsonReader& r) {
        ServerLimits l;
        l.max_frame_bytes = r.integer("max_frame_bytes", 1, kMaxId);
        l.max_body_chars = r.integer("max_body_chars", 1, kMaxId);
        l.max_history_limit = r.integer("max_history_limit", 1, kMaxId);
        return l;
    });
}

}  // namespace vraagbaak::protocol::detail
