// The terminal client's moderator commands: reports and the queue, hiding, deleting, kicks,
// lifting sanctions, room settings, pins, roles and the audit log.

#include <nlohmann/json.hpp>
#include <ostream>

#include "render.hpp"
#include "session.hpp"

namespace vraagbaak::client {

namespace p = vraagbaak::protocol;

std::optional<p::RoomId> Session::current_or_complain() {
    if (!current_room_) err_ << tr(options_.lang, "no_current_room") << "\n";
    return current_room_;
}

void Session::moderate(const CmdHide& cmd) {
    request(p::HideMessageRequest{cmd.message_id, cmd.reason, cmd.category},
            on_success<p::HideMessageReply>([this](const auto& r) {
                if (!options_.json) emit(tr(options_.lang, "hid", {std::to_string(r.message_id)}));
            }));
}

void Session::moderate(const CmdModerate& cmd) {
    const Lang lang = options_.lang;
    auto done = [this, lang, action = cmd.action](p::RoomId room, p::MessageId message) {
        if (!options_.json) emit(tr(lang, "moderated." + action, {std::to_string(message), room_name(room)}));
    };
    if (cmd.action == "unhide")
        request(p::UnhideMessageRequest{cmd.message_id, cmd.reason},
                on_success<p::UnhideMessageReply>([done](const auto& r) { done(r.room_id, r.message_id); }));
    else if (cmd.action == "delete")
        request(p::DeleteMessageRequest{cmd.message_id, cmd.reason},
                on_success<p::DeleteMessageReply>([done](const auto& r) { done(r.room_id, r.message_id); }));
    else if (cmd.action == "kick")
        request(p::KickAuthorRequest{cmd.message_id, cmd.reason},
                on_success<p::KickAuthorReply>([done](const auto& r) { done(r.room_id, r.message_id); }));
    else if (cmd.action == "unmute")
        request(p::MuteAuthorRequest{cmd.message_id, 0, cmd.reason},
                on_success<p::MuteAuthorReply>([done](const auto& r) { done(r.room_id, r.message_id); }));
    else  // unban
        request(p::BanAuthorRequest{cmd.message_id, 0, cmd.reason},
                on_success<p::BanAuthorReply>([done](const auto& r) { done(r.room_id, r.message_id); }));
}

void Session::moderate(const CmdReport& cmd) {
    request(p::ReportRequest{cmd.message_id, cmd.category, cmd.reason},
            on_success<p::ReportReply>([this](const auto& r) {
                if (!options_.json) emit(tr(options_.lang, "reported", {std::to_string(r.report_id)}));
            }));
}

void Session::moderate(const CmdQueue& cmd) {
    std::optional<std::string> status;
    if (!cmd.status.empty()) status = cmd.status;
    request(p::ListReportsRequest{current_room_, status}, on_success<p::ListReportsReply>([this](const auto& r) {
                if (options_.json) return;
                const Lang lang = options_.lang;
                if (r.reports.empty()) return emit(tr(lang, "queue_empty"));
                emit(tr(lang, "queue_header", {std::to_string(r.reports.size())}));
                for (const auto& x : r.reports) {
                    std::string claimed = x.claimed_by ? tr(lang, "queue_claimed", {sanitize(x.claimed_by->handle, true)}) : "";
                    emit(tr(lang, "queue_line", {std::to_string(x.id), x.status, x.category, std::to_string(x.message.id),
                                                 room_name(x.room_id), sanitize(x.reason, true), claimed}));
                    emit("    " + render_message(lang, x.message, room_name(x.room_id), true));
                }
            }));
}

void Session::moderate(const CmdWorkReport& cmd) {
    auto show = [this, action = cmd.action](const p::Report& report) {
        if (!options_.json) emit(tr(options_.lang, "report_" + action, {std::to_string(report.id)}));
    };
    if (cmd.action == "claim")
        request(p::ClaimReportRequest{cmd.report_id},
                on_success<p::ClaimReportReply>([show](const auto& r) { show(r.report); }));
    else if (cmd.action == "resolve")
        request(p::ResolveReportRequest{cmd.report_id, cmd.outcome},
                on_success<p::ResolveReportReply>([show](const auto& r) { show(r.report); }));
    else
        request(p::DismissReportRequest{cmd.report_id, cmd.outcome},
                on_success<p::DismissReportReply>([show](const auto& r) { show(r.report); }));
}

void Session::moderate(const CmdRoomSetting& cmd) {
    auto room = current_or_complain();
    if (!room) return;
    p::UpdateRoomRequest update{*room};
    update.locked = cmd.locked;
    update.slow_mode_s = cmd.slow_mode_s;
    update.archived = cmd.archived;
    request(std::move(update), on_success<p::UpdateRoomReply>([this](const auto& r) {
                if (!options_.json) emit(render_room_settings(options_.lang, r.room));
            }));
}

void Session::moderate(const CmdPin& cmd) {
    request(p::PinMessageRequest{cmd.message_id, cmd.pinned}, on_success<p::PinMessageReply>([this](const auto& r) {
                if (!options_.json) emit(render_room_settings(options_.lang, r.room));
            }));
}

void Session::moderate(const CmdAudit& cmd) {
    p::AuditRequest audit;
    if (!cmd.all) {
        audit.room_id = current_or_complain();
        if (!audit.room_id) return;
    }
    audit.limit = cmd.limit;
    request(std::move(audit), on_success<p::AuditReply>([this](const auto& r) {
                if (options_.json) return;
                const Lang lang = options_.lang;
                if (r.entries.empty()) return emit(tr(lang, "audit_empty"));
                for (const auto& e : r.entries)
                    emit(tr(lang, "audit_line", {format_time(e.ts_ms), e.actor ? "@" + sanitize(e.actor->handle, true) : "operator",
                                                 sanitize(e.action, true), sanitize(e.target, true), sanitize(e.reason, true)}));
            }));
}

void Session::moderate(const CmdRole& cmd) {
    auto room = current_or_complain();
    if (!room) return;
    auto role = p::room_role_from_string(cmd.role);
    if (!role) return;
    request(p::SetRoomRoleRequest{*room, cmd.handle, *role}, on_success<p::SetRoomRoleReply>([this](const auto& r) {
                if (!options_.json)
                    emit(tr(options_.lang, "role_set", {sanitize(r.handle, true), std::string(p::to_string(r.role)),
                                                        room_name(r.room_id)}));
            }));
}

void Session::moderate(const CmdExport&) {
    // The raw result, as JSON: it is meant to be saved (vraagbaak … <<< /export > mijn-gegevens.json).
    request(p::ExportMyDataRequest{}, [this](const p::ReplyFrame& reply) {
        if (const auto* error = std::get_if<p::Error>(&reply.outcome)) return report_error(*error);
        if (options_.json) return;
        const auto frame = nlohmann::json::parse(p::encode_reply("export", std::get<p::ReplyBody>(reply.outcome)));
        emit(frame["result"].dump(2));
    });
}

}  // namespace vraagbaak::client
