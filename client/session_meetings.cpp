// The terminal client's network meetings: listing, scheduling and signing up for sessions,
// running them (organisers), their phases as they change, a countdown in the prompt, attendance
// and summaries.

#include <chrono>
#include <fstream>
#include <ostream>

#include "render.hpp"
#include "session.hpp"
#include "terminal.hpp"

namespace vraagbaak::client {

namespace p = vraagbaak::protocol;

namespace {

// "4:05" or "1:02:03".
std::string clock_text(std::int64_t ms) {
    const std::int64_t s = std::max<std::int64_t>(0, (ms + 999) / 1000);
    const auto two = [](std::int64_t n) { return (n < 10 ? "0" : "") + std::to_string(n); };
    if (s >= 3600) return std::to_string(s / 3600) + ":" + two(s / 60 % 60) + ":" + two(s % 60);
    return std::to_string(s / 60) + ":" + two(s % 60);
}

std::string allowed_text(Lang lang, const p::SessionStep& step) {
    std::string out;
    for (const auto& rule : step.allow)
        for (const auto& kind : rule.kinds) out += (out.empty() ? "" : ", ") + kind + " (" + tr(lang, "who." + rule.who) + ")";
    return out.empty() ? tr(lang, "session_allows_nothing") : tr(lang, "session_allows", {out});
}

std::string ids_text(const std::vector<p::MessageId>& ids) {
    std::string out;
    for (auto id : ids) out += (out.empty() ? "" : ", ") + std::to_string(id);
    return out.empty() ? "-" : out;
}

}  // namespace

std::optional<p::SessionId> Session::session_or_complain(std::optional<long long> id) {
    if (id) return *id;
    if (current_room_)
        if (auto it = sessions_.find(*current_room_); it != sessions_.end()) return it->second.id;
    err_ << tr(options_.lang, "no_session") << "\n";
    return std::nullopt;
}

void Session::remember(const p::Session& s) {
    auto& known = sessions_[s.room_id];
    // A room's running session wins over one merely scheduled or listed later.
    if (known.id != 0 && known.id != s.id && known.status == "running" && s.status != "running") return;
    known = s;
    if (s.step) phase_deadline_[s.id] = std::chrono::steady_clock::now() + std::chrono::milliseconds(s.time_left_ms);
    else phase_deadline_.erase(s.id);
    if (editor_) editor_->set_prompt(prompt());
}

std::string Session::phase_status() const {
    if (!current_room_) return {};
    auto it = sessions_.find(*current_room_);
    if (it == sessions_.end() || !it->second.step) return {};
    auto deadline = phase_deadline_.find(it->second.id);
    if (deadline == phase_deadline_.end()) return {};
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline->second - std::chrono::steady_clock::now());
    const auto& step = it->second.steps.at(static_cast<std::size_t>(*it->second.step));
    return "[" + step.phase + " " + clock_text(left.count()) + "] ";
}

void Session::show_phase(const p::Session& s) {
    if (options_.json) return;
    const Lang lang = options_.lang;
    if (s.status == "ended") return emit(tr(lang, "session_ended", {std::to_string(s.id), ids_text(s.summaries)}));
    if (!s.step) return;
    const auto& step = s.steps.at(static_cast<std::size_t>(*s.step));
    emit(tr(lang, "session_phase",
            {std::to_string(s.id), std::to_string(*s.step + 1), std::to_string(s.steps.size()), sanitize(step.title, true),
             std::to_string(step.case_id), step.sealed ? tr(lang, "session_sealed") : std::string(),
             clock_text(s.time_left_ms), allowed_text(lang, step)}));
}

void Session::show_session(const p::Session& s) {
    const Lang lang = options_.lang;
    emit(tr(lang, "session_line",
            {std::to_string(s.id), sanitize(s.title, true), s.method, format_time(s.starts_ms),
             std::to_string(s.planned_minutes), tr(lang, "status." + s.status), std::to_string(s.signed_up),
             s.me_signed_up ? tr(lang, "session_you") : std::string()}));
    for (const auto& c : s.follow_ups)
        emit(tr(lang, "session_follow_up", {std::to_string(c.id), sanitize(c.title, true), c.mine ? tr(lang, "session_mine") : ""}));
    for (const auto& c : s.agenda)
        emit(tr(lang, "session_agenda", {std::to_string(c.id), sanitize(c.title, true), c.mine ? tr(lang, "session_mine") : ""}));
}

bool Session::on_meeting_event(const p::Event& event) {
    if (const auto* updated = std::get_if<p::SessionUpdated>(&event)) {
        remember(updated->session);
        if (updated->session.status == "scheduled") {
            if (!options_.json) show_session(updated->session);
        } else {
            show_phase(updated->session);
        }
        return true;
    }
    if (const auto* state = std::get_if<p::SessionState>(&event)) {
        remember(state->session);
        show_phase(state->session);
        if (!options_.json) {
            emit(tr(options_.lang, "session_said", {std::to_string(state->messages.size())}));
            for (const auto& m : state->messages) emit(render_message(options_.lang, m, room_name(m.room_id), false));
        }
        return true;
    }
    if (const auto* ending = std::get_if<p::PhaseEnding>(&event)) {
        if (!options_.json)
            emit(tr(options_.lang, "phase_ending", {std::to_string(ending->session_id), clock_text(ending->time_left_ms)}));
        return true;
    }
    return false;
}

void Session::meet(const CmdSessions& cmd) {
    auto room = current_or_complain();
    if (!room) return;
    request(p::ListSessionsRequest{*room, cmd.all}, on_success<p::ListSessionsReply>([this](const auto& r) {
                for (const auto& s : r.sessions)
                    if (s.status != "ended") remember(s);
                if (options_.json) return;
                if (r.sessions.empty()) return emit(tr(options_.lang, "no_sessions"));
                for (const auto& s : r.sessions) show_session(s);
            }));
}

void Session::meet(const CmdSchedule& cmd) {
    auto room = current_or_complain();
    if (!room) return;
    const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                         std::chrono::system_clock::now().time_since_epoch()).count();
    p::ScheduleSessionRequest req{*room, cmd.title, resolve_start(cmd.when, now).value_or(now), cmd.minutes, cmd.method,
                                  {cmd.case_ids.begin(), cmd.case_ids.end()}, cmd.auto_advance, cmd.follow_up};
    request(req, on_success<p::ScheduleSessionReply>([this](const auto& r) {
                remember(r.session);
                if (options_.json) return;
                emit(tr(options_.lang, "session_scheduled", {std::to_string(r.session.id), room_name(r.session.room_id)}));
                show_session(r.session);
            }));
}

void Session::meet(const CmdSignUp& cmd) {
    request(p::SignUpRequest{cmd.session_id, cmd.cancel}, on_success<p::SignUpReply>([this, cancel = cmd.cancel](const auto& r) {
                remember(r.session);
                if (!options_.json)
                    emit(tr(options_.lang, cancel ? "signed_off" : "signed_up", {std::to_string(r.session.id)}));
            }));
}

void Session::meet(const CmdControl& cmd) {
    auto id = session_or_complain(cmd.session_id);
    if (!id) return;
    // The room hears of the change as session_updated; the reply only updates what we know.
    request(p::ControlSessionRequest{*id, cmd.action, cmd.extend_s},
            on_success<p::ControlSessionReply>([this](const auto& r) { remember(r.session); }));
}

void Session::meet(const CmdAllow& cmd) {
    auto id = session_or_complain(std::nullopt);
    if (!id) return;
    std::optional<std::string> handle;
    if (!cmd.handle.empty()) handle = cmd.handle;
    request(p::AllowPostRequest{*id, handle, cmd.message_id}, on_success<p::AllowPostReply>([this](const auto& r) {
                if (!options_.json) emit(tr(options_.lang, "allowed_post", {std::to_string(r.session_id)}));
            }));
}

void Session::meet(const CmdAttendance& cmd) {
    auto id = session_or_complain(cmd.session_id);
    if (!id) return;
    request(p::SessionAttendanceRequest{*id}, on_success<p::SessionAttendanceReply>([this](const auto& r) {
                if (options_.json) return;
                const Lang lang = options_.lang;
                emit(tr(lang, "attendance_header", {std::to_string(r.session_id), std::to_string(r.attendees.size()),
                                                     std::to_string(r.anonymous)}));
                for (const auto& a : r.attendees)
                    emit(tr(lang, "attendance_line",
                            {render_author(lang, {p::Anonymity::named, a.member.account_id, a.member.handle,
                                                  a.member.display_name, a.member.organisation, {}},
                                           false),
                             a.signed_up ? tr(lang, "attendance_signed") : std::string()}));
            }));
}

void Session::meet(const CmdSummary& cmd) {
    request(p::GetSummaryRequest{cmd.session_id, cmd.case_id},
            on_success<p::GetSummaryReply>([this, file = cmd.file](const auto& r) {
                if (file.empty()) {
                    // The Markdown as it is: it is the point of the command, even with --json.
                    if (!options_.json) emit(sanitize(r.markdown, false));
                    return;
                }
                std::ofstream out(file);
                out << r.markdown;
                if (!options_.json) emit(tr(options_.lang, out ? "summary_saved" : "summary_not_saved", {file}));
            }));
}

void Session::meet(const CmdShowSession& cmd) {
    auto id = session_or_complain(cmd.session_id);
    if (!id) return;
    request(p::GetSessionRequest{*id}, on_success<p::GetSessionReply>([this](const auto& r) {
                remember(r.session);
                if (options_.json) return;
                show_session(r.session);
                show_phase(r.session);
                for (const auto& m : r.messages) emit(render_message(options_.lang, m, room_name(m.room_id), false));
            }));
}

}  // namespace vraagbaak::client
