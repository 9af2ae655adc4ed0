#pragma once
// Who may do what in a room: the one table of room permissions. PROTOCOL.md ("Rooms, roles and
// permissions") shows the same table; a unit test keeps the two equal.
//
// A person's rank in a room is the higher of their room role and what their global role
// grants: global moderators moderate every room, global admins may do everything.

#include <optional>
#include <string_view>
#include <vector>

#include "vraagbaak/protocol/wire_types.hpp"

namespace vraagbaak::core {

enum class RoomRank { none, member, organiser, moderator, owner, admin };
std::string_view to_string(RoomRank rank);

RoomRank rank_in_room(protocol::Role global, std::optional<protocol::RoomRole> room_role);

enum class RoomPermission {
    read,                // history, cases, search within the room
    post,                // post, ask, reply (subject to mutes, lock, slow mode)
    report,              // report a message or case
    pin,                 // pin or unpin a message or case
    set_topic,
    create_room_invite,  // for invite-only rooms
    hide,                // hide and unhide
    delete_message,
    mute,
    kick,
    ban,
    handle_reports,      // list, claim, resolve, dismiss
    reopen_case,         // someone else's closed case
    read_audit,          // the room's audit log
    lock,
    set_slow_mode,
    post_when_locked,
    skip_slow_mode,
    archive,
    rename,
    set_privacy,         // privacy mode and retention
    set_visibility,      // visibility and its organisations
    set_levels,          // allowed anonymity levels
    assign_member,       // set someone's room role to member
    assign_organiser,
    assign_moderator,
    assign_owner,
    host_session,     // schedule a session, and run the sessions one organises
    run_any_session,  // run sessions someone else organises
};

struct PermissionRule {
    RoomPermission permission;
    std::string_view name;
    RoomRank minimum;
};

const std::vector<PermissionRule>& permission_table();
bool allows(RoomRank rank, RoomPermission permission);
// The permission needed to give someone `role`.
RoomPermission permission_to_assign(protocol::RoomRole role);

}  // namespace vraagbaak::core
