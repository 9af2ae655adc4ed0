#include "vraagbaak/protocol/wire_types.hpp"

#include <array>

namespace vraagbaak::protocol {
namespace {

constexpr std::array<std::string_view, 3> kLevels{"named", "organisation", "anonymous"};
constexpr std::array<std::string_view, 4> kRoles{"member", "organiser", "moderator", "admin"};

template <typename Enum, std::size_t N>
std::optional<Enum> lookup(const std::array<std::string_view, N>& names, std::string_view name) {
    for (std::size_t i = 0; i < N; ++i)
        if (names[i] == name) return static_cast<Enum>(i);
    return std::nullopt;
}

}  // namespace

std::string_view to_string(Anonymity level) { return kLevels.at(static_cast<std::size_t>(level)); }
std::optional<Anonymity> anonymity_from_string(std::string_view name) {
    return lookup<Anonymity>(kLevels, name);
}
std::string_view to_string(Role role) { return kRoles.at(static_cast<std::size_t>(role)); }
std::optional<Role> role_from_string(std::string_view name) { return lookup<Role>(kRoles, name); }

}  // namespace vraagbaak::protocol
