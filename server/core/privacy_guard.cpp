#include "core/privacy_guard.hpp"

#include "core/personal_data.hpp"
#include "support/metrics.hpp"

namespace vraagbaak::core {

using protocol::ErrorCode;
using protocol::PrivacyMode;

Result<GuardOutcome, protocol::Error> guard_texts(PrivacyMode mode, const std::vector<GuardedText>& texts,
                                                  std::int64_t now_ms) {
    GuardOutcome outcome;
    std::vector<std::vector<Finding>> found;
    bool bsn = false;
    for (const auto& t : texts) {
        found.push_back(find_personal_data(t.text, {now_ms, t.case_body}));
        for (const auto& f : found.back()) {
            if (auto* counter = metrics::get().privacy_findings) counter->add(static_cast<std::size_t>(f.kind));
            bsn = bsn || f.kind == PersonalDataKind::bsn;
            outcome.findings.push_back({t.field, std::string(to_string(f.kind)), static_cast<std::int64_t>(f.begin),
                                        static_cast<std::int64_t>(f.end)});
        }
    }
    if (!outcome.findings.empty() && (mode == PrivacyMode::block || bsn)) {
        auto error = protocol::make_error(
            ErrorCode::personal_data,
            bsn && mode != PrivacyMode::block
                ? "a BSN may never be stored; remove it and send again"
                : "the text holds a client's personal data; remove it and send again",
            outcome.findings.front().field);
        error.findings = std::move(outcome.findings);
        return fail(error);
    }
    for (std::size_t i = 0; i < texts.size(); ++i)
        outcome.texts.push_back(mode == PrivacyMode::redact && !found[i].empty() ? redact(texts[i].text, found[i])
                                                                                 : texts[i].text);
    outcome.redacted = mode == PrivacyMode::redact && !outcome.findings.empty();
    return outcome;
}

}  // namespace vraagbaak::core
