#include "json_reader.hpp"

#include <simdjson.h>

#include "vraagbaak/protocol/limits.hpp"
#include "vraagbaak/protocol/text.hpp"

namespace vraagbaak::protocol::detail {

JsonReader::JsonReader(const nlohmann::json& object, std::string path)
    : object_(object), path_(std::move(path)) {}

std::string JsonReader::field_path(std::string_view key) const {
    return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
}

void JsonReader::fail(ErrorCode code, std::string_view key, std::string message) {
    if (!error_) error_ = Error{code, std::move(message), field_path(key)};
}

const nlohmann::json* JsonReader::get(std::string_view key, bool required) {
    if (error_) return nullptr;
    auto it = object_.find(key);
    if (it == object_.end() || it->is_null()) {
        if (required) fail(ErrorCode::invalid_field, key, "'" + field_path(key) + "' is required");
        return nullptr;
    }
    return &*it;
}

std::optional<Error> check_text(const std::string& value, const std::string& field,
                                const TextRule& rule) {
    std::size_t len = utf8_length(value);
    if (len > rule.max_chars)
        return Error{ErrorCode::too_long,
                     "'" + field + "' is longer than " + std::to_string(rule.max_chars) +
                         " characters",
                     field};
    if (len < rule.min_chars || (rule.trim_blank && rule.min_chars > 0 && is_blank(value)))
        return Error{ErrorCode::invalid_field,
                     rule.min_chars <= 1 ? "'" + field + "' must not be empty"
                                         : "'" + field + "' must have at least " +
                                               std::to_string(rule.min_chars) + " characters",
                     field};
    if (has_control_chars(value, rule.multiline))
        return Error{ErrorCode::invalid_field, "'" + field + "' contains control characters",
                     field};
    return std::nullopt;
}

std::optional<std::string> JsonReader::optional_text(std::string_view key, TextRule rule) {
    const nlohmann::json* v = get(key, false);
    if (!v) return std::nullopt;
    if (!v->is_string()) {
        fail(ErrorCode::invalid_field, key, "'" + field_path(key) + "' must be a string");
        return std::nullopt;
    }
    auto value = v->get<std::string>();
    if (auto err = check_text(value, field_path(key), rule)) {
        if (!error_) error_ = std::move(err);
        return std::nullopt;
    }
    return value;
}

std::string JsonReader::text(std::string_view key, TextRule rule) {
    if (!get(key, true)) return {};
    return optional_text(key, rule).value_or(std::string{});
}

std::optional<std::int64_t> JsonReader::optional_integer(std::string_view key, std::int64_t min,
                                                         std::int64_t max) {
    const nlohmann::json* v = get(key, false);
    if (!v) return std::nullopt;
    if (!v->is_number_integer()) {  // true for signed and unsigned integers, false for 1.5
        fail(ErrorCode::invalid_field, key, "'" + field_path(key) + "' must be an integer");
        return std::nullopt;
    }
    bool in_range = false;
    std::int64_t n = 0;
    if (v->is_number_unsigned()) {
        auto u = v->get<std::uint64_t>();
        in_range = max >= 0 && u <= static_cast<std::uint64_t>(max) &&
                   (min <= 0 || u >= static_cast<std::uint64_t>(min));
        n = in_range ? static_cast<std::int64_t>(u) : 0;
    } else {
        n = v->get<std::int64_t>();
        in_range = n >= min && n <= max;
    }
    if (!in_range) {
        fail(ErrorCode::invalid_field, key,
             "'" + field_path(key) + "' must be between " + std::to_string(min) + " and " +
                 std::to_string(max));
        return std::nullopt;
    }
    return n;
}

std::int64_t JsonReader::integer(std::string_view key, std::int64_t min, std::int64_t max) {
    if (!get(key, true)) return 0;
    return optional_integer(key, min, max).value_or(0);
}

bool JsonReader::boolean(std::string_view key) {
    const nlohmann::json* v = get(key, true);
    if (!v) return false;
    if (!v->is_boolean()) {
        fail(ErrorCode::invalid_field, key, "'" + field_path(key) + "' must be true or false");
        return false;
    }
    return v->get<bool>();
}

const nlohmann::json* JsonReader::object(std::string_view key) {
    const nlohmann::json* v = get(key, true);
    if (v && !v->is_object()) {
        fail(ErrorCode::invalid_field, key, "'" + field_path(key) + "' must be an object");
        return nullptr;
    }
    return v;
}

const nlohmann::json* JsonReader::array(std::string_view key, std::size_t max_items) {
    const nlohmann::json* v = get(key, true);
    if (v && !v->is_array()) {
        fail(ErrorCode::invalid_field, key, "'" + field_path(key) + "' must be an array");
        return nullptr;
    }
    if (v && v->size() > max_items) {
        fail(ErrorCode::too_long, key,
             "'" + field_path(key) + "' has more than " + std::to_string(max_items) + " items");
        return nullptr;
    }
    return v;
}

std::string dump(const nlohmann::json& j) {
    return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

namespace {

// Nesting depth of a JSON text, scanned before parsing so that a deeply nested frame is
// rejected without the recursive parser ever seeing it.
bool depth_within(std::string_view text, std::size_t max_depth) {
    std::size_t depth = 0;
    bool in_string = false;
    bool escaped = false;
    for (char c : text) {
        if (in_string) {
            if (escaped) escaped = false;
            else if (c == '\\') escaped = true;
            else if (c == '"') in_string = false;
            continue;
        }
        if (c == '"') in_string = true;
        else if (c == '{' || c == '[') {
            if (++depth > max_depth) return false;
        } else if ((c == '}' || c == ']') && depth > 0) --depth;
    }
    return true;
}

}  // namespace

std::optional<nlohmann::json> parse_flat_frame(std::string_view frame) {
    // Larger frames are rare and would leave this thread's parser holding buffers their size.
    constexpr std::size_t kMaxFlatFrame = 64 * 1024;
    if (frame.size() > kMaxFlatFrame) return std::nullopt;
    // simdjson reads up to SIMDJSON_PADDING bytes past the end: parse a padded copy.
    thread_local simdjson::dom::parser parser;
    thread_local std::string padded;
    padded.assign(frame);
    padded.append(simdjson::SIMDJSON_PADDING, '\0');
    simdjson::dom::object object;
    if (parser.parse(padded.data(), frame.size(), false).get_object().get(object) != simdjson::SUCCESS)
        return std::nullopt;
    nlohmann::json tree = nlohmann::json::object();
    for (auto field : object) {
        // As the JSON library builds it: a later duplicate key wins, and an integer without a
        // minus sign is unsigned.
        auto& slot = tree[std::string(field.key)];
        switch (field.value.type()) {
            case simdjson::dom::element_type::STRING:
                slot = std::string(std::string_view(field.value));
                break;
            case simdjson::dom::element_type::INT64: {
                const std::int64_t n = std::int64_t(field.value);
                // Zero is signed when written "-0", which simdjson does not tell apart.
                if (n == 0 && frame.find("-0") != std::string_view::npos) return std::nullopt;
                if (n >= 0) slot = static_cast<std::uint64_t>(n);
                else slot = n;
                break;
            }
            case simdjson::dom::element_type::UINT64:
                slot = std::uint64_t(field.value);
                break;
            case simdjson::dom::element_type::BOOL:
                slot = bool(field.value);
                break;
            case simdjson::dom::element_type::NULL_VALUE:
                slot = nullptr;
                break;
            default:  // arrays, objects, and floating point
                return std::nullopt;
        }
    }
    return tree;
}

std::optional<nlohmann::json> parse_frame_with_json_library(std::string_view frame) {
    if (!depth_within(frame, kMaxJsonDepth)) return std::nullopt;
    auto j = nlohmann::json::parse(frame, nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded()) return std::nullopt;  // also covers invalid UTF-8 inside strings
    return j;
}

std::optional<nlohmann::json> parse_frame(std::string_view frame) {
    if (auto flat = parse_flat_frame(frame)) return flat;
    return parse_frame_with_json_library(frame);
}

}  // namespace vraagbaak::protocol::detail
