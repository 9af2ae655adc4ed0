#include "core/permissions.hpp"

#include <array>

namespace vraagbaak::core {

using protocol::Role;
using protocol::RoomRole;

std::string_view to_string(RoomRank rank) {
    static constexpr std::array<std::string_view, 6> kNames{"none", "member", "organiser", "moderator", "owner", "admin"};
    return kNames.at(static_cast<std::size_t>(rank));
}

RoomRank rank_in_room(Role global, std::optional<RoomRole> room_role) {
    if (global == Role::admin) return RoomRank::admin;
    RoomRank rank = RoomRank::none;
    if (room_role) {
        switch (*room_role) {
            case RoomRole::member: rank = RoomRank::member; break;
            case RoomRole::organiser: rank = RoomRank::organiser; break;
            case RoomRole::moderator: rank = RoomRank::moderator; break;
            case RoomRole::owner: rank = RoomRank::owner; break;
        }
    }
    if (global == Role::moderator && rank < RoomRank::moderator) rank = RoomRank::moderator;
    return rank;
}

const std::vector<PermissionRule>& permission_table() {
    using P = RoomPermission;
    using R = RoomRank;
    static const std::vector<PermissionRule> table{
        {P::read, "read", R::member},
        {P::post, "post", R::member},
        {P::report, "report", R::member},
        {P::pin, "pin", R::organiser},
        {P::set_topic, "set_topic", R::organiser},
        {P::create_room_invite, "create_room_invite", R::organiser},
        {P::hide, "hide", R::moderator},
        {P::delete_message, "delete_message", R::moderator},
        {P::mute, "mute", R::moderator},
        {P::kick, "kick", R::moderator},
        {P::ban, "ban", R::moderator},
        {P::handle_reports, "handle_reports", R::moderator},
        {P::reopen_case, "reopen_case", R::moderator},
        {P::read_audit, "read_audit", R::moderator},
        {P::lock, "lock", R::moderator},
        {P::set_slow_mode, "set_slow_mode", R::moderator},
        {P::post_when_locked, "post_when_locked", R::moderator},
        {P::skip_slow_mode, "skip_slow_mode", R::moderator},
        {P::archive, "archive", R::owner},
        {P::rename, "rename", R::owner},
        {P::set_privacy, "set_privacy", R::owner},
        {P::set_visibility, "set_visibility", R::owner},
        {P::set_levels, "set_levels", R::owner},
        {P::assign_member, "assign_member", R::moderator},
        {P::assign_organiser, "assign_organiser", R::moderator},
        {P::assign_moderator, "assign_moderator", R::owner},
        {P::assign_owner, "assign_owner", R::owner},
        {P::host_session, "host_session", R::organiser},
        {P::run_any_session, "run_any_session", R::moderator},
    };
    return table;
}

bool allows(RoomRank rank, RoomPermission permission) {
    for (const auto& rule : permission_table())
        if (rule.permission == permission) return rank >= rule.minimum;
    return false;
}

RoomPermission permission_to_assign(RoomRole role) {
    switch (role) {
        case RoomRole::member: return RoomPermission::assign_member;
        case RoomRole::organiser: return RoomPermission::assign_organiser;
        case RoomRole::moderator: return RoomPermission::assign_moderator;
        case RoomRole::owner: return RoomPermission::assign_owner;
    }
    return RoomPermission::assign_owner;
}

}  // namespace vraagbaak::core
