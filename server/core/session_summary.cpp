#include "core/session_summary.hpp"

#include <ctime>

namespace vraagbaak::core {

namespace {

std::string utc_date(std::int64_t ms) {
    std::time_t t = static_cast<std::time_t>(ms / 1000);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M UTC", &tm);
    return buf;
}

// A post's text as a Markdown list item: continuation lines indented so they stay in the item.
std::string indented(const std::string& body) {
    std::string out;
    for (char c : body) {
        out += c;
        if (c == '\n') out += "  ";
    }
    return out;
}

}  // namespace

std::string summary_markdown(const SummaryInput& in) {
    std::string md = "# " + in.case_title + "\n\n";
    md += "Session: " + in.session_title + " (" + in.method_title + "), " + utc_date(in.date_ms) + "  \n";
    md += "Case owner: " + in.case_owner + "\n\n";
    md += "## Case\n\n" + (in.case_body.empty() ? std::string("_(not shown)_") : in.case_body) + "\n";
    for (const auto& section : in.sections) {
        md += "\n## " + section.title + "\n\n";
        if (section.lines.empty()) md += "_Nothing was said in this phase._\n";
        for (const auto& line : section.lines) {
            md += "- **" + line.kind + "** — " + line.author + ": ";
            md += line.body.empty() ? std::string("_(hidden by a moderator)_") : indented(line.body);
            if (line.helpful) md += " ✓ _helpful_";
            md += "\n";
        }
    }
    return md;
}

}  // namespace vraagbaak::core
