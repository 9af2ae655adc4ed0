#pragma once
// The client's command language, parsed without side effects so it can be tested alone.
// A line starting with '/' is a command; any other non-empty line is a message for the current
// room.

#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace vraagbaak::client {

struct CmdHelp {};
struct CmdQuit {};
struct CmdRooms {};
struct CmdCreate { std::string name; std::string topic; };
struct CmdJoin { std::string room; };
struct CmdLeave { std::string room; };          // empty: the current room
struct CmdSwitch { std::string room; };         // /room NAME: make NAME the current room
struct CmdSay { std::string room; std::string text; };  // room empty: the current room
struct CmdHistory {
    std::string room;  // empty: the current room
    int limit = 20;
    std::optional<long long> before;
    std::optional<long long> after;
};

struct CmdLevel { std::string level; };  // named, organisation or anonymous
struct CmdReply { long long message_id = 0; std::string text; std::string kind; };  // kind may be empty
struct CmdMute { long long message_id = 0; long long duration_s = 0; std::string reason; };
struct CmdHide { long long message_id = 0; std::string reason; std::string category = "other"; };
struct CmdBan { long long message_id = 0; std::optional<long long> duration_s; std::string reason; };
struct CmdReveal { long long message_id = 0; std::string reason; };
struct CmdApprove { long long reveal_id = 0; };
struct CmdInvite { int uses = 1; int hours = 72; };
struct CmdLogout {};
struct CmdCases {  // list the current room's cases
    std::string status;
    std::string tag;
    bool mine = false;
    bool unanswered = false;
    bool by_activity = false;
};
struct CmdCase { long long case_id = 0; };
struct CmdAsk { std::string title; };  // tags, body and confirmation follow on their own lines
struct CmdHelpful { long long message_id = 0; bool helpful = true; };
struct CmdClose { long long case_id = 0; std::string outcome; std::string reflection; };
struct CmdReopen { long long case_id = 0; };
struct CmdSearch { std::string query; };
struct CmdUnread {};
struct CmdRead {};
// Moderation.
struct CmdModerate {  // unhide, delete, kick, unmute, unban: an action on "the author of / this message"
    std::string action;
    long long message_id = 0;
    std::string reason;
};
struct CmdReport { long long message_id = 0; std::string category = "other"; std::string reason; };
struct CmdQueue { std::string status; };  // empty: open and claimed
struct CmdWorkReport { std::string action; long long report_id = 0; std::string outcome; };  // claim, resolve, dismiss
struct CmdRoomSetting {  // for the current room
    std::optional<bool> locked;
    std::optional<long long> slow_mode_s;
    std::optional<bool> archived;
};
struct CmdPin { long long message_id = 0; bool pinned = true; };
struct CmdAudit { int limit = 20; bool all = false; };  // all: the whole log (admins)
struct CmdRole { std::string handle; std::string role; };  // in the current room
struct CmdExport {};  // everything the server keeps of me, as JSON
// Network meetings (sessions). A command without a session id means the current room's running
// (or else latest known) session.
struct CmdSessions { bool all = false; };
struct CmdSchedule {
    std::string method;
    std::string when;  // "now", "+30m", "14:30"
    long long minutes = 60;
    std::vector<long long> case_ids;
    std::string title;
    bool auto_advance = false;
    bool follow_up = false;
};
struct CmdSignUp { long long session_id = 0; bool cancel = false; };
struct CmdControl { std::string action; std::optional<long long> session_id; long long extend_s = 0; };
struct CmdAllow { std::string handle; std::optional<long long> message_id; };
struct CmdAttendance { std::optional<long long> session_id; };
struct CmdSummary { long long session_id = 0; long long case_id = 0; std::string file; };
struct CmdShowSession { std::optional<long long> session_id; };

using Command = std::variant<CmdHelp, CmdQuit, CmdRooms, CmdCreate, CmdJoin, CmdLeave, CmdSwitch,
                             CmdSay, CmdHistory, CmdLevel, CmdReply, CmdMute, CmdHide, CmdBan,
                             CmdReveal, CmdApprove, CmdInvite, CmdLogout, CmdCases, CmdCase, CmdAsk,
                             CmdHelpful, CmdClose, CmdReopen, CmdSearch, CmdUnread, CmdRead, CmdModerate,
                             CmdReport, CmdQueue, CmdWorkReport, CmdRoomSetting, CmdPin, CmdAudit, CmdRole,
                             CmdExport, CmdSessions, CmdSchedule, CmdSignUp, CmdControl, CmdAllow, CmdAttendance,
                             CmdSummary, CmdShowSession>;

// "45s", "30m", "2h", "7d" (a bare number means minutes) in seconds; nullopt when malformed.
std::optional<long long> parse_duration(const std::string& text);

struct ParseError {
    std::string message_key;  // an i18n key, e.g. "usage.join"
    std::string detail;
};

// When a session starts: "now", "+DURATION" (see parse_duration) or "HH:MM" local time (today,
// or tomorrow when that has passed). Milliseconds since the epoch; nullopt when malformed.
std::optional<long long> resolve_start(const std::string& when, long long now_ms);

// nullopt for a blank line.
std::optional<std::variant<Command, ParseError>> parse_command(const std::string& line);

}  // namespace vraagbaak::client
