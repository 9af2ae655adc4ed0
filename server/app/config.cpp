#include "app/config.hpp"

#include <charconv>

namespace vraagbaak::app {

std::optional<Endpoint> parse_endpoint(const std::string& text) {
    auto colon = text.rfind(':');
    if (colon == std::string::npos) return std::nullopt;
    std::string host = text.substr(0, colon);
    std::string port_text = text.substr(colon + 1);
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
        host = host.substr(1, host.size() - 2);
    if (host.empty()) host = "0.0.0.0";
    unsigned port = 0;
    auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (ec != std::errc{} || end != port_text.data() + port_text.size() || port > 65535 ||
        port_text.empty())
        return std::nullopt;
    return Endpoint{host, static_cast<std::uint16_t>(port)};
}

}  // namespace vraagbaak::app
