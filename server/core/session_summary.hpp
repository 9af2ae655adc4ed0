#pragma once
// The Markdown summary of one case after a session: the case, then per phase what was asked,
// suggested and advised, then the owner's reflection. Authors appear as the room sees them
// (a name only for named posts), so the summary keeps every poster's anonymity.

#include <cstdint>
#include <string>
#include <vector>

namespace vraagbaak::core {

struct SummaryLine {
    std::string kind;    // question, idea, advice, experience, comment
    std::string author;  // as others see it: a name, an organisation and pseudonym, or a pseudonym
    std::string body;    // empty for a hidden or deleted post
    bool helpful = false;
};

struct SummarySection {
    std::string title;  // the phase's title
    std::vector<SummaryLine> lines;
};

struct SummaryInput {
    std::string session_title;
    std::string method_title;
    std::int64_t date_ms = 0;  // when the session started
    std::string case_title;
    std::string case_owner;  // as others see the case's first message
    std::string case_body;
    std::vector<SummarySection> sections;
};

std::string summary_markdown(const SummaryInput& input);

}  // namespace vraagbaak::core
