// JSON form of sessions (network meetings). See PROTOCOL.md, "Sessions".

#include "wire_json.hpp"

namespace vraagbaak::protocol::detail {

using nlohmann::json;

namespace {

json to_json(const PhaseRule& rule) { return {{"who", rule.who}, {"kinds", rule.kinds}}; }

json to_json(const SessionStep& s) {
    json allow = json::array();
    for (const auto& rule : s.allow) allow.push_back(to_json(rule));
    json j = {{"case_id", s.case_id}, {"phase", s.phase},       {"title", s.title},
              {"duration_s", s.duration_s}, {"allow", std::move(allow)}};
    if (s.follow_up) j["follow_up"] = true;
    if (s.sealed) j["sealed"] = true;
    return j;
}

PhaseRule read_rule(const json& j, JsonReader& parent, std::string path) {
    return read_nested(&j, parent, std::move(path), [](JsonReader& r) {
        PhaseRule rule;
        rule.who = r.text("who", {1, 20});
        rule.kinds = read_tags(r, "kinds", true);
        return rule;
    });
}

SessionStep read_step(const json& j, JsonReader& parent, std::string path) {
    return read_nested(&j, parent, std::move(path), [](JsonReader& r) {
        SessionStep s;
        s.case_id = r.integer("case_id", 1, kMaxId);
        s.follow_up = r.has("follow_up") && r.boolean("follow_up");
        s.phase = r.text("phase", {1, 64});
        s.title = r.text("title", {1, 200});
        s.duration_s = r.integer("duration_s", 1, kMaxId);
        s.sealed = r.has("sealed") && r.boolean("sealed");
        s.allow = read_list<PhaseRule>(r, "allow", read_rule);
        return s;
    });
}

}  // namespace

json to_json(const Session& s) {
    json steps = json::array();
    for (const auto& step : s.steps) steps.push_back(to_json(step));
    json j = {{"id", s.id},
              {"room_id", s.room_id},
              {"title", s.title},
              {"method", s.method},
              {"organiser", to_json(s.organiser)},
              {"starts_ms", s.starts_ms},
              {"planned_minutes", s.planned_minutes},
              {"auto_advance", s.auto_advance},
              {"status", s.status},
              {"agenda", cases_json(s.agenda)},
              {"follow_ups", cases_json(s.follow_ups)},
              {"steps", std::move(steps)},
              {"signed_up", s.signed_up},
              {"me_signed_up", s.me_signed_up},
              {"summaries", s.summaries}};
    if (s.step) {
        j["step"] = *s.step;
        j["phase_ends_ms"] = s.phase_ends_ms;
        j["time_left_ms"] = s.time_left_ms;
    }
    return j;
}

json to_json(const Attendee& a) {
    return {{"member", to_json(a.member)}, {"signed_up", a.signed_up}, {"posted", a.posted}};
}

Session read_session_info(const json& j, JsonReader& parent, std::string path) {
    return read_nested(&j, parent, std::move(path), [](JsonReader& r) {
        Session s;
        s.id = r.integer("id", 1, kMaxId);
        s.room_id = r.integer("room_id", 1, kMaxId);
        s.title = r.text("title", title_rule());
        s.method = r.text("method", {1, 64});
        s.organiser = read_member(r, "organiser");
        s.starts_ms = r.integer("starts_ms", 0, kMaxId);
        s.planned_minutes = r.integer("planned_minutes", 1, kMaxId);
        s.auto_advance = r.boolean("auto_advance");
        s.status = r.text("status", {1, 20});
        s.agenda = read_list<CaseInfo>(r, "agenda", read_case_info);
        s.follow_ups = read_list<CaseInfo>(r, "follow_ups", read_case_info);
        s.steps = read_list<SessionStep>(r, "steps", read_step);
        s.step = r.optional_integer("step", 0, kMaxId);
        if (s.step) {
            s.phase_ends_ms = r.integer("phase_ends_ms", 0, kMaxId);
            s.time_left_ms = r.integer("time_left_ms", 0, kMaxId);
        }
        s.signed_up = r.integer("signed_up", 0, kMaxId);
        s.me_signed_up = r.boolean("me_signed_up");
        s.summaries = read_ids(r, "summaries");
        return s;
    });
}

Attendee read_attendee(const json& j, JsonReader& parent, std::string path) {
    return read_nested(&j, parent, std::move(path), [](JsonReader& r) {
        Attendee a;
        a.member = read_member(r, "member");
        a.signed_up = r.boolean("signed_up");
        a.posted = r.boolean("posted");
        return a;
    });
}

}  // namespace vraagbaak::protocol::detail
