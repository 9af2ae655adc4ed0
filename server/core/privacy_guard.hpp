#pragma once
// The privacy guard: applies a room's privacy mode to the texts of a post, a case or a closing
// reflection before anything is stored. Refused text goes nowhere: not to the database, not to
// the log (the error carries kinds and spans, never the text).

#include <string>
#include <vector>

#include "vraagbaak/protocol/error_code.hpp"
#include "vraagbaak/protocol/result.hpp"
#include "vraagbaak/protocol/wire_types.hpp"

namespace vraagbaak::core {

struct GuardedText {
    std::string field;  // "body", "title", "outcome", "reflection"
    std::string text;
    bool case_body = false;  // a case's own text: any full date over 12 years ago counts
};

struct GuardOutcome {
    std::vector<std::string> texts;  // in the order given; redacted in redact mode
    std::vector<protocol::PersonalDataFinding> findings;
    bool redacted = false;
};

// block: any finding refuses; redact: findings become markers; warn: stored as written, the
// findings reported. A BSN refuses in every mode.
Result<GuardOutcome, protocol::Error> guard_texts(protocol::PrivacyMode mode, const std::vector<GuardedText>& texts,
                                                  std::int64_t now_ms);

}  // namespace vraagbaak::core
