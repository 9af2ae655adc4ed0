#pragma once
// Text rules shared by the codec and its users: UTF-8 length in code points and the
// character classes allowed in each kind of field.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace vraagbaak::protocol {

// Number of code points in valid UTF-8 text (the codec only sees validated text).
std::size_t utf8_length(std::string_view text);

// The byte length of the UTF-8 sequence that starts with `lead` (1 to 4), for walking text one
// code point at a time.
std::size_t utf8_sequence_length(unsigned char lead);

// Whether text is well-formed UTF-8 (no overlongs, no surrogates, nothing above U+10FFFF).
bool is_valid_utf8(std::string_view text);

// Whether text contains a C0/C1 control character or DEL. When allow_newlines is set, '\n' and
// '\t' are allowed (message bodies are multi-line).
bool has_control_chars(std::string_view text, bool allow_newlines);

// Handles are lowercase ASCII letters, digits, '.', '_' and '-', starting with a letter.
bool is_valid_handle(std::string_view handle);

// Text with only spaces, tabs and newlines counts as blank.
bool is_blank(std::string_view text);

// "a, b ,c" → {"a", "b", "c"}: split at `separator`, each part trimmed of spaces, empty parts
// dropped.
std::vector<std::string> split_list(std::string_view text, char separator = ',');

}  // namespace vraagbaak::protocol
