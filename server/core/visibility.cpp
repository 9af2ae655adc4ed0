#include "core/visibility.hpp"

namespace vraagbaak::core {

namespace p = vraagbaak::protocol;

namespace {
std::optional<p::Organisation> wire(const std::optional<storage::Organisation>& o) {
    if (!o) return std::nullopt;
    return p::Organisation{o->id, o->name, o->code};
}
}  // namespace

std::string pseudonym_label(int number) {
    return number == 0 ? "asker" : "colleague " + std::to_string(number);
}

p::Member member_of(const storage::Account& a) {
    return {a.id, a.handle, a.display_name, wire(a.organisation)};
}

p::Member member_of(const storage::Author& a) {
    return {a.id, a.handle, a.display_name, wire(a.organisation)};
}

p::ExportMyDataReply export_view(const storage::AccountExport& data) {
    p::ExportMyDataReply out{member_of(data.account), data.account.role, {}, {}};
    for (const auto& m : data.messages) out.messages.push_back(view_of(m, data.account.id));
    for (const auto& c : data.cases) out.cases.push_back(case_view(c, data.account.id));
    return out;
}

p::Room room_view(const storage::Room& r) {
    p::Room out{r.id, r.name, r.topic, r.member_count, r.last_seq, r.viewer_is_member, r.allowed_levels, r.unread};
    out.visibility = r.visibility;
    out.organisations = r.organisations;
    out.slow_mode_s = r.slow_mode_s;
    out.locked = r.locked;
    out.archived = r.archived;
    out.pinned = r.pinned;
    out.my_role = r.viewer_role;
    out.privacy_mode = r.privacy_mode;
    out.retention_days = r.retention_days;
    return out;
}

p::CaseInfo case_view(const storage::Case& c, std::optional<storage::AccountId> viewer) {
    return {c.thread_id, c.room_id, c.title, c.tags, c.status, c.outcome, c.reflection, c.asker_level,
            c.replies, c.created_ms, c.last_activity_ms, viewer && *viewer == c.asker_id, c.unread};
}

p::Message view_of(const storage::Message& m, std::optional<storage::AccountId> viewer, bool for_moderation) {
    p::Message out;
    out.room_id = m.room_id;
    out.seq = m.seq;
    out.id = m.id;
    out.thread_id = m.thread_id;
    out.body = m.body;
    out.ts_ms = m.created_ms;
    out.own = viewer && *viewer == m.author.id;
    out.kind = m.kind.value_or("");
    out.helpful = m.helpful;

    p::Author& a = out.author;
    a.level = m.level;
    const bool full = out.own || m.level == p::Anonymity::named;
    if (full) {
        a.account_id = m.author.id;
        a.handle = m.author.handle;
        a.display_name = m.author.display_name;
        a.organisation = wire(m.author.organisation);
    } else if (m.level == p::Anonymity::organisation) {
        a.organisation = wire(m.author.organisation);
    }
    if (m.level != p::Anonymity::named) a.pseudonym = pseudonym_label(m.pseudonym);
    if (m.hidden_reason) {
        // A tombstone for others; the author still reads what they wrote.
        out.hidden = true;
        out.hidden_reason = *m.hidden_reason;
        if (!out.own && !for_moderation) out.body.clear();
    }
    return out;
}

}  // namespace vraagbaak::core
