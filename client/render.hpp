#pragma once
// Turns protocol values into lines for a person. Server text is sanitised before it reaches the
// terminal: control characters could otherwise move the cursor or rewrite the screen.

#include <string>
#include <string_view>

#include "i18n.hpp"
#include <vector>

#include "vraagbaak/protocol/error_code.hpp"
#include "vraagbaak/protocol/wire_types.hpp"

namespace vraagbaak::client {

// Drops control characters; newlines become "\n" (two characters) when one_line is set, else
// they stay and continuation lines are indented.
std::string sanitize(std::string_view text, bool one_line);
std::string format_time(protocol::TimestampMs ts);  // local time, HH:MM:SS
std::string render_author(Lang lang, const protocol::Author& author, bool own);
std::string render_message(Lang lang, const protocol::Message& m, std::string_view room_name,
                           bool one_line);
// The text with each finding of one field between » and « (spans count code points).
std::string mark_findings(std::string_view text, const std::vector<protocol::PersonalDataFinding>& findings,
                          std::string_view field);
// "phone number (12–23), e-mail address (30–48)" in the user's language.
std::string describe_findings(Lang lang, const std::vector<protocol::PersonalDataFinding>& findings);
// "room: locked, slow mode 30 s, pinned 40, 41" and the like.
std::string render_room_settings(Lang lang, const protocol::Room& room);
std::string render_member_event(Lang lang, std::string_view key, std::string_view room_name,
                                const protocol::Member& member);

}  // namespace vraagbaak::client
