#pragma once
// Turns what a user typed into an FTS5 MATCH expression. FTS5 would parse bound text as query
// syntax (AND, NEAR, column filters, quotes), so every word becomes a quoted string token and
// nothing the user types is ever syntax.

#include <optional>
#include <string>
#include <string_view>

namespace vraagbaak::core {

// All words must match ("huur" "achterstand"); nullopt when the text has no word.
std::optional<std::string> match_all_words(std::string_view text);
// Any of the significant words (4 characters or more, at most 20) may match, for similarity;
// nullopt when there is none.
std::optional<std::string> match_any_significant_word(std::string_view text);

}  // namespace vraagbaak::core
