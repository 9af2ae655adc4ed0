#pragma once
// ws:// and wss:// URLs as the client accepts them.

#include <optional>
#include <string>

namespace vraagbaak::client {

struct Url {
    std::string host;
    std::string port;
    std::string path;  // with leading '/'
    bool tls = false;  // wss://
};

// Parses ws://HOST[:PORT][/PATH] and wss://...; the port defaults to 80 (ws) or 443 (wss) and
// the path to /ws.
std::optional<Url> parse_url(const std::string& text);

}  // namespace vraagbaak::client
