#pragma once
// The client's command language, parsed without side effects so it can be tested alone.
// A line starting with '/' is a command; any other non-empty line is a message for the current
// room.

#include <optional>
#include <string>
#include <variant>

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

using Command = std::variant<CmdHelp, CmdQuit, CmdRooms, CmdCreate, CmdJoin, CmdLeave, CmdSwitch,
                             CmdSay, CmdHistory>;

struct ParseError {
    std::string message_key;  // an i18n key, e.g. "usage.join"
    std::string detail;
};

// nullopt for a blank line.
std::optional<std::variant<Command, ParseError>> parse_command(const std::string& line);

}  // namespace vraagbaak::client
