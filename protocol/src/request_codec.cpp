// Requests: client to server. See PROTOCOL.md, "Requests".

#include <array>
#include <functional>

#include "json_reader.hpp"
#include "vraagbaak/protocol/codec.hpp"
#include "vraagbaak/protocol/text.hpp"
#include "wire_json.hpp"

namespace vraagbaak::protocol {

using detail::JsonReader;
using detail::TextRule;
using nlohmann::json;

namespace {

template <typename T>
struct Tag {};

// Each request type: its wire name, how to read it, how to write it.
RequestBody read(Tag<HelloRequest>, JsonReader& r) {
    HelloRequest h;
    if (const json* versions = r.array("versions", kMaxVersionsOffered)) {
        for (const auto& v : *versions) {
            if (!v.is_number_integer() || v.get<std::int64_t>() < 1 ||
                v.get<std::int64_t>() > 1000) {
                r.fail(ErrorCode::invalid_field, "versions",
                       "'versions' must be an array of positive integers");
                break;
            }
            h.versions.push_back(v.get<int>());
        }
        if (h.versions.empty() && r.ok())
            r.fail(ErrorCode::invalid_field, "versions", "'versions' must not be empty");
    }
    h.client = r.optional_text("client", {0, kMaxClientNameChars}).value_or("");
    return h;
}
void write(const HelloRequest& h, json& j) {
    j["versions"] = h.versions;
    j["client"] = h.client;
}

RequestBody read(Tag<LoginRequest>, JsonReader& r) {
    LoginRequest l;
    // Handles are checked for shape only loosely here: an ill-formed handle simply does not
    // exist, and saying so would tell apart "no such handle" from "wrong password".
    l.handle = r.text("handle", {1, kMaxHandleChars, false, true});
    l.password = r.text("password", {1, kMaxPasswordBytes, false, false});
    return l;
}
void write(const LoginRequest& l, json& j) {
    j["handle"] = l.handle;
    j["password"] = l.password;
}

RequestBody read(Tag<ListRoomsRequest>, JsonReader&) { return ListRoomsRequest{}; }
void write(const ListRoomsRequest&, json&) {}

RequestBody read(Tag<CreateRoomRequest>, JsonReader& r) {
    CreateRoomRequest c;
    c.name = r.text("name", detail::room_name_rule());
    c.topic = r.optional_text("topic", detail::topic_rule()).value_or("");
    return c;
}
void write(const CreateRoomRequest& c, json& j) {
    j["name"] = c.name;
    j["topic"] = c.topic;
}

RequestBody read(Tag<JoinRequest>, JsonReader& r) {
    return JoinRequest{r.integer("room_id", 1, detail::kMaxId)};
}
void write(const JoinRequest& x, json& j) { j["room_id"] = x.room_id; }

RequestBody read(Tag<LeaveRequest>, JsonReader& r) {
    return LeaveRequest{r.integer("room_id", 1, detail::kMaxId)};
}
void write(const LeaveRequest& x, json& j) { j["room_id"] = x.room_id; }

RequestBody read(Tag<PostRequest>, JsonReader& r) {
    PostRequest p;
    p.room_id = r.integer("room_id", 1, detail::kMaxId);
    p.body = r.text("body", detail::body_rule());
    return p;
}
void write(const PostRequest& p, json& j) {
    j["room_id"] = p.room_id;
    j["body"] = p.body;
}

RequestBody read(Tag<HistoryRequest>, JsonReader& r) {
    HistoryRequest h;
    h.room_id = r.integer("room_id", 1, detail::kMaxId);
    h.before = r.optional_integer("before", 1, detail::kMaxId);
    h.after = r.optional_integer("after", 0, detail::kMaxId);
    h.limit = static_cast<int>(
        r.optional_integer("limit", 1, kMaxHistoryLimit).value_or(kDefaultHistoryLimit));
    if (r.ok() && h.before && h.after)
        r.fail(ErrorCode::invalid_field, "before", "give 'before' or 'after', not both");
    return h;
}
void write(const HistoryRequest& h, json& j) {
    j["room_id"] = h.room_id;
    if (h.before) j["before"] = *h.before;
    if (h.after) j["after"] = *h.after;
    j["limit"] = h.limit;
}

// Wire names in the order of the RequestBody alternatives.
constexpr std::array<std::string_view, std::variant_size_v<RequestBody>> kRequestNames{
    "hello", "login", "list_rooms", "create_room", "join", "leave", "post", "history"};

using Reader = RequestBody (*)(JsonReader&);

template <std::size_t... I>
constexpr auto make_readers(std::index_sequence<I...>) {
    return std::array<Reader, sizeof...(I)>{[](JsonReader& r) -> RequestBody {
        return read(Tag<std::variant_alternative_t<I, RequestBody>>{}, r);
    }...};
}
constexpr auto kReaders = make_readers(std::make_index_sequence<std::variant_size_v<RequestBody>>{});

DecodeFailure failure(std::optional<std::string> id, std::string type, ErrorCode code,
                      std::string message = {}) {
    return DecodeFailure{std::move(id), std::move(type), make_error(code, std::move(message))};
}

}  // namespace

std::string_view type_name(const RequestBody& body) { return kRequestNames[body.index()]; }

namespace detail {
std::string_view request_type_name(std::size_t index) { return kRequestNames.at(index); }
std::optional<std::size_t> request_type_index(std::string_view name) {
    for (std::size_t i = 0; i < kRequestNames.size(); ++i)
        if (kRequestNames[i] == name) return i;
    return std::nullopt;
}
}  // namespace detail

Result<Request, DecodeFailure> decode_request(std::string_view frame) {
    std::optional<json> parsed = detail::parse_frame(frame);
    if (!parsed) return fail(failure(std::nullopt, {}, ErrorCode::malformed_json));
    const json& j = *parsed;
    if (!j.is_object())
        return fail(failure(std::nullopt, {}, ErrorCode::invalid_request,
                            "a request must be a JSON object"));

    std::optional<std::string> id;
    auto id_it = j.find("id");
    if (id_it != j.end() && id_it->is_string()) {
        auto value = id_it->get<std::string>();
        if (!value.empty() && value.size() <= kMaxRequestIdBytes &&
            !has_control_chars(value, false))
            id = std::move(value);
    }
    if (!id)
        return fail(failure(std::nullopt, {}, ErrorCode::invalid_request,
                            "'id' must be a string of 1 to " +
                                std::to_string(kMaxRequestIdBytes) + " bytes"));

    auto type_it = j.find("type");
    if (type_it == j.end() || !type_it->is_string())
        return fail(failure(id, {}, ErrorCode::invalid_request, "'type' must be a string"));
    const auto& type = type_it->get_ref<const std::string&>();

    auto index = detail::request_type_index(type);
    // An unknown name is not echoed back: it may be arbitrary bytes of any length.
    if (!index) return fail(failure(id, {}, ErrorCode::unknown_type));
    JsonReader reader(j);
    RequestBody body = kReaders[*index](reader);
    if (reader.error()) return fail(DecodeFailure{id, type, *reader.error()});
    return Request{std::move(*id), std::move(body)};
}

std::string encode_request(const Request& request) {
    json j = json::object();
    j["id"] = request.id;
    j["type"] = type_name(request.body);
    std::visit([&](const auto& body) { write(body, j); }, request.body);
    return detail::dump(j);
}

}  // namespace vraagbaak::protocol
