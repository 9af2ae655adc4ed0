#include "core/moderation.hpp"

#include <algorithm>
#include <climits>

#include "core/secrets.hpp"
#include "storage/store.hpp"

namespace vraagbaak::core {

using protocol::ErrorCode;
using protocol::make_error;
using protocol::Role;
using storage::TimestampMs;

namespace {

std::string message_target(storage::MessageId id) { return "message:" + std::to_string(id); }

Error forbidden(RoomPermission permission) {
    for (const auto& rule : permission_table())
        if (rule.permission == permission)
            return make_error(ErrorCode::forbidden, "'" + std::string(rule.name) + "' needs the room role " +
                                                        std::string(to_string(rule.minimum)) + " or higher");
    return make_error(ErrorCode::forbidden);
}

struct Target {
    storage::Message message;
    RoomRank rank = RoomRank::none;
};

// The message and the actor's rank in its room. A message in a room the actor has no part in is
// "not found": its existence is not theirs to learn.
Result<Target, Error> target_message(storage::Store& store, const storage::Account& actor, storage::MessageId id,
                                     RoomPermission needed) {
    auto message = store.find_message(id);
    if (!message) return fail(make_error(ErrorCode::message_not_found, {}, "message_id"));
    RoomRank rank = rank_of(store, actor, message->room_id);
    if (rank == RoomRank::none) return fail(make_error(ErrorCode::message_not_found, {}, "message_id"));
    if (!allows(rank, needed)) return fail(forbidden(needed));
    return Target{*message, rank};
}

std::string with_duration(const std::string& reason, std::optional<std::int64_t> duration_s) {
    return reason + (duration_s ? " (" + std::to_string(*duration_s) + " s)" : " (for good)");
}

}  // namespace

RoomRank rank_of(storage::Store& store, const storage::Account& actor, storage::RoomId room) {
    return rank_in_room(actor.role, store.room_role(room, actor.id));
}

Result<Sanction, Error> mute_author(storage::Store& store, const storage::Account& actor, storage::MessageId id,
                                   std::int64_t duration_s, const std::string& reason, TimestampMs now) {
    auto target = target_message(store, actor, id, RoomPermission::mute);
    if (!target) return fail(target.error());
    const auto& m = target->message;
    const TimestampMs until = now + duration_s * 1000;
    store.set_mute(m.room_id, m.author.id, until);
    // The target is the message, never the account: moderators read this log too.
    store.append_audit({0, now, actor.id, duration_s == 0 ? "unmute" : "mute", message_target(id),
                        duration_s == 0 ? reason : with_duration(reason, duration_s), m.room_id});
    return Sanction{m.room_id, until, m.author.id, duration_s == 0};
}

Result<Sanction, Error> ban_author(storage::Store& store, const storage::Account& actor, storage::MessageId id,
                                  std::optional<std::int64_t> duration_s, const std::string& reason,
                                  TimestampMs now) {
    auto target = target_message(store, actor, id, RoomPermission::ban);
    if (!target) return fail(target.error());
    const auto& m = target->message;
    if (duration_s && *duration_s == 0) {
        store.set_ban(m.room_id, m.author.id, now);
        store.append_audit({0, now, actor.id, "unban", message_target(id), reason, m.room_id});
        return Sanction{m.room_id, now, m.author.id, true};
    }
    std::optional<TimestampMs> until;
    if (duration_s) until = now + *duration_s * 1000;
    store.set_ban(m.room_id, m.author.id, until.value_or(INT64_MAX));
    store.remove_member(m.room_id, m.author.id);
    store.append_audit({0, now, actor.id, "ban", message_target(id), with_duration(reason, duration_s), m.room_id});
    return Sanction{m.room_id, until, m.author.id, false};
}

Result<Sanction, Error> kick_author(storage::Store& store, const storage::Account& actor, storage::MessageId id,
                                   const std::string& reason, TimestampMs now) {
    auto target = target_message(store, actor, id, RoomPermission::kick);
    if (!target) return fail(target.error());
    const auto& m = target->message;
    store.remove_member(m.room_id, m.author.id);
    store.append_audit({0, now, actor.id, "kick", message_target(id), reason, m.room_id});
    return Sanction{m.room_id, std::nullopt, m.author.id, false};
}

Result<storage::RoomEvent, Error> hide_message(storage::Store& store, const storage::Account& actor,
                                               storage::MessageId id, const std::string& category,
                                               const std::string& reason, TimestampMs now) {
    auto target = target_message(store, actor, id, RoomPermission::hide);
    if (!target) return fail(target.error());
    if (target->message.hidden_reason == "deleted")
        return fail(make_error(ErrorCode::message_not_found, "the message was deleted", "message_id"));
    auto hidden = store.hide_message(id, category, now);
    if (!hidden) return fail(make_error(ErrorCode::message_not_found, {}, "message_id"));
    store.append_audit({0, now, actor.id, "hide", message_target(id), category + ": " + reason, hidden->room_id});
    return *hidden;
}

Result<storage::RoomEvent, Error> unhide_message(storage::Store& store, const storage::Account& actor,
                                                 storage::MessageId id, const std::string& reason, TimestampMs now) {
    auto target = target_message(store, actor, id, RoomPermission::hide);
    if (!target) return fail(target.error());
    if (!target->message.hidden_reason)
        return fail(make_error(ErrorCode::invalid_field, "the message is not hidden", "message_id"));
    if (*target->message.hidden_reason == "deleted")
        return fail(make_error(ErrorCode::invalid_field, "a deleted message cannot be shown again", "message_id"));
    auto shown = store.unhide_message(id, now);
    if (!shown) return fail(make_error(ErrorCode::message_not_found, {}, "message_id"));
    store.append_audit({0, now, actor.id, "unhide", message_target(id), reason, shown->room_id});
    return *shown;
}

Result<storage::RoomEvent, Error> delete_message(storage::Store& store, const storage::Account& actor,
                                                 storage::MessageId id, const std::string& reason, TimestampMs now) {
    auto target = target_message(store, actor, id, RoomPermission::delete_message);
    if (!target) return fail(target.error());
    auto deleted = store.delete_message(id, now);
    if (!deleted) return fail(make_error(ErrorCode::message_not_found, {}, "message_id"));
    store.append_audit({0, now, actor.id, "delete", message_target(id), reason, deleted->room_id});
    return *deleted;
}

Result<storage::RoomEvent, Error> pin_message(storage::Store& store, const storage::Account& actor,
                                              storage::MessageId id, bool pinned, TimestampMs now) {
    auto target = target_message(store, actor, id, RoomPermission::pin);
    if (!target) return fail(target.error());
    auto event = store.set_pinned(id, pinned, now);
    if (!event) return fail(make_error(ErrorCode::message_not_found, {}, "message_id"));
    store.append_audit({0, now, actor.id, pinned ? "pin" : "unpin", message_target(id), "", event->room_id});
    return *event;
}

Result<storage::RoomEvent, Error> update_room(storage::Store& store, const storage::Account& actor,
                                              storage::RoomId room, const storage::RoomChanges& c, TimestampMs now) {
    if (!store.find_room(room, std::nullopt)) return fail(make_error(ErrorCode::room_not_found, {}, "room_id"));
    const RoomRank rank = rank_of(store, actor, room);
    if (rank == RoomRank::none) return fail(make_error(ErrorCode::not_member));
    std::string summary;
    auto need = [&](bool changing, RoomPermission p, const char* what) -> std::optional<Error> {
        if (!changing) return std::nullopt;
        if (!allows(rank, p)) return forbidden(p);
        summary += summary.empty() ? what : std::string(", ") + what;
        return std::nullopt;
    };
    for (auto check : {need(c.topic.has_value(), RoomPermission::set_topic, "topic"),
                       need(c.name.has_value(), RoomPermission::rename, "name"),
                       need(c.privacy_mode || c.retention_days, RoomPermission::set_privacy, "privacy"),
                       need(c.visibility || c.organisations, RoomPermission::set_visibility, "visibility"),
                       need(c.allowed_levels.has_value(), RoomPermission::set_levels, "allowed_levels"),
                       need(c.slow_mode_s.has_value(), RoomPermission::set_slow_mode, "slow_mode"),
                       need(c.locked.has_value(), RoomPermission::lock, c.locked && *c.locked ? "locked" : "unlocked"),
                       need(c.archived.has_value(), RoomPermission::archive,
                            c.archived && *c.archived ? "archived" : "unarchived")})
        if (check) return fail(*check);
    if (summary.empty()) return fail(make_error(ErrorCode::invalid_field, "nothing to change"));
    if (c.allowed_levels && c.allowed_levels->empty())
        return fail(make_error(ErrorCode::invalid_field, "at least one level", "allowed_levels"));
    if (c.organisations)
        for (auto org : *c.organisations)
            if (!store.find_organisation(org))
                return fail(make_error(ErrorCode::organisation_not_found, "no organisation " + std::to_string(org),
                                       "organisations"));
    auto event = store.update_room(room, c, now);
    if (!event) return fail(make_error(ErrorCode::room_exists, {}, "name"));
    store.append_audit({0, now, actor.id, "room_updated", "room:" + std::to_string(room), summary, room});
    return *event;
}

Result<RoleChange, Error> set_room_role(storage::Store& store, const storage::Account& actor, storage::RoomId room,
                                        const std::string& handle, protocol::RoomRole role, TimestampMs now) {
    if (!store.find_room(room, std::nullopt)) return fail(make_error(ErrorCode::room_not_found, {}, "room_id"));
    const RoomRank rank = rank_of(store, actor, room);
    if (rank == RoomRank::none) return fail(make_error(ErrorCode::not_member));
    const RoomPermission needed = permission_to_assign(role);
    if (!allows(rank, needed)) return fail(forbidden(needed));
    auto account = store.find_account_by_handle(handle);
    if (!account) return fail(make_error(ErrorCode::account_not_found, {}, "handle"));
    // Nobody changes the role of someone who ranks above them in the room.
    if (auto current = store.room_role(room, account->id);
        current && rank_in_room(Role::member, current) > rank)
        return fail(make_error(ErrorCode::forbidden, "their room role ranks above yours"));
    auto joined = store.set_room_role(room, account->id, role, now);
    store.append_audit({0, now, actor.id, "room_role_set", "account:" + std::to_string(account->id),
                        std::string(protocol::to_string(role)), room});
    return RoleChange{account->id, joined};
}

Result<IssuedRoomInvite, Error> create_room_invite(storage::Store& store, const storage::Account& actor,
                                                   storage::RoomId room, int max_uses, int valid_hours,
                                                   TimestampMs now) {
    if (!store.find_room(room, std::nullopt)) return fail(make_error(ErrorCode::room_not_found, {}, "room_id"));
    const RoomRank rank = rank_of(store, actor, room);
    if (rank == RoomRank::none) return fail(make_error(ErrorCode::not_member));
    if (!allows(rank, RoomPermission::create_room_invite)) return fail(forbidden(RoomPermission::create_room_invite));
    std::string code = new_secret();
    auto invite = store.create_room_invite(room, secret_hash(code), max_uses,
                                           now + std::int64_t{valid_hours} * 3600 * 1000, actor.id, now);
    store.append_audit({0, now, actor.id, "room_invite_created", "room_invite:" + std::to_string(invite.id),
                        std::to_string(max_uses) + " uses", room});
    return IssuedRoomInvite{invite, code};
}

Result<storage::StoredReport, Error> report_message(storage::Store& store, const storage::Account& actor,
                                                    storage::MessageId id, const std::string& category,
                                                    const std::string& reason, TimestampMs now) {
    auto target = target_message(store, actor, id, RoomPermission::report);
    if (!target) return fail(target.error());
    // Not audited: the audit log is read by moderators, and a report must not be traceable to
    // its reporter by anyone but the server.
    storage::StoredReport report;
    report.room_id = target->message.room_id;
    report.message_id = id;
    report.reporter_id = actor.id;
    report.category = category;
    report.reason = reason;
    report.created_ms = now;
    return store.create_report(report);
}

Result<std::vector<storage::StoredReport>, Error> list_reports(storage::Store& store, const storage::Account& actor,
                                                               std::optional<storage::RoomId> room,
                                                               const std::optional<std::string>& status) {
    if (room) {
        if (!store.find_room(*room, std::nullopt)) return fail(make_error(ErrorCode::room_not_found, {}, "room_id"));
        if (!allows(rank_of(store, actor, *room), RoomPermission::handle_reports))
            return fail(forbidden(RoomPermission::handle_reports));
        return store.list_reports(std::vector<storage::RoomId>{*room}, status);
    }
    if (actor.role == Role::admin || actor.role == Role::moderator) return store.list_reports(std::nullopt, status);
    std::vector<storage::RoomId> rooms;
    for (auto r : store.rooms_of(actor.id))
        if (allows(rank_of(store, actor, r), RoomPermission::handle_reports)) rooms.push_back(r);
    if (rooms.empty()) return fail(forbidden(RoomPermission::handle_reports));
    return store.list_reports(rooms, status);
}

Result<storage::StoredReport, Error> work_report(storage::Store& store, const storage::Account& actor,
                                                 std::int64_t id, const std::string& action,
                                                 const std::string& outcome, TimestampMs now) {
    auto report = store.find_report(id);
    if (!report) return fail(make_error(ErrorCode::report_not_found, {}, "report_id"));
    const RoomRank rank = rank_of(store, actor, report->room_id);
    if (rank == RoomRank::none) return fail(make_error(ErrorCode::report_not_found, {}, "report_id"));
    if (!allows(rank, RoomPermission::handle_reports)) return fail(forbidden(RoomPermission::handle_reports));
    if (report->status == "resolved" || report->status == "dismissed")
        return fail(make_error(ErrorCode::invalid_field, "the report is " + report->status + " already", "report_id"));
    if (action == "claim") {
        report->status = "claimed";
        report->claimed_by = actor.id;
    } else {
        report->status = action == "resolve" ? "resolved" : "dismissed";
        report->outcome = outcome;
        if (!report->claimed_by) report->claimed_by = actor.id;
    }
    store.update_report(id, report->status, report->claimed_by, report->outcome, now);
    store.append_audit({0, now, actor.id, "report_" + report->status, "report:" + std::to_string(id),
                        report->outcome, report->room_id});
    return *report;
}

Result<AccountBan, Error> ban_account(storage::Store& store, const storage::Account* actor, const std::string& handle,
                                      std::optional<std::int64_t> duration_s, const std::string& reason,
                                      TimestampMs now) {
    if (actor && actor->role != Role::admin)
        return fail(make_error(ErrorCode::forbidden, "only admins ban from the whole service"));
    auto account = store.find_account_by_handle(handle);
    if (!account) return fail(make_error(ErrorCode::account_not_found, {}, "handle"));
    if (actor && actor->id == account->id) return fail(make_error(ErrorCode::forbidden, "you cannot ban yourself"));
    const std::optional<storage::AccountId> actor_id = actor ? std::optional(actor->id) : std::nullopt;
    if (duration_s && *duration_s == 0) {
        store.set_banned_until(account->id, std::nullopt);
        store.append_audit({0, now, actor_id, "account_unbanned", "account:" + std::to_string(account->id), reason});
        return AccountBan{account->id, std::nullopt, true};
    }
    std::optional<TimestampMs> until;
    if (duration_s) until = now + *duration_s * 1000;
    store.set_banned_until(account->id, until.value_or(INT64_MAX));
    store.revoke_sessions_of(account->id);
    store.append_audit({0, now, actor_id, "account_banned", "account:" + std::to_string(account->id), with_duration(reason, duration_s)});
    return AccountBan{account->id, until, false};
}

Result<std::vector<storage::AuditEntry>, Error> read_audit(storage::Store& store, const storage::Account& actor,
                                                           const storage::AuditQuery& query) {
    if (query.room_id) {
        if (!store.find_room(*query.room_id, std::nullopt))
            return fail(make_error(ErrorCode::room_not_found, {}, "room_id"));
        if (!allows(rank_of(store, actor, *query.room_id), RoomPermission::read_audit))
            return fail(forbidden(RoomPermission::read_audit));
    } else if (actor.role != Role::admin) {
        return fail(make_error(ErrorCode::forbidden, "only admins read the whole audit log; moderators give a room_id"));
    }
    return store.list_audit(query);
}

}  // namespace vraagbaak::core
