#pragma once
// JSON form of the wire value types, shared by the request and server-frame codecs.

#include <optional>

#include <nlohmann/json.hpp>

#include "json_reader.hpp"
#include "vraagbaak/protocol/messages.hpp"
#include "vraagbaak/protocol/wire_types.hpp"

namespace vraagbaak::protocol::detail {

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

nlohmann::json to_json(const Organisation& o);
nlohmann::json to_json(const Member& m);
nlohmann::json to_json(const Author& a);
nlohmann::json to_json(const Notice& n);
nlohmann::json to_json(const AccountSession& s);
nlohmann::json to_json(const CaseInfo& c);
nlohmann::json cases_json(const std::vector<CaseInfo>& cases);
nlohmann::json to_json(const SearchHit& h);
CaseInfo read_case_info(const nlohmann::json& j, JsonReader& parent, std::string path);
SearchHit read_search_hit(const nlohmann::json& j, JsonReader& parent, std::string path);
// A list of short strings (tags); failures recorded in r.
std::vector<std::string> read_tags(JsonReader& r, std::string_view key, bool required);
nlohmann::json to_json(const Room& r);
nlohmann::json to_json(const Message& m);
nlohmann::json to_json(const ServerLimits& l);

// Each reads the object under `key` of the parent reader; failures are recorded in `parent`.
Member read_member(JsonReader& parent, std::string_view key);
AccountSession read_session(JsonReader& r);
std::vector<Anonymity> read_levels(JsonReader& r, std::string_view key, bool required);
Anonymity read_level(JsonReader& r, std::string_view key);
Room read_room(const nlohmann::json& j, JsonReader& parent, std::string path);
nlohmann::json to_json(const Report& r);
nlohmann::json to_json(const AuditRecord& a);
Report read_report(const nlohmann::json& j, JsonReader& parent, std::string path);
AuditRecord read_audit_record(const nlohmann::json& j, JsonReader& parent, std::string path);
nlohmann::json findings_json(const std::vector<PersonalDataFinding>& findings);
// An optional array of findings; empty when absent.
std::vector<PersonalDataFinding> read_findings(JsonReader& r, std::string_view key);
// An optional array of positive integers (ids); empty when absent.
std::vector<std::int64_t> read_ids(JsonReader& r, std::string_view key);
Message read_message(const nlohmann::json& j, JsonReader& parent, std::string path);
ServerLimits read_limits(JsonReader& parent, std::string_view key);

// Sessions (session_json.cpp).
nlohmann::json to_json(const Session& s);
nlohmann::json to_json(const Attendee& a);
Session read_session_info(const nlohmann::json& j, JsonReader& parent, std::string path);
Attendee read_attendee(const nlohmann::json& j, JsonReader& parent, std::string path);
// Reads an array of objects under `key` with `read_one(json, parent, path)`.
template <typename T, typename ReadOne>
std::vector<T> read_list(JsonReader& r, std::string_view key, ReadOne read_one) {
    std::vector<T> out;
    if (const nlohmann::json* arr = r.array(key, SIZE_MAX))
        for (std::size_t i = 0; i < arr->size() && r.ok(); ++i)
            out.push_back(read_one((*arr)[i], r, r.field_path(key) + "[" + std::to_string(i) + "]"));
    return out;
}

// Request type names by index of the RequestBody alternative (replies use the same order).
std::string_view request_type_name(std::size_t index);
std::optional<std::size_t> request_type_index(std::string_view name);

inline constexpr std::int64_t kMaxId = INT64_MAX;

TextRule handle_rule();
TextRule display_name_rule();
TextRule room_name_rule();
TextRule topic_rule();
TextRule body_rule();
TextRule reason_rule();
TextRule title_rule();
TextRule tag_rule();

}  // namespace vraagbaak::protocol::detail
