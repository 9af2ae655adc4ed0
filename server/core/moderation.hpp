#pragma once
// Room moderation as domain operations, shared by the hub (protocol requests) and the admin
// commands: the permission check (permissions.hpp), the change, and its audit record, in that
// order. Each returns a typed protocol error instead of throwing (storage failures still throw).
//
// Sanctions name "the author of this message", never an account: a moderator acts on an
// anonymous post without learning who wrote it. For the same reason they do not depend on the
// author's rank (refusing to mute an owner would tell the moderator the author is one); every
// sanction is audited and can be lifted.

#include <optional>
#include <string>
#include <vector>

#include "core/permissions.hpp"
#include "storage/records.hpp"
#include "vraagbaak/protocol/error_code.hpp"
#include "vraagbaak/protocol/result.hpp"

namespace vraagbaak::storage {
class Store;
}

namespace vraagbaak::core {

using protocol::Error;

// The actor's rank in a room, from their global role and their membership.
RoomRank rank_of(storage::Store& store, const storage::Account& actor, storage::RoomId room);

struct Sanction {
    storage::RoomId room_id = 0;
    std::optional<storage::TimestampMs> until_ms;  // nullopt: for good (bans) or not timed (kicks)
    storage::AccountId author_id = 0;               // for the hub only; never sent to the moderator
    bool lifted = false;                            // duration 0: the mute or ban was lifted
};
// duration_s 0 lifts the mute.
Result<Sanction, Error> mute_author(storage::Store& store, const storage::Account& actor, storage::MessageId message,
                                   std::int64_t duration_s, const std::string& reason, storage::TimestampMs now);
// duration_s absent: for good; 0 lifts the ban. A ban also ends the membership.
Result<Sanction, Error> ban_author(storage::Store& store, const storage::Account& actor, storage::MessageId message,
                                  std::optional<std::int64_t> duration_s, const std::string& reason,
                                  storage::TimestampMs now);
// Ends the membership now; the author may join again.
Result<Sanction, Error> kick_author(storage::Store& store, const storage::Account& actor, storage::MessageId message,
                                   const std::string& reason, storage::TimestampMs now);

// Each returns the room event to announce.
Result<storage::RoomEvent, Error> hide_message(storage::Store& store, const storage::Account& actor,
                                               storage::MessageId message, const std::string& category,
                                               const std::string& reason, storage::TimestampMs now);
Result<storage::RoomEvent, Error> unhide_message(storage::Store& store, const storage::Account& actor,
                                                 storage::MessageId message, const std::string& reason,
                                                 storage::TimestampMs now);
Result<storage::RoomEvent, Error> delete_message(storage::Store& store, const storage::Account& actor,
                                                 storage::MessageId message, const std::string& reason,
                                                 storage::TimestampMs now);
Result<storage::RoomEvent, Error> pin_message(storage::Store& store, const storage::Account& actor,
                                              storage::MessageId message, bool pinned, storage::TimestampMs now);
// Each changed setting needs its own permission.
Result<storage::RoomEvent, Error> update_room(storage::Store& store, const storage::Account& actor,
                                              storage::RoomId room, const storage::RoomChanges& changes,
                                              storage::TimestampMs now);

struct RoleChange {
    storage::AccountId account_id = 0;
    std::optional<storage::RoomEvent> joined;  // when the account was not a member yet
};
Result<RoleChange, Error> set_room_role(storage::Store& store, const storage::Account& actor, storage::RoomId room,
                                        const std::string& handle, protocol::RoomRole role, storage::TimestampMs now);

struct IssuedRoomInvite {
    storage::RoomInvite invite;
    std::string code;  // shown once
};
Result<IssuedRoomInvite, Error> create_room_invite(storage::Store& store, const storage::Account& actor,
                                                   storage::RoomId room, int max_uses, int valid_hours,
                                                   storage::TimestampMs now);

// Reports: members report; moderators of the room work the queue.
Result<storage::StoredReport, Error> report_message(storage::Store& store, const storage::Account& actor,
                                                    storage::MessageId message, const std::string& category,
                                                    const std::string& reason, storage::TimestampMs now);
Result<std::vector<storage::StoredReport>, Error> list_reports(storage::Store& store, const storage::Account& actor,
                                                               std::optional<storage::RoomId> room,
                                                               const std::optional<std::string>& status);
// action: "claim", "resolve" or "dismiss".
Result<storage::StoredReport, Error> work_report(storage::Store& store, const storage::Account& actor,
                                                 std::int64_t report, const std::string& action,
                                                 const std::string& outcome, storage::TimestampMs now);

struct AccountBan {
    storage::AccountId account_id = 0;
    std::optional<storage::TimestampMs> until_ms;  // nullopt: for good (or lifted)
    bool lifted = false;
};
// Admins ban an account from the whole service; a null actor is the operator (admin command).
// Sessions are revoked; the hub closes live connections.
Result<AccountBan, Error> ban_account(storage::Store& store, const storage::Account* actor, const std::string& handle,
                                      std::optional<std::int64_t> duration_s, const std::string& reason,
                                      storage::TimestampMs now);

// The audit log: one room's for its moderators, everything for admins.
Result<std::vector<storage::AuditEntry>, Error> read_audit(storage::Store& store, const storage::Account& actor,
                                                           const storage::AuditQuery& query);

}  // namespace vraagbaak::core
