#include "core/search_terms.hpp"

#include <vector>

#include "vraagbaak/protocol/text.hpp"

namespace vraagbaak::core {
namespace {

// Letters and digits, ASCII or not; everything else separates words. Bytes of multi-byte UTF-8
// characters count as letters, so "geïnformeerd" stays one word.
std::vector<std::string> words(std::string_view text) {
    std::vector<std::string> out;
    std::string current;
    for (char ch : text) {
        auto c = static_cast<unsigned char>(ch);
        bool part = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80;
        if (part) {
            current.push_back(ch);
        } else if (!current.empty()) {
            out.push_back(std::move(current));
            current.clear();
        }
    }
    if (!current.empty()) out.push_back(std::move(current));
    return out;
}

std::string quoted(const std::string& word) { return "\"" + word + "\""; }  // words hold no '"'

std::optional<std::string> join(const std::vector<std::string>& terms, std::string_view separator) {
    if (terms.empty()) return std::nullopt;
    std::string out;
    for (const auto& t : terms) {
        if (!out.empty()) out.append(separator);
        out += quoted(t);
    }
    return out;
}

}  // namespace

std::optional<std::string> match_all_words(std::string_view text) {
    auto all = words(text);
    if (all.size() > 10) all.resize(10);
    return join(all, " ");
}

std::optional<std::string> match_any_significant_word(std::string_view text) {
    std::vector<std::string> significant;
    for (auto& w : words(text))
        if (protocol::utf8_length(w) >= 4 && significant.size() < 20) significant.push_back(std::move(w));
    return join(significant, " OR ");
}

}  // namespace vraagbaak::core
