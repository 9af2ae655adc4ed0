#include "vraagbaak/protocol/wire_types.hpp"

#include <array>

namespace vraagbaak::protocol {
namespace {

constexpr std::array<std::string_view, 3> kLevels{"named", "organisation", "anonymous"};
constexpr std::array<std::string_view, 4> kRoles{"member", "organiser", "moderator", "admin"};
constexpr std::array<std::string_view, 4> kRoomRoles{"member", "organiser", "moderator", "owner"};
constexpr std::array<std::string_view, 3> kVisibilities{"open", "organisations", "invite"};
constexpr std::array<std::string_view, 3> kPrivacyModes{"block", "redact", "warn"};
constexpr std::array<std::string_view, 5> kCategories{"privacy", "offensive", "off_topic", "spam", "other"};

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
std::optional<std::vector<Anonymity>> levels_from_csv(std::string_view csv) {
    std::vector<Anonymity> out;
    while (true) {
        auto comma = csv.find(',');
        auto level = anonymity_from_string(csv.substr(0, comma));
        if (!level) return std::nullopt;
        out.push_back(*level);
        if (comma == std::string_view::npos) return out;
        csv.remove_prefix(comma + 1);
    }
}

std::string levels_to_csv(const std::vector<Anonymity>& levels) {
    std::string out;
    for (auto level : levels) {
        if (!out.empty()) out += ',';
        out += to_string(level);
    }
    return out;
}

std::string_view to_string(Role role) { return kRoles.at(static_cast<std::size_t>(role)); }
std::optional<Role> role_from_string(std::string_view name) { return lookup<Role>(kRoles, name); }

std::string_view to_string(RoomRole role) { return kRoomRoles.at(static_cast<std::size_t>(role)); }
std::optional<RoomRole> room_role_from_string(std::string_view name) { return lookup<RoomRole>(kRoomRoles, name); }

std::string_view to_string(Visibility v) { return kVisibilities.at(static_cast<std::size_t>(v)); }
std::optional<Visibility> visibility_from_string(std::string_view name) {
    return lookup<Visibility>(kVisibilities, name);
}

std::string_view to_string(PrivacyMode m) { return kPrivacyModes.at(static_cast<std::size_t>(m)); }
std::optional<PrivacyMode> privacy_mode_from_string(std::string_view name) {
    return lookup<PrivacyMode>(kPrivacyModes, name);
}

bool is_reply_kind(std::string_view kind) {
    for (std::string_view k : {"question", "idea", "advice", "experience", "comment"})
        if (kind == k) return true;
    return false;
}

bool is_moderation_category(std::string_view category) {
    for (auto c : kCategories)
        if (c == category) return true;
    return false;
}

}  // namespace vraagbaak::protocol
