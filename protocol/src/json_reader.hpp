#pragma once
// Reads fields of one JSON object with validation. The first problem found is kept and every
// later read returns a default value, so decoders can read all fields straight through and
// check error() once at the end.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "vraagbaak/protocol/error_code.hpp"

namespace vraagbaak::protocol::detail {

struct TextRule {
    std::size_t min_chars = 0;
    std::size_t max_chars = 0;   // counted in code points
    bool multiline = false;      // allow '\n' and '\t'
    bool trim_blank = false;     // reject text of only white space when min_chars > 0
};

class JsonReader {
public:
    // `path` prefixes field names in error messages ("message.author").
    explicit JsonReader(const nlohmann::json& object, std::string path = {});

    std::string text(std::string_view key, TextRule rule);
    std::optional<std::string> optional_text(std::string_view key, TextRule rule);
    std::int64_t integer(std::string_view key, std::int64_t min, std::int64_t max);
    std::optional<std::int64_t> optional_integer(std::string_view key, std::int64_t min,
                                                 std::int64_t max);
    bool boolean(std::string_view key);
    // Whether the key is present and not null.
    bool has(std::string_view key) const {
        auto it = object_.find(key);
        return it != object_.end() && !it->is_null();
    }
    // The nested object under key, or nullptr (error recorded) when missing or not an object.
    const nlohmann::json* object(std::string_view key);
    const nlohmann::json* array(std::string_view key, std::size_t max_items);

    void fail(ErrorCode code, std::string_view key, std::string message);
    // Takes over the first error of a nested reader, if this reader has none yet.
    void adopt(const std::optional<Error>& nested) {
        if (!error_ && nested) error_ = nested;
    }
    const std::optional<Error>& error() const { return error_; }
    bool ok() const { return !error_.has_value(); }
    std::string field_path(std::string_view key) const;

private:
    const nlohmann::json* get(std::string_view key, bool required);

    const nlohmann::json& object_;
    std::string path_;
    std::optional<Error> error_;
};

// Checks the text rule for a decoded string; returns the error to report, if any.
std::optional<Error> check_text(const std::string& value, const std::string& field,
                                const TextRule& rule);

// Serialises with invalid UTF-8 replaced (U+FFFD) instead of throwing.
std::string dump(const nlohmann::json& j);

// Parses one frame: depth-limited, UTF-8 checked, never throws. A flat object (only strings,
// integers, booleans and nulls as values: nearly every request) is parsed by simdjson and handed
// on as the same tree, which took a post's whole decode from 4-6 to 2 µs; anything else, or
// anything simdjson refuses, the JSON library parses and judges.
std::optional<nlohmann::json> parse_frame(std::string_view frame);

// The two halves of parse_frame, for the test and fuzzer that hold them to the same answers.
// parse_flat_frame: the tree of a flat object, or nothing (not flat, not valid, or too large).
std::optional<nlohmann::json> parse_flat_frame(std::string_view frame);
std::optional<nlohmann::json> parse_frame_with_json_library(std::string_view frame);

}  // namespace vraagbaak::protocol::detail
