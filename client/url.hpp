#pragma once
// ws:// URLs as the client accepts them.

#include <optional>
#include <string>

namespace vraagbaak::client {

struct Url {
    std::string host;
    std::string port;
    std::string path;  // with leading '/'
};

// Parses ws://HOST[:PORT][/PATH]; the port defaults to 80 and the path to /ws.
std::optional<Url> parse_url(const std::string& text);

}  // namespace vraagbaak::client
