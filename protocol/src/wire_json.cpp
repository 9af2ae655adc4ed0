#include "wire_json.hpp"

#include "vraagbaak/protocol/limits.hpp"
#include "vraagbaak/protocol/codec.hpp"

namespace vraagbaak::protocol::detail {

TextRule handle_rule() { return {kMinHandleChars, kMaxHandleChars, false, true}; }
TextRule display_name_rule() { return {1, kMaxDisplayNameChars, false, true}; }
TextRule room_name_rule() { return {1, kMaxRoomNameChars, false, true}; }
TextRule topic_rule() { return {0, kMaxTopicChars, false, false}; }
TextRule body_rule() { return {1, kMaxBodyChars, true, true}; }
TextRule reason_rule() { return {1, kMaxReasonChars, false, true}; }
TextRule title_rule() { return {1, kMaxTitleChars, false, true}; }
TextRule tag_rule() { return {1, kMaxTagChars, false, true}; }

nlohmann::json to_json(const Organisation& o) {
    return {{"id", o.id}, {"name", o.name}, {"code", o.code}};
}

nlohmann::json to_json(const Member& m) {
    nlohmann::json j = {
        {"account_id", m.account_id}, {"handle", m.handle}, {"display_name", m.display_name}};
    j["organisation"] = m.organisation ? to_json(*m.organisation) : nlohmann::json(nullptr);
    return j;
}

// Only the fields the level shows are written at all, so a hidden value cannot leak through
// an empty-looking key.
nlohmann::json to_json(const Author& a) {
    nlohmann::json j = {{"level", to_string(a.level)}};
    if (a.account_id) j["account_id"] = *a.account_id;
    if (!a.handle.empty()) j["handle"] = a.handle;
    if (!a.display_name.empty()) j["display_name"] = a.display_name;
    if (a.organisation) j["organisation"] = to_json(*a.organisation);
    if (!a.pseudonym.empty()) j["pseudonym"] = a.pseudonym;
    return j;
}

nlohmann::json to_json(const Notice& n) {
    return {{"kind", n.kind}, {"message_id", n.message_id}, {"reason", n.reason}, {"ts_ms", n.ts_ms}};
}

nlohmann::json to_json(const AccountSession& s) {
    nlohmann::json notices = nlohmann::json::array();
    for (const auto& n : s.notices) notices.push_back(to_json(n));
    return {{"account", to_json(s.account)},
            {"role", to_string(s.role)},
            {"token", s.token},
            {"expires_ms", s.expires_ms},
            {"notices", std::move(notices)}};
}

namespace {
nlohmann::json levels_json(const std::vector<Anonymity>& levels) {
    nlohmann::json j = nlohmann::json::array();
    for (auto l : levels) j.push_back(to_string(l));
    return j;
}
}  // namespace

nlohmann::json to_json(const Room& r) {
    nlohmann::json j = {{"id", r.id},
                        {"name", r.name},
                        {"topic", r.topic},
                        {"member_count", r.member_count},
                        {"last_seq", r.last_seq},
                        {"joined", r.joined},
                        {"allowed_levels", levels_json(r.allowed_levels)},
                        {"unread", r.unread},
                        {"visibility", to_string(r.visibility)},
                        {"slow_mode_s", r.slow_mode_s},
                        {"locked", r.locked},
                        {"archived", r.archived},
                        {"pinned", r.pinned},
                        {"privacy_mode", to_string(r.privacy_mode)},
                        {"retention_days", r.retention_days}};
    if (r.visibility == Visibility::organisations) j["organisations"] = r.organisations;
    if (r.my_role) j["my_role"] = to_string(*r.my_role);
    return j;
}

nlohmann::json to_json(const Report& r) {
    nlohmann::json j = {{"id", r.id},         {"room_id", r.room_id}, {"message", to_json(r.message)},
                        {"category", r.category}, {"reason", r.reason}, {"status", r.status},
                        {"created_ms", r.created_ms}};
    if (r.claimed_by) j["claimed_by"] = to_json(*r.claimed_by);
    if (!r.outcome.empty()) j["outcome"] = r.outcome;
    return j;
}

nlohmann::json to_json(const AuditRecord& a) {
    nlohmann::json j = {{"id", a.id}, {"ts_ms", a.ts_ms}, {"action", a.action}, {"target", a.target},
                        {"reason", a.reason}};
    if (a.actor) j["actor"] = to_json(*a.actor);
    if (a.room_id) j["room_id"] = *a.room_id;
    return j;
}

nlohmann::json to_json(const Message& m) {
    nlohmann::json j = {{"room_id", m.room_id},     {"seq", m.seq},   {"id", m.id},
                        {"thread_id", m.thread_id},  {"author", to_json(m.author)},
                        {"body", m.body},            {"ts_ms", m.ts_ms}};
    if (m.own) j["own"] = true;
    if (m.hidden) {
        j["hidden"] = true;
        j["hidden_reason"] = m.hidden_reason;
    }
    if (!m.kind.empty()) j["kind"] = m.kind;
    if (m.helpful) j["helpful"] = true;
    return j;
}

nlohmann::json to_json(const ServerLimits& l) {
    return {{"max_frame_bytes", l.max_frame_bytes},
            {"max_body_chars", l.max_body_chars},
            {"max_history_limit", l.max_history_limit},
            {"tags", l.tags}};
}

nlohmann::json to_json(const CaseInfo& c) {
    nlohmann::json j = {{"id", c.id},
                        {"room_id", c.room_id},
                        {"title", c.title},
                        {"tags", c.tags},
                        {"status", c.status},
                        {"asker_level", to_string(c.asker_level)},
                        {"replies", c.replies},
                        {"created_ms", c.created_ms},
                        {"last_activity_ms", c.last_activity_ms}};
    if (!c.outcome.empty()) j["outcome"] = c.outcome;
    if (!c.reflection.empty()) j["reflection"] = c.reflection;
    if (c.mine) j["mine"] = true;
    if (c.unread) j["unread"] = c.unread;
    return j;
}

nlohmann::json cases_json(const std::vector<CaseInfo>& cases) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& c : cases) out.push_back(to_json(c));
    return out;
}

nlohmann::json to_json(const SearchHit& h) {
    nlohmann::json j = {{"message", to_json(h.message)}, {"snippet", h.snippet}};
    if (h.case_id) {
        j["case_id"] = *h.case_id;
        j["case_title"] = h.case_title;
    }
    return j;
}


namespace {

std::optional<Organisation> read_organisation(JsonReader& parent, std::string_view key) {
    auto it = parent.has(key);
    if (!it) return std::nullopt;
    return read_nested(parent.object(key), parent, parent.field_path(key), [](JsonReader& r) {
        Organisation o;
        o.id = r.integer("id", 1, kMaxId);
        o.name = r.text("name", {1, 120, false, true});
        o.code = r.text("code", {1, 16, false, true});
        return o;
    });
}

}  // namespace

Member read_member(JsonReader& parent, std::string_view key) {
    return read_nested(parent.object(key), parent, parent.field_path(key), [](JsonReader& r) {
        Member m;
        m.account_id = r.integer("account_id", 0, kMaxId);
        m.handle = r.text("handle", handle_rule());
        m.display_name = r.text("display_name", display_name_rule());
        m.organisation = read_organisation(r, "organisation");
        return m;
    });
}

Anonymity read_level(JsonReader& r, std::string_view key) {
    auto name = r.optional_text(key, {1, 20});
    if (!name) return Anonymity::named;
    auto level = anonymity_from_string(*name);
    if (!level) {
        r.fail(ErrorCode::invalid_field, key,
               "'" + r.field_path(key) + "' must be named, organisation or anonymous");
        return Anonymity::named;
    }
    return *level;
}

std::vector<Anonymity> read_levels(JsonReader& r, std::string_view key, bool required) {
    std::vector<Anonymity> out;
    if (!required && !r.has(key)) return out;
    const nlohmann::json* arr = r.array(key, 3);
    if (!arr) return out;
    for (const auto& v : *arr) {
        auto level = v.is_string() ? anonymity_from_string(v.get<std::string>()) : std::nullopt;
        if (!level) {
            r.fail(ErrorCode::invalid_field, key,
                   "'" + r.field_path(key) + "' holds named, organisation or anonymous");
            return {};
        }
        out.push_back(*level);
    }
    if (out.empty()) r.fail(ErrorCode::invalid_field, key, "'" + r.field_path(key) + "' must not be empty");
    return out;
}

namespace {

Author read_author(JsonReader& parent, std::string_view key) {
    return read_nested(parent.object(key), parent, parent.field_path(key), [](JsonReader& r) {
        Author a;
        a.level = read_level(r, "level");
        a.account_id = r.optional_integer("account_id", 1, kMaxId);
        a.handle = r.optional_text("handle", handle_rule()).value_or("");
        a.display_name = r.optional_text("display_name", display_name_rule()).value_or("");
        a.organisation = read_organisation(r, "organisation");
        a.pseudonym = r.optional_text("pseudonym", {1, 40}).value_or("");
        return a;
    });
}

}  // namespace

AccountSession read_session(JsonReader& r) {
    AccountSession s;
    s.account = read_member(r, "account");
    auto role = role_from_string(r.text("role", {1, 20}));
    if (!role && r.ok()) r.fail(ErrorCode::invalid_field, "role", "unknown role");
    s.role = role.value_or(Role::member);
    s.token = r.text("token", {1, kMaxTokenBytes});
    s.expires_ms = r.integer("expires_ms", 0, kMaxId);
    if (const nlohmann::json* notices = r.array("notices", 1000))
        for (std::size_t i = 0; i < notices->size() && r.ok(); ++i)
            s.notices.push_back(read_nested(&(*notices)[i], r, "notices[" + std::to_string(i) + "]",
                                            [](JsonReader& n) {
                                                Notice x;
                                                x.kind = n.text("kind", {1, 40});
                                                x.message_id = n.integer("message_id", 1, kMaxId);
                                                x.reason = n.text("reason", {0, kMaxReasonChars});
                                                x.ts_ms = n.integer("ts_ms", 0, kMaxId);
                                                return x;
                                            }));
    return s;
}

Room read_room(const nlohmann::json& j, JsonReader& parent, std::string path) {
    return read_nested(&j, parent, std::move(path), [](JsonReader& r) {
        Room room;
        room.id = r.integer("id", 1, kMaxId);
        room.name = r.text("name", room_name_rule());
        room.topic = r.text("topic", topic_rule());
        room.member_count = r.integer("member_count", 0, kMaxId);
        room.last_seq = r.integer("last_seq", 0, kMaxId);
        room.joined = r.boolean("joined");
        room.allowed_levels = read_levels(r, "allowed_levels", true);
        room.unread = r.integer("unread", 0, kMaxId);
        if (r.has("visibility")) {
            auto v = visibility_from_string(r.text("visibility", {1, 20}));
            if (!v && r.ok()) r.fail(ErrorCode::invalid_field, "visibility", "unknown visibility");
            room.visibility = v.value_or(Visibility::open);
        }
        room.organisations = read_ids(r, "organisations");
        room.slow_mode_s = r.optional_integer("slow_mode_s", 0, kMaxSlowModeSeconds).value_or(0);
        room.locked = r.has("locked") && r.boolean("locked");
        room.archived = r.has("archived") && r.boolean("archived");
        room.pinned = read_ids(r, "pinned");
        if (r.has("privacy_mode")) {
            auto mode = privacy_mode_from_string(r.text("privacy_mode", {1, 20}));
            if (!mode && r.ok()) r.fail(ErrorCode::invalid_field, "privacy_mode", "unknown privacy mode");
            room.privacy_mode = mode.value_or(PrivacyMode::block);
        }
        room.retention_days = r.optional_integer("retention_days", 0, kMaxRetentionDays).value_or(90);
        if (r.has("my_role")) {
            room.my_role = room_role_from_string(r.text("my_role", {1, 20}));
            if (!room.my_role && r.ok()) r.fail(ErrorCode::invalid_field, "my_role", "unknown room role");
        }
        return room;
    });
}

nlohmann::json findings_json(const std::vector<PersonalDataFinding>& findings) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& f : findings)
        out.push_back({{"field", f.field}, {"kind", f.kind}, {"start", f.start}, {"end", f.end}});
    return out;
}

std::vector<PersonalDataFinding> read_findings(JsonReader& r, std::string_view key) {
    std::vector<PersonalDataFinding> out;
    if (!r.has(key)) return out;
    if (const nlohmann::json* arr = r.array(key, 1000)) {
        for (std::size_t i = 0; i < arr->size() && r.ok(); ++i) {
            if (!(*arr)[i].is_object()) {
                r.fail(ErrorCode::invalid_field, std::string(key), "findings are objects");
                break;
            }
            JsonReader fr((*arr)[i], std::string(key) + "[" + std::to_string(i) + "]");
            PersonalDataFinding f;
            f.field = fr.text("field", {1, 40});
            f.kind = fr.text("kind", {1, 40});
            f.start = fr.integer("start", 0, kMaxId);
            f.end = fr.integer("end", 0, kMaxId);
            r.adopt(fr.error());
            out.push_back(std::move(f));
        }
    }
    return out;
}

std::vector<std::int64_t> read_ids(JsonReader& r, std::string_view key) {
    std::vector<std::int64_t> out;
    if (!r.has(key)) return out;
    if (const nlohmann::json* ids = r.array(key, kMaxListLimit)) {
        for (const auto& id : *ids) {
            if (!id.is_number_integer() || id.get<std::int64_t>() < 1) {
                r.fail(ErrorCode::invalid_field, std::string(key), "'" + std::string(key) + "' holds positive integers");
                break;
            }
            out.push_back(id.get<std::int64_t>());
        }
    }
    return out;
}

Report read_report(const nlohmann::json& j, JsonReader& parent, std::string path) {
    return read_nested(&j, parent, std::move(path), [](JsonReader& r) {
        Report x;
        x.id = r.integer("id", 1, kMaxId);
        x.room_id = r.integer("room_id", 1, kMaxId);
        const nlohmann::json* m = r.object("message");
        if (m) x.message = read_message(*m, r, "message");
        x.category = r.text("category", {1, 20});
        x.reason = r.text("reason", reason_rule());
        x.status = r.text("status", {1, 20});
        if (r.has("claimed_by")) x.claimed_by = read_member(r, "claimed_by");
        x.outcome = r.optional_text("outcome", reason_rule()).value_or("");
        x.created_ms = r.integer("created_ms", 0, kMaxId);
        return x;
    });
}

AuditRecord read_audit_record(const nlohmann::json& j, JsonReader& parent, std::string path) {
    return read_nested(&j, parent, std::move(path), [](JsonReader& r) {
        AuditRecord x;
        x.id = r.integer("id", 1, kMaxId);
        x.ts_ms = r.integer("ts_ms", 0, kMaxId);
        if (r.has("actor")) x.actor = read_member(r, "actor");
        x.action = r.text("action", {1, 64});
        x.target = r.text("target", {0, 200});
        x.room_id = r.optional_integer("room_id", 1, kMaxId);
        x.reason = r.text("reason", {0, kMaxReasonChars * 2, true});
        return x;
    });
}

Message read_message(const nlohmann::json& j, JsonReader& parent, std::string path) {
    return read_nested(&j, parent, std::move(path), [](JsonReader& r) {
        Message m;
        m.room_id = r.integer("room_id", 1, kMaxId);
        m.seq = r.integer("seq", 1, kMaxId);
        m.id = r.integer("id", 1, kMaxId);
        m.thread_id = r.integer("thread_id", 1, kMaxId);
        m.author = read_author(r, "author");
        m.hidden = r.has("hidden") && r.boolean("hidden");
        m.body = m.hidden ? r.text("body", {0, kMaxBodyChars, true, false}) : r.text("body", body_rule());
        m.hidden_reason = m.hidden ? r.text("hidden_reason", {0, kMaxReasonChars}) : "";
        m.ts_ms = r.integer("ts_ms", 0, kMaxId);
        m.own = r.has("own") && r.boolean("own");
        m.kind = r.optional_text("kind", {1, 20}).value_or("");
        m.helpful = r.has("helpful") && r.boolean("helpful");
        return m;
    });
}

std::vector<std::string> read_tags(JsonReader& r, std::string_view key, bool required) {
    std::vector<std::string> out;
    if (!required && !r.has(key)) return out;
    const nlohmann::json* arr = r.array(key, 64);
    if (!arr) return out;
    for (const auto& v : *arr) {
        if (!v.is_string()) {
            r.fail(ErrorCode::invalid_field, key, "'" + r.field_path(key) + "' holds strings");
            return {};
        }
        auto tag = v.get<std::string>();
        if (auto err = check_text(tag, r.field_path(key), tag_rule())) {
            r.adopt(err);
            return {};
        }
        out.push_back(std::move(tag));
    }
    return out;
}

CaseInfo read_case_info(const nlohmann::json& j, JsonReader& parent, std::string path) {
    return read_nested(&j, parent, std::move(path), [](JsonReader& r) {
        CaseInfo c;
        c.id = r.integer("id", 1, kMaxId);
        c.room_id = r.integer("room_id", 1, kMaxId);
        c.title = r.text("title", title_rule());
        c.tags = read_tags(r, "tags", true);
        c.status = r.text("status", {1, 20});
        c.outcome = r.optional_text("outcome", {0, kMaxOutcomeChars, true}).value_or("");
        c.reflection = r.optional_text("reflection", {0, kMaxOutcomeChars, true}).value_or("");
        c.asker_level = read_level(r, "asker_level");
        c.replies = r.integer("replies", 0, kMaxId);
        c.created_ms = r.integer("created_ms", 0, kMaxId);
        c.last_activity_ms = r.integer("last_activity_ms", 0, kMaxId);
        c.mine = r.has("mine") && r.boolean("mine");
        c.unread = r.optional_integer("unread", 0, kMaxId).value_or(0);
        return c;
    });
}

SearchHit read_search_hit(const nlohmann::json& j, JsonReader& parent, std::string path) {
    return read_nested(&j, parent, std::move(path), [](JsonReader& r) {
        SearchHit h;
        if (const nlohmann::json* m = r.object("message")) h.message = read_message(*m, r, r.field_path("message"));
        h.case_id = r.optional_integer("case_id", 1, kMaxId);
        h.case_title = r.optional_text("case_title", {0, kMaxTitleChars}).value_or("");
        h.snippet = r.text("snippet", {0, kMaxBodyChars, true});
        return h;
    });
}

ServerLimits read_limits(JsonReader& parent, std::string_view key) {
    return read_nested(parent.object(key), parent, parent.field_path(key), [](JsonReader& r) {
        ServerLimits l;
        l.max_frame_bytes = r.integer("max_frame_bytes", 1, kMaxId);
        l.max_body_chars = r.integer("max_body_chars", 1, kMaxId);
        l.max_history_limit = r.integer("max_history_limit", 1, kMaxId);
        l.tags = read_tags(r, "tags", false);
        return l;
    });
}

}  // namespace vraagbaak::protocol::detail
