#pragma once
// The client's user-facing text in English and Dutch. Keys are stable identifiers; a missing
// key falls back to English, then to the key itself, so a gap never hides a message.

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

namespace vraagbaak::client {

enum class Lang { en, nl };

// From a LANG/LC_ALL style value: "nl", "nl_NL.UTF-8", … give Dutch; anything else English.
Lang lang_from_locale(std::string_view value);
// Reads LC_ALL, LC_MESSAGES, LANG in that order.
Lang lang_from_environment();
std::optional<Lang> parse_lang(std::string_view value);

// The text for `key`; "{}" placeholders are filled in order with args.
std::string tr(Lang lang, std::string_view key, std::initializer_list<std::string_view> args = {});

}  // namespace vraagbaak::client
