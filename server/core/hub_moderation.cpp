// The hub's moderation handlers. The rules live in moderation.cpp and permissions.cpp; these
// turn requests into calls, results into replies, and announce what the room or the person
// concerned must learn.

#include "core/hub.hpp"
#include "core/hub_connection.hpp"
#include "core/moderation.hpp"
#include "core/visibility.hpp"
#include "storage/store.hpp"

namespace vraagbaak::core {

namespace p = vraagbaak::protocol;
using p::ErrorCode;

bool Hub::may_see_room(const storage::Account& account, const storage::Room& room) {
    if (room.viewer_is_member || account.role == p::Role::admin || account.role == p::Role::moderator) return true;
    switch (room.visibility) {
        case p::Visibility::open: return true;
        case p::Visibility::organisations:
            return account.organisation_id && std::find(room.organisations.begin(), room.organisations.end(),
                                                        *account.organisation_id) != room.organisations.end();
        case p::Visibility::invite: return false;
    }
    return false;
}

void Hub::remove_from_room(std::int64_t room, std::int64_t account, p::RemovedFromRoom event) {
    // Only the removed person hears of it: a member_left to the room would tie a name to the post.
    for (ConnectionId c : connections_of(account)) subscriptions_.unsubscribe(room, c);
    auto frame = make_frame(p::encode_event(event));
    after_reply([this, account, frame] { send_to_account(account, frame); });
}

p::Report Hub::report_view(const storage::StoredReport& r, std::int64_t viewer) {
    p::Report out;
    out.id = r.id;
    out.room_id = r.room_id;
    if (auto m = store_.find_message(r.message_id)) out.message = view_of(*m, viewer, true);
    out.category = r.category;
    out.reason = r.reason;
    out.status = r.status;
    if (r.claimed_by)
        if (auto moderator = store_.find_account(*r.claimed_by)) out.claimed_by = member_of(*moderator);
    out.outcome = r.outcome;
    out.created_ms = r.created_ms;
    return out;
}

Hub::Outcome Hub::handle(ConnectionId, Connection& conn, const p::MuteAuthorRequest& r) {
    auto actor = current_account(conn);
    if (!actor) return fail(p::make_error(ErrorCode::forbidden));
    auto muted = mute_author(store_, *actor, r.message_id, r.duration_s, r.reason, clock_());
    if (!muted) return fail(muted.error());
    return p::ReplyBody{p::MuteAuthorReply{muted->room_id, r.message_id, muted->until_ms.value_or(0)}};
}

Hub::Outcome Hub::handle(ConnectionId, Connection& conn, const p::HideMessageRequest& r) {
    auto actor = current_account(conn);
    if (!actor) return fail(p::make_error(ErrorCode::forbidden));
    auto hidden = hide_message(store_, *actor, r.message_id, r.category, r.reason, clock_());
    if (!hidden) return fail(hidden.error());
    after_reply([this, event = *hidden] { broadcast_event(event); });
    return p::ReplyBody{p::HideMessageReply{hidden->room_id, hidden->message_id}};
}

Hub::Outcome Hub::handle(ConnectionId, Connection& conn, const p::BanAuthorRequest& r) {
    auto actor = current_account(conn);
    if (!actor) return fail(p::make_error(ErrorCode::forbidden));
    auto banned = ban_author(store_, *actor, r.message_id, r.duration_s, r.reason, clock_());
    if (!banned) return fail(banned.error());
    if (!banned->lifted) remove_from_room(banned->room_id, banned->author_id, {banned->room_id, r.reason, banned->until_ms, "ban"});
    return p::ReplyBody{p::BanAuthorReply{banned->room_id, r.message_id, banned->until_ms}};
}

Hub::Outcome Hub::handle(ConnectionId, Connection& conn, const p::KickAuthorRequest& r) {
    auto actor = current_account(conn);
    if (!actor) return fail(p::make_error(ErrorCode::forbidden));
    auto kicked = kick_author(store_, *actor, r.message_id, r.reason, clock_());
    if (!kicked) return fail(kicked.error());
    remove_from_room(kicked->room_id, kicked->author_id, {kicked->room_id, r.reason, std::nullopt, "kick"});
    return p::ReplyBody{p::KickAuthorReply{{kicked->room_id, r.message_id}}};
}

Hub::Outcome Hub::handle(ConnectionId, Connection& conn, const p::UnhideMessageRequest& r) {
    auto actor = current_account(conn);
    if (!actor) return fail(p::make_error(ErrorCode::forbidden));
    auto shown = unhide_message(store_, *actor, r.message_id, r.reason, clock_());
    if (!shown) return fail(shown.error());
    after_reply([this, event = *shown] { broadcast_event(event); });
    return p::ReplyBody{p::UnhideMessageReply{{shown->room_id, r.message_id}}};
}

Hub::Outcome Hub::handle(ConnectionId, Connection& conn, const p::DeleteMessageRequest& r) {
    auto actor = current_account(conn);
    if (!actor) return fail(p::make_error(ErrorCode::forbidden));
    auto deleted = delete_message(store_, *actor, r.message_id, r.reason, clock_());
    if (!deleted) return fail(deleted.error());
    after_reply([this, event = *deleted] { broadcast_event(event); });
    return p::ReplyBody{p::DeleteMessageReply{{deleted->room_id, r.message_id}}};
}

Hub::Outcome Hub::handle(ConnectionId, Connection& conn, const p::PinMessageRequest& r) {
    auto actor = current_account(conn);
    if (!actor) return fail(p::make_error(ErrorCode::forbidden));
    auto pinned = pin_message(store_, *actor, r.message_id, r.pinned, clock_());
    if (!pinned) return fail(pinned.error());
    after_reply([this, event = *pinned] { broadcast_event(event); });
    return p::ReplyBody{p::PinMessageReply{room_view(*store_.find_room(pinned->room_id, actor->id))}};
}

Hub::Outcome Hub::handle(ConnectionId, Connection& conn, const p::UpdateRoomRequest& r) {
    auto actor = current_account(conn);
    if (!actor) return fail(p::make_error(ErrorCode::forbidden));
    storage::RoomChanges changes{r.topic,  r.name,     r.visibility,   r.organisations,  r.allowed_levels,
                                 r.slow_mode_s, r.locked, r.archived, r.privacy_mode, r.retention_days};
    auto updated = update_room(store_, *actor, r.room_id, changes, clock_());
    if (!updated) return fail(updated.error());
    after_reply([this, event = *updated] { broadcast_event(event); });
    return p::ReplyBody{p::UpdateRoomReply{room_view(*store_.find_room(r.room_id, actor->id))}};
}

Hub::Outcome Hub::handle(ConnectionId, Connection& conn, const p::SetRoomRoleRequest& r) {
    auto actor = current_account(conn);
    if (!actor) return fail(p::make_error(ErrorCode::forbidden));
    auto changed = set_room_role(store_, *actor, r.room_id, r.handle, r.role, clock_());
    if (!changed) return fail(changed.error());
    if (changed->joined) {
        for (ConnectionId c : connections_of(changed->account_id)) subscriptions_.subscribe(r.room_id, c);
        after_reply([this, event = *changed->joined] { broadcast_event(event); });
    }
    return p::ReplyBody{p::SetRoomRoleReply{r.room_id, r.handle, r.role}};
}

Hub::Outcome Hub::handle(ConnectionId, Connection& conn, const p::CreateRoomInviteRequest& r) {
    auto actor = current_account(conn);
    if (!actor) return fail(p::make_error(ErrorCode::forbidden));
    auto issued = create_room_invite(store_, *actor, r.room_id, r.max_uses, r.valid_hours, clock_());
    if (!issued) return fail(issued.error());
    return p::ReplyBody{p::CreateRoomInviteReply{r.room_id, issued->code, r.max_uses, issued->invite.expires_ms}};
}

Hub::Outcome Hub::handle(ConnectionId, Connection& conn, const p::BanAccountRequest& r) {
    auto actor = current_account(conn);
    if (!actor) return fail(p::make_error(ErrorCode::forbidden));
    auto banned = ban_account(store_, &*actor, r.handle, r.duration_s, r.reason, clock_());
    if (!banned) return fail(banned.error());
    if (!banned->lifted) {
        // Live connections end now; the sessions are revoked already.
        std::vector<ConnectionId> gone = connections_of(banned->account_id);
        after_reply([this, gone] {
            for (ConnectionId c : gone)
                if (auto it = connections_.find(c); it != connections_.end())
                    if (auto peer = it->second.peer.lock()) peer->close(CloseCode::policy_violation, "banned");
        });
    }
    return p::ReplyBody{p::BanAccountReply{r.handle, banned->until_ms, banned->lifted}};
}

Hub::Outcome Hub::handle(ConnectionId, Connection& conn, const p::ReportRequest& r) {
    auto actor = current_account(conn);
    if (!actor) return fail(p::make_error(ErrorCode::forbidden));
    auto report = report_message(store_, *actor, r.message_id, r.category, r.reason, clock_());
    if (!report) return fail(report.error());
    return p::ReplyBody{p::ReportReply{report->id}};
}

Hub::Outcome Hub::handle(ConnectionId, Connection& conn, const p::ListReportsRequest& r) {
    auto actor = current_account(conn);
    if (!actor) return fail(p::make_error(ErrorCode::forbidden));
    auto reports = list_reports(store_, *actor, r.room_id, r.status);
    if (!reports) return fail(reports.error());
    p::ListReportsReply reply;
    for (const auto& x : *reports) reply.reports.push_back(report_view(x, actor->id));
    return p::ReplyBody{std::move(reply)};
}

Hub::Outcome Hub::handle(ConnectionId, Connection& conn, const p::ClaimReportRequest& r) {
    auto actor = current_account(conn);
    if (!actor) return fail(p::make_error(ErrorCode::forbidden));
    auto report = work_report(store_, *actor, r.report_id, "claim", "", clock_());
    if (!report) return fail(report.error());
    return p::ReplyBody{p::ClaimReportReply{{report_view(*report, actor->id)}}};
}

Hub::Outcome Hub::handle(ConnectionId, Connection& conn, const p::ResolveReportRequest& r) {
    auto actor = current_account(conn);
    if (!actor) return fail(p::make_error(ErrorCode::forbidden));
    auto report = work_report(store_, *actor, r.report_id, "resolve", r.outcome, clock_());
    if (!report) return fail(report.error());
    return p::ReplyBody{p::ResolveReportReply{{report_view(*report, actor->id)}}};
}

Hub::Outcome Hub::handle(ConnectionId, Connection& conn, const p::DismissReportRequest& r) {
    auto actor = current_account(conn);
    if (!actor) return fail(p::make_error(ErrorCode::forbidden));
    auto report = work_report(store_, *actor, r.report_id, "dismiss", r.outcome, clock_());
    if (!report) return fail(report.error());
    return p::ReplyBody{p::DismissReportReply{{report_view(*report, actor->id)}}};
}

Hub::Outcome Hub::handle(ConnectionId, Connection& conn, const p::AuditRequest& r) {
    auto actor = current_account(conn);
    if (!actor) return fail(p::make_error(ErrorCode::forbidden));
    storage::AuditQuery query{r.room_id, r.before, r.limit + 1};  // one more tells has_more
    auto entries = read_audit(store_, *actor, query);
    if (!entries) return fail(entries.error());
    p::AuditReply reply;
    reply.has_more = static_cast<int>(entries->size()) > r.limit;
    if (reply.has_more) entries->pop_back();
    for (const auto& e : *entries) {
        p::AuditRecord record{e.id, e.ts_ms, std::nullopt, e.action, e.target, e.room_id, e.reason};
        if (e.actor_id)
            if (auto who = store_.find_account(*e.actor_id)) record.actor = member_of(*who);
        reply.entries.push_back(std::move(record));
    }
    return p::ReplyBody{std::move(reply)};
}

Hub::Outcome Hub::handle(ConnectionId, Connection& conn, const p::ExportMyDataRequest&) {
    auto data = store_.export_account(conn.account->id);
    if (!data) return fail(p::make_error(ErrorCode::internal_error));
    return p::ReplyBody{export_view(*data)};
}

}  // namespace vraagbaak::core
