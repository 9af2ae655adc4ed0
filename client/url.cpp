#include "url.hpp"

namespace vraagbaak::client {

std::optional<Url> parse_url(const std::string& text) {
    Url url;
    std::string rest;
    if (text.rfind("ws://", 0) == 0) {
        rest = text.substr(5);
    } else if (text.rfind("wss://", 0) == 0) {
        rest = text.substr(6);
        url.tls = true;
    } else {
        return std::nullopt;
    }
    const std::string default_port = url.tls ? "443" : "80";
    auto slash = rest.find('/');
    std::string authority = rest.substr(0, slash);
    url.path = slash == std::string::npos ? "/ws" : rest.substr(slash);
    if (authority.empty()) return std::nullopt;
    if (authority.front() == '[') {  // [v6]:port
        auto close = authority.find(']');
        if (close == std::string::npos) return std::nullopt;
        url.host = authority.substr(1, close - 1);
        std::string after = authority.substr(close + 1);
        if (after.empty()) url.port = default_port;
        else if (after.front() == ':' && after.size() > 1) url.port = after.substr(1);
        else return std::nullopt;
    } else {
        auto colon = authority.rfind(':');
        url.host = authority.substr(0, colon);
        url.port = colon == std::string::npos ? default_port : authority.substr(colon + 1);
    }
    if (url.host.empty() || url.port.empty()) return std::nullopt;
    for (char c : url.port)
        if (c < '0' || c > '9') return std::nullopt;
    return url;
}

}  // namespace vraagbaak::client
