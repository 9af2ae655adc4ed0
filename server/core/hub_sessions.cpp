// The hub's network meetings: scheduling, signing up, running a session through the phases of
// its method (the server keeps the clock), enforcing each phase on posts, sealed phases, and
// the summaries at the end. See hub.hpp for the threading model.

#include <algorithm>

#include "core/hub.hpp"
#include "core/hub_connection.hpp"
#include "core/moderation.hpp"
#include "core/permissions.hpp"
#include "core/privacy_guard.hpp"
#include "core/session_summary.hpp"
#include "core/visibility.hpp"
#include "storage/store.hpp"
#include "support/log.hpp"

namespace vraagbaak::core {

namespace p = vraagbaak::protocol;
using p::ErrorCode;
using storage::StoredSession;

namespace {

bool contains(const std::vector<std::int64_t>& ids, std::int64_t id) {
    return std::find(ids.begin(), ids.end(), id) != ids.end();
}

// How a summary names a post's author: as everyone else in the room sees it.
std::string author_label(const p::Author& a) {
    std::string org = a.organisation ? " (" + a.organisation->name + ")" : "";
    if (a.level == p::Anonymity::named) return a.display_name + org;
    return (a.pseudonym == "asker" ? std::string("case owner") : a.pseudonym) + org;
}

// The case owner in a summary's heading: their name only when they asked under it.
std::string owner_label(const p::Author& a) {
    if (a.level == p::Anonymity::named) return author_label(a);
    return "anonymous" + (a.organisation ? " (" + a.organisation->name + ")" : std::string());
}

// The warning comes this long before a phase's time is up: the method's setting, at most half
// the phase.
std::int64_t warn_ms(const Method& method, std::int64_t duration_s) {
    return std::min(method.warn_before_s, duration_s / 2) * 1000;
}

}  // namespace

std::optional<StoredSession> Hub::visible_session(ConnectionId id, std::int64_t session_id) {
    auto s = store_.find_session(session_id);
    // A session in a room one may not read is reported as missing, not as forbidden.
    if (!s || require_member(id, s->room_id)) return std::nullopt;
    return s;
}

Result<std::pair<StoredSession, storage::Account>, p::Error> Hub::session_to_run(ConnectionId id, Connection& conn,
                                                                                std::int64_t session_id,
                                                                                const std::string& refusal) {
    auto s = visible_session(id, session_id);
    if (!s) return fail(p::make_error(ErrorCode::session_not_found, {}, "session_id"));
    auto actor = current_account(conn);
    // The organiser, or whoever may run others' sessions in the room.
    if (!actor || (actor->id != s->organiser_id &&
                   !allows(rank_of(store_, *actor, s->room_id), RoomPermission::run_any_session)))
        return fail(p::make_error(ErrorCode::forbidden, refusal));
    return std::pair{std::move(*s), std::move(*actor)};
}

std::vector<p::SessionStep> Hub::session_steps(const StoredSession& s) {
    auto method = method_from_json(s.plan);
    if (!method) throw std::runtime_error("session " + std::to_string(s.id) + ": stored plan unusable: " + method.error());
    return plan_steps(*method, s.follow_ups, s.agenda);
}

std::function<p::Session(std::optional<std::int64_t>)> Hub::session_views(const StoredSession& s) {
    p::Session base;
    base.id = s.id;
    base.room_id = s.room_id;
    base.title = s.title;
    base.method = s.method;
    if (auto organiser = store_.find_account(s.organiser_id)) base.organiser = member_of(*organiser);
    base.starts_ms = s.starts_ms;
    base.planned_minutes = s.planned_minutes;
    base.auto_advance = s.auto_advance;
    base.status = s.status;
    base.steps = session_steps(s);
    base.step = s.step;
    if (s.step) {
        base.phase_ends_ms = s.step_ends_ms;
        base.time_left_ms = std::max<std::int64_t>(0, s.step_ends_ms - clock_());
    }
    base.signed_up = s.signed_up;
    base.summaries = s.summaries;
    // The cases as nobody in particular sees them; `mine` is set per viewer below.
    std::vector<std::int64_t> agenda_askers, follow_up_askers;
    for (auto [ids, cases, askers] : {std::tuple{&s.agenda, &base.agenda, &agenda_askers},
                                      std::tuple{&s.follow_ups, &base.follow_ups, &follow_up_askers}})
        for (auto id : *ids)
            if (auto kase = store_.find_case(id)) {
                cases->push_back(case_view(*kase, std::nullopt));
                askers->push_back(kase->asker_id);
            }
    auto signed_up = store_.signed_up_accounts(s.id);
    return [base = std::move(base), agenda_askers, follow_up_askers,
            signed_up](std::optional<std::int64_t> viewer) {
        p::Session view = base;
        if (!viewer) return view;
        for (std::size_t i = 0; i < view.agenda.size(); ++i) view.agenda[i].mine = agenda_askers[i] == *viewer;
        for (std::size_t i = 0; i < view.follow_ups.size(); ++i) view.follow_ups[i].mine = follow_up_askers[i] == *viewer;
        view.me_signed_up = contains(signed_up, *viewer);
        return view;
    };
}

p::SessionWithMessages Hub::session_with_messages(const StoredSession& s, std::int64_t viewer) {
    p::SessionWithMessages out{session_views(s)(viewer), {}};
    for (const auto& post : store_.session_posts(s.id)) out.messages.push_back(view_of(post.message, viewer));
    return out;
}

void Hub::send_running_sessions(ConnectionId id, std::optional<std::int64_t> only_room) {
    auto it = connections_.find(id);
    if (it == connections_.end() || !it->second.account) return;
    for (const auto& [room, run] : running_) {
        if ((only_room && room != *only_room) || !subscriptions_.subscribed(room, id)) continue;
        if (auto s = store_.find_session(run.session_id))
            send(it->second, make_frame(p::encode_event(
                                 p::SessionState{session_with_messages(*s, it->second.account->id)})));
    }
}

Result<std::optional<Hub::SessionPlace>, p::Error> Hub::check_session_post(std::int64_t account, std::int64_t room,
                                                                          const storage::Case& kase,
                                                                          const std::string& kind) {
    auto run = running_.find(room);
    if (run == running_.end()) return std::optional<SessionPlace>{};
    auto s = store_.find_session(run->second.session_id);
    if (!s || !s->step || (!contains(s->agenda, kase.thread_id) && !contains(s->follow_ups, kase.thread_id)))
        return std::optional<SessionPlace>{};
    const auto steps = session_steps(*s);
    const auto& step = steps.at(static_cast<std::size_t>(*s->step));
    if (step.case_id != kase.thread_id)
        return fail(p::make_error(ErrorCode::phase_rule,
                          "the session '" + s->title + "' discusses another case now (phase '" + step.title + "')",
                          "thread_id"));
    if (auto refusal = phase_refusal(step, kase.asker_id == account, kind)) {
        auto allowance = post_allowances_.find({s->id, account});
        if (allowance == post_allowances_.end()) return fail(p::make_error(ErrorCode::phase_rule, *refusal, "kind"));
        post_allowances_.erase(allowance);  // one post
    }
    return std::optional<SessionPlace>{SessionPlace{s->id, *s->step, step.sealed}};
}

Hub::Outcome Hub::handle(ConnectionId id, Connection& conn, const p::ScheduleSessionRequest& r) {
    if (auto err = require_member(id, r.room_id)) return fail(*err);
    auto actor = current_account(conn);
    if (!actor || !allows(rank_of(store_, *actor, r.room_id), RoomPermission::host_session))
        return fail(p::make_error(ErrorCode::forbidden, "scheduling a session needs the room permission host_session"));
    const Method* method = find_method(config_.methods, r.method);
    if (!method) {
        std::string known;
        for (const auto& m : config_.methods) known += (known.empty() ? "" : ", ") + m.name;
        return fail(p::make_error(ErrorCode::invalid_field, "unknown method '" + r.method + "'; this server has " + known,
                          "method"));
    }
    if (r.starts_ms < clock_() - 24LL * 3600 * 1000)
        return fail(p::make_error(ErrorCode::invalid_field, "'starts_ms' lies more than a day in the past", "starts_ms"));
    for (std::size_t i = 0; i < r.case_ids.size(); ++i) {
        auto kase = store_.find_case(r.case_ids[i]);
        if (!kase || kase->room_id != r.room_id)
            return fail(p::make_error(ErrorCode::case_not_found, "no case " + std::to_string(r.case_ids[i]) + " in this room",
                              "case_ids"));
        if (kase->status == "closed")
            return fail(p::make_error(ErrorCode::case_closed, "case " + std::to_string(r.case_ids[i]) + " is closed", "case_ids"));
        if (std::find(r.case_ids.begin(), r.case_ids.begin() + static_cast<std::ptrdiff_t>(i), r.case_ids[i]) !=
            r.case_ids.begin() + static_cast<std::ptrdiff_t>(i))
            return fail(p::make_error(ErrorCode::invalid_field, "case " + std::to_string(r.case_ids[i]) + " is listed twice",
                              "case_ids"));
    }
    std::vector<std::int64_t> follow_ups;
    if (r.follow_up) {
        if (!method->follow_up)
            return fail(p::make_error(ErrorCode::invalid_field, "the method '" + method->name + "' has no follow-up phase",
                              "follow_up"));
        if (auto last = store_.last_ended_session(r.room_id))
            for (auto c : last->agenda)
                if (!contains(r.case_ids, c) && store_.find_case(c)) follow_ups.push_back(c);
    }
    // A title is stored text like any other: no client's personal data in it.
    auto title = guard_texts(p::PrivacyMode::block, {{"title", r.title, false}}, clock_());
    if (!title) return fail(title.error());
    storage::NewSession spec;
    spec.room_id = r.room_id;
    spec.title = r.title;
    spec.method = method->name;
    spec.plan = method_to_json(*method);
    spec.organiser_id = actor->id;
    spec.starts_ms = r.starts_ms;
    spec.planned_minutes = r.planned_minutes;
    spec.auto_advance = r.auto_advance;
    spec.agenda = r.case_ids;
    spec.follow_ups = follow_ups;
    spec.created_ms = clock_();
    auto [stored, event] = store_.create_session(spec);
    log::info("core", "session scheduled", {{"session", stored.id}, {"room", r.room_id}});
    after_reply([this, event = event] { broadcast_event(event); });
    return p::ReplyBody{p::ScheduleSessionReply{session_views(stored)(actor->id)}};
}

Hub::Outcome Hub::handle(ConnectionId id, Connection& conn, const p::ListSessionsRequest& r) {
    if (auto err = require_member(id, r.room_id)) return fail(*err);
    p::ListSessionsReply reply;
    for (const auto& s : store_.list_sessions(r.room_id, r.include_ended))
        reply.sessions.push_back(session_views(s)(conn.account->id));
    return p::ReplyBody{std::move(reply)};
}

Hub::Outcome Hub::handle(ConnectionId id, Connection& conn, const p::GetSessionRequest& r) {
    auto s = visible_session(id, r.session_id);
    if (!s) return fail(p::make_error(ErrorCode::session_not_found, {}, "session_id"));
    return p::ReplyBody{p::GetSessionReply{session_with_messages(*s, conn.account->id)}};
}

Hub::Outcome Hub::handle(ConnectionId id, Connection& conn, const p::SignUpRequest& r) {
    auto s = visible_session(id, r.session_id);
    if (!s) return fail(p::make_error(ErrorCode::session_not_found, {}, "session_id"));
    if (s->status == "ended") return fail(p::make_error(ErrorCode::session_state, "the session has ended"));
    store_.set_signed_up(s->id, conn.account->id, !r.cancel, clock_());
    return p::ReplyBody{p::SignUpReply{session_views(*store_.find_session(s->id))(conn.account->id)}};
}

Hub::Outcome Hub::handle(ConnectionId id, Connection& conn, const p::ControlSessionRequest& r) {
    auto run = session_to_run(id, conn, r.session_id, "only the session's organiser (or a room moderator) runs it");
    if (!run) return fail(run.error());
    const auto& [s, actor] = *run;
    auto moved = control_session(s, r.action, r.extend_s);
    if (!moved) return fail(moved.error());
    log::info("core", "session " + r.action, {{"session", s.id}, {"by", actor.id}});
    return p::ReplyBody{p::ControlSessionReply{session_views(*moved)(actor.id)}};
}

void Hub::track_running(const StoredSession& s) {
    auto method = method_from_json(s.plan);
    const auto steps = session_steps(s);
    if (!method || !s.step || *s.step >= static_cast<std::int64_t>(steps.size())) return;
    const auto duration_s = steps[static_cast<std::size_t>(*s.step)].duration_s;
    running_[s.room_id] = {s.id, *s.step, s.step_ends_ms, warn_ms(*method, duration_s), false, s.auto_advance};
}

Result<StoredSession, p::Error> Hub::control_session(const StoredSession& s, const std::string& action,
                                                     std::int64_t extend_s) {
    const auto now = clock_();
    const auto steps = session_steps(s);
    auto state_error = [](std::string message) { return fail(p::make_error(ErrorCode::session_state, std::move(message))); };
    storage::SessionProgress progress{s.status, s.step, s.step_ends_ms};
    auto go_to = [&](std::int64_t step) {
        progress.status = "running";
        progress.step = step;
        progress.step_ends_ms = now + steps.at(static_cast<std::size_t>(step)).duration_s * 1000;
    };
    if (action == "start") {
        if (s.status != "scheduled") return state_error("the session is " + s.status);
        if (running_.count(s.room_id)) return state_error("another session is running in this room");
        if (steps.empty()) return state_error("the session has no case left on its agenda");
        go_to(0);
    } else if (s.status != "running") {
        if (action != "end" || s.status != "scheduled") return state_error("the session is " + s.status + ", not running");
        progress.status = "ended";  // called off before it started
    } else if (action == "next" || action == "previous") {
        const auto target = *s.step + (action == "next" ? 1 : -1);
        if (target < 0) return state_error("this is the first phase");
        if (target >= static_cast<std::int64_t>(steps.size()))
            return state_error("this is the last phase; end the session instead");
        close_step(s, steps);
        go_to(target);
    } else if (action == "extend") {
        progress.step_ends_ms = std::max(s.step_ends_ms, now) + extend_s * 1000;
    } else {  // end
        close_step(s, steps);
        progress.status = "ended";
        progress.step.reset();
    }
    auto event = store_.set_session_progress(s.id, progress, now);
    if (!event) return fail(p::make_error(ErrorCode::session_not_found));
    auto moved = *store_.find_session(s.id);
    if (moved.status == "running") {
        track_running(moved);
    } else {
        running_.erase(s.room_id);
        for (auto it = post_allowances_.begin(); it != post_allowances_.end();)
            it = it->first.first == s.id ? post_allowances_.erase(it) : std::next(it);
        if (s.status == "running") write_summaries(moved, steps);
        moved = *store_.find_session(s.id);
    }
    after_reply([this, event = *event] { broadcast_event(event); });
    if (action == "start")
        for (auto c : s.follow_ups)
            if (auto kase = store_.find_case(c)) {
                // "What did you do with the advice?": the owner is asked, now or at the next sign-in.
                if (!connections_of(kase->asker_id).empty())
                    after_reply([this, asker = kase->asker_id, room = s.room_id, c] {
                        send_to_account(asker, make_frame(p::encode_event(p::Notification{"follow_up", room, c, c})));
                    });
                else
                    store_.add_notice(kase->asker_id, {"follow_up", c, s.title, now});
            }
    return moved;
}

void Hub::close_step(const StoredSession& s, const std::vector<p::SessionStep>& steps) {
    if (!s.step || !steps.at(static_cast<std::size_t>(*s.step)).sealed) return;
    auto revealed = store_.reveal_sealed_posts(s.id, *s.step);
    after_reply([this, revealed = std::move(revealed)] {
        for (const auto& message : revealed) {
            broadcast_message(message);
            for (const auto& event : message.events) broadcast_event(event);
            notify_about(message, store_.find_case(message.thread_id));
        }
    });
}

void Hub::write_summaries(const StoredSession& s, const std::vector<p::SessionStep>& steps) {
    const auto method = method_from_json(s.plan);
    const auto posts = store_.session_posts(s.id);
    for (auto case_id : s.agenda) {
        auto kase = store_.find_case(case_id);
        auto first = store_.find_message(case_id);
        if (!kase || !first) continue;
        const auto first_view = view_of(*first, std::nullopt);
        SummaryInput in{s.title, method ? method->title : s.method, s.started_ms, kase->title,
                        owner_label(first_view.author), first_view.body, {}};
        for (std::size_t i = 0; i < steps.size(); ++i) {
            if (steps[i].case_id != case_id || steps[i].follow_up) continue;
            SummarySection section{steps[i].title, {}};
            for (const auto& post : posts) {
                if (post.step != static_cast<std::int64_t>(i)) continue;
                auto view = view_of(post.message, std::nullopt);
                section.lines.push_back({view.kind, author_label(view.author), view.body, view.helpful});
            }
            in.sections.push_back(std::move(section));
        }
        // The posts passed the room's guard when written; a summary leaves the room, so whatever
        // a warn-mode room let through is redacted here.
        auto guarded = guard_texts(p::PrivacyMode::redact, {{"summary", summary_markdown(in), true}}, clock_());
        store_.set_summary(s.id, case_id,
                           guarded ? guarded->texts[0] : "# " + kase->title + "\n\n_The summary was withheld: it held personal data._\n");
    }
}

void Hub::tick_sessions(std::int64_t now) {
    std::vector<std::int64_t> due;
    for (auto& [room, run] : running_) {
        if (!run.warned && now < run.ends_ms && run.ends_ms - now <= run.warn_ms) {
            run.warned = true;
            guarded([&, room = room, &run = run]() -> std::optional<Outcome> {
                if (auto s = store_.find_session(run.session_id))
                    broadcast(room, make_frame(p::encode_event(p::PhaseEnding{
                                        room, run.session_id,
                                        session_steps(*s).at(static_cast<std::size_t>(run.step)).phase,
                                        run.ends_ms - now})));
                return std::nullopt;
            });
        }
        if (run.auto_advance && now >= run.ends_ms) due.push_back(room);
    }
    for (auto room : due) {
        guarded([&]() -> std::optional<Outcome> {
            auto s = store_.find_session(running_.at(room).session_id);
            if (!s || !s->step) return std::nullopt;
            const bool last = *s->step + 1 >= static_cast<std::int64_t>(session_steps(*s).size());
            auto moved = control_session(*s, last ? "end" : "next", 0);
            if (!moved) running_.erase(room);  // nothing to do with it any more
            return std::nullopt;
        });
        run_after_reply_actions();
    }
}

Hub::Outcome Hub::handle(ConnectionId id, Connection& conn, const p::AllowPostRequest& r) {
    auto run = session_to_run(id, conn, r.session_id, "only the session's organiser (or a room moderator) allows a post");
    if (!run) return fail(run.error());
    const auto& [s, actor] = *run;
    if (s.status != "running") return fail(p::make_error(ErrorCode::session_state, "the session is " + s.status));
    std::int64_t account = 0;
    if (r.handle) {
        auto target = store_.find_account_by_handle(*r.handle);
        if (!target) return fail(p::make_error(ErrorCode::account_not_found, {}, "handle"));
        account = target->id;
    } else {
        auto message = store_.find_message(*r.message_id);
        if (!message || message->room_id != s.room_id) return fail(p::make_error(ErrorCode::message_not_found, {}, "message_id"));
        account = message->author.id;  // "the author of this post": never told who it is
    }
    post_allowances_[{s.id, account}] = 1;
    return p::ReplyBody{p::AllowPostReply{s.id}};
}

Hub::Outcome Hub::handle(ConnectionId id, Connection& conn, const p::SessionAttendanceRequest& r) {
    auto run = session_to_run(id, conn, r.session_id, "attendance is for the session's organiser");
    if (!run) return fail(run.error());
    const auto& [s, actor] = *run;
    p::SessionAttendanceReply reply{s.id, {}, 0};
    for (const auto& row : store_.attendance(s.id)) {
        // Named only for what they did under their name: signing up or a named post.
        if (row.signed_up || row.posted_named)
            reply.attendees.push_back({member_of(row.account), row.signed_up, row.posted_named});
        else if (row.posted)
            ++reply.anonymous;
    }
    return p::ReplyBody{std::move(reply)};
}

Hub::Outcome Hub::handle(ConnectionId id, Connection& conn, const p::GetSummaryRequest& r) {
    auto s = visible_session(id, r.session_id);
    if (!s) return fail(p::make_error(ErrorCode::session_not_found, {}, "session_id"));
    if (!contains(s->agenda, r.case_id)) return fail(p::make_error(ErrorCode::case_not_found, "not on this session's agenda", "case_id"));
    auto kase = store_.find_case(r.case_id);
    const auto me = conn.account->id;
    if (me != s->organiser_id && (!kase || kase->asker_id != me))
        return fail(p::make_error(ErrorCode::forbidden, "a summary is for the case owner and the organiser"));
    auto markdown = store_.summary(s->id, r.case_id);
    if (!markdown) return fail(p::make_error(ErrorCode::session_state, "the summary is made when the session ends"));
    return p::ReplyBody{p::GetSummaryReply{s->id, r.case_id, *markdown}};
}

}  // namespace vraagbaak::core
