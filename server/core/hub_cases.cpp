// The hub's handlers for cases and search. See hub.hpp for the threading model; these run on the
// core thread like every other handler.

#include <algorithm>

#include "core/hub.hpp"
#include "core/hub_connection.hpp"
#include "core/moderation.hpp"
#include "core/search_terms.hpp"
#include "core/visibility.hpp"
#include "storage/store.hpp"
#include "support/metrics.hpp"

namespace vraagbaak::core {

namespace p = vraagbaak::protocol;
using p::ErrorCode;

namespace {

// The @handles in a text: '@' then a handle's characters, a trailing '.' or '-' left out (the
// end of a sentence). Scanned by hand: no regex on user text.
std::vector<std::string> mentioned_handles(const std::string& body) {
    std::vector<std::string> out;
    for (std::size_t i = 0; i < body.size(); ++i) {
        if (body[i] != '@' || (i > 0 && std::isalnum(static_cast<unsigned char>(body[i - 1])))) continue;
        std::size_t j = i + 1;
        while (j < body.size() && ((body[j] >= 'a' && body[j] <= 'z') || (body[j] >= '0' && body[j] <= '9') ||
                                   body[j] == '.' || body[j] == '_' || body[j] == '-'))
            ++j;
        std::string handle = body.substr(i + 1, j - i - 1);
        while (!handle.empty() && (handle.back() == '.' || handle.back() == '-')) handle.pop_back();
        if (!handle.empty() && handle.front() >= 'a' && handle.front() <= 'z' &&
            std::find(out.begin(), out.end(), handle) == out.end() && out.size() < 20)
            out.push_back(handle);
        i = j;
    }
    return out;
}

}  // namespace

Hub::Outcome Hub::handle(ConnectionId id, Connection& conn, const p::AskRequest& r) {
    if (r.client_msg_id)  // a retry: see the post handler
        if (auto earlier = store_.find_by_client_msg_id(conn.account->id, *r.client_msg_id); earlier && earlier->room_id == r.room_id)
            if (auto kase = store_.find_case(earlier->thread_id))
                return p::ReplyBody{p::AskReply{case_view(*kase, conn.account->id), earlier->seq, true}};
    auto privacy_mode = check_may_post(id, conn, r.room_id, r.level, r.body);
    if (!privacy_mode) return fail(privacy_mode.error());
    for (const auto& tag : r.tags)
        if (std::find(config_.tags.begin(), config_.tags.end(), tag) == config_.tags.end())
            return fail(p::make_error(ErrorCode::invalid_field, "unknown tag '" + tag + "'; see hello's limits.tags", "tags"));
    // Filled field by field: GCC 12 warns falsely about nested optionals in aggregate init.
    storage::NewCase spec;
    spec.first.room_id = r.room_id;
    spec.first.author_id = conn.account->id;
    auto guarded_texts = guard_texts(*privacy_mode, {{"title", r.title, false}, {"body", r.body, true}}, clock_());
    if (!guarded_texts) return fail(guarded_texts.error());
    spec.first.body = guarded_texts->texts[1];
    spec.first.created_ms = clock_();
    spec.first.level = r.level;
    spec.first.client_msg_id = r.client_msg_id;
    spec.title = guarded_texts->texts[0];
    spec.tags = r.tags;
    auto created = store_.create_case(spec);
    if (!created) return fail(p::make_error(ErrorCode::internal_error));
    auto& [first, kase] = *created;
    if (!first.duplicate) {
        last_post_ms_[{r.room_id, conn.account->id}] = first.created_ms;
        metrics::get().posts_stored.fetch_add(1, std::memory_order_relaxed);
        after_reply([this, first = first] {
            broadcast_message(first);
            for (const auto& event : first.events) broadcast_event(event);
            notify_about(first, std::nullopt);
        });
    }
    return p::ReplyBody{p::AskReply{case_view(kase, conn.account->id), first.seq, first.duplicate,
                                    guarded_texts->findings, guarded_texts->redacted}};
}

Hub::Outcome Hub::handle(ConnectionId id, Connection& conn, const p::MarkHelpfulRequest& r) {
    auto message = store_.find_message(r.message_id);
    if (!message) return fail(p::make_error(ErrorCode::message_not_found, {}, "message_id"));
    if (auto err = require_member(id, message->room_id)) return fail(p::make_error(ErrorCode::message_not_found, {}, "message_id"));
    auto kase = store_.find_case(message->thread_id);
    if (!kase || message->id == kase->thread_id)
        return fail(p::make_error(ErrorCode::invalid_field, "only replies in a case can be helpful", "message_id"));
    if (kase->asker_id != conn.account->id)
        return fail(p::make_error(ErrorCode::forbidden, "only the asker marks replies helpful"));
    auto event = store_.set_helpful(message->id, r.helpful, clock_());
    if (event) after_reply([this, event = *event] { broadcast_event(event); });
    return p::ReplyBody{p::MarkHelpfulReply{message->id, r.helpful}};
}

Hub::Outcome Hub::handle(ConnectionId id, Connection& conn, const p::CloseCaseRequest& r) {
    auto kase = store_.find_case(r.case_id);
    if (!kase || require_member(id, kase->room_id)) return fail(p::make_error(ErrorCode::case_not_found, {}, "case_id"));
    if (kase->asker_id != conn.account->id)
        return fail(p::make_error(ErrorCode::forbidden, "only the asker closes a case"));
    if (kase->status == "closed") return fail(p::make_error(ErrorCode::case_closed));
    // Outcome and reflection are case text too; here the safe way only: refused when they hold
    // personal data, whatever the room's mode (nothing to report back in a close).
    auto checked = guard_texts(p::PrivacyMode::block, {{"outcome", r.outcome, true}, {"reflection", r.reflection, true}},
                               clock_());
    if (!checked) return fail(checked.error());
    auto event = store_.set_case_status(kase->thread_id, "closed", r.outcome, r.reflection, clock_());
    if (event) after_reply([this, event = *event] { broadcast_event(event); });
    auto closed = *store_.find_case(kase->thread_id);
    return p::ReplyBody{p::CloseCaseReply{case_view(closed, conn.account->id)}};
}

Hub::Outcome Hub::handle(ConnectionId id, Connection& conn, const p::ReopenCaseRequest& r) {
    auto kase = store_.find_case(r.case_id);
    if (!kase || require_member(id, kase->room_id)) return fail(p::make_error(ErrorCode::case_not_found, {}, "case_id"));
    auto actor = current_account(conn);
    if (!actor || (kase->asker_id != actor->id &&
                   !allows(rank_of(store_, *actor, kase->room_id), RoomPermission::reopen_case)))
        return fail(p::make_error(ErrorCode::forbidden, "only the asker or a moderator reopens a case"));
    if (kase->status != "closed") return p::ReplyBody{p::ReopenCaseReply{case_view(*kase, actor->id)}};
    // Outcome and reflection stay: they say what was tried before.
    // Answered again only if someone other than the asker replied, as when it was first answered.
    const auto thread = store_.thread_messages(kase->thread_id);
    const bool answered = std::any_of(thread.begin(), thread.end(),
                                      [&](const storage::Message& m) { return m.author.id != kase->asker_id; });
    auto event = store_.set_case_status(kase->thread_id, answered ? "answered" : "open", kase->outcome,
                                        kase->reflection, clock_());
    if (event) after_reply([this, event = *event] { broadcast_event(event); });
    auto reopened = *store_.find_case(kase->thread_id);
    return p::ReplyBody{p::ReopenCaseReply{case_view(reopened, actor->id)}};
}

Hub::Outcome Hub::handle(ConnectionId id, Connection& conn, const p::ListCasesRequest& r) {
    if (auto err = require_member(id, r.room_id)) return fail(*err);
    storage::CaseQuery query{r.room_id, r.status, r.tag};
    if (r.mine) query.asked_by = conn.account->id;
    query.unanswered = r.unanswered;
    query.by_activity = r.sort == "activity";
    query.limit = r.limit + 1;  // one more tells has_more
    query.viewer = conn.account->id;
    query.offset = r.offset;
    auto cases = store_.list_cases(query);
    p::ListCasesReply reply;
    reply.has_more = static_cast<int>(cases.size()) > r.limit;
    if (reply.has_more) cases.pop_back();
    for (const auto& c : cases) reply.cases.push_back(case_view(c, conn.account->id));
    return p::ReplyBody{std::move(reply)};
}

Hub::Outcome Hub::handle(ConnectionId id, Connection& conn, const p::GetCaseRequest& r) {
    auto kase = store_.find_case(r.case_id);
    // A case in a room one may not read is reported as missing, not as forbidden.
    if (!kase || require_member(id, kase->room_id)) return fail(p::make_error(ErrorCode::case_not_found, {}, "case_id"));
    p::GetCaseReply reply{case_view(*kase, conn.account->id), {}};
    for (const auto& m : store_.thread_messages(kase->thread_id))
        reply.messages.push_back(view_of(m, conn.account->id));
    return p::ReplyBody{std::move(reply)};
}

Hub::Outcome Hub::handle(ConnectionId id, Connection& conn, const p::SearchRequest& r) {
    if (r.room_id)
        if (auto err = require_member(id, *r.room_id)) return fail(*err);
    auto match = match_all_words(r.query);
    if (!match) return fail(p::make_error(ErrorCode::invalid_field, "the query has no words", "query"));
    p::SearchReply reply;
    for (auto& hit : store_.search(conn.account->id, *match, r.room_id, r.limit, r.offset)) {
        p::SearchHit out{view_of(hit.message, conn.account->id), std::nullopt, {}, hit.snippet};
        if (hit.case_title) {
            out.case_id = hit.message.thread_id;
            out.case_title = *hit.case_title;
        }
        reply.hits.push_back(std::move(out));
    }
    return p::ReplyBody{std::move(reply)};
}

Hub::Outcome Hub::handle(ConnectionId id, Connection& conn, const p::SimilarCasesRequest& r) {
    if (r.room_id)
        if (auto err = require_member(id, *r.room_id)) return fail(*err);
    p::SimilarCasesReply reply;
    if (auto match = match_any_significant_word(r.title + " " + r.body))
        for (const auto& c : store_.similar_cases(conn.account->id, *match, r.room_id, 5))
            reply.cases.push_back(case_view(c, conn.account->id));
    return p::ReplyBody{std::move(reply)};
}

void Hub::notify_about(const storage::Message& message, const std::optional<storage::Case>& kase) {
    std::vector<std::pair<storage::AccountId, std::string>> targets;  // account, kind
    for (const auto& [account, handle] : store_.members_by_handle(message.room_id, mentioned_handles(message.body)))
        targets.emplace_back(account, "mention");
    if (kase && kase->asker_id != message.author.id) targets.emplace_back(kase->asker_id, "case_reply");
    std::vector<storage::AccountId> done;
    for (const auto& [account, kind] : targets) {
        if (account == message.author.id || std::find(done.begin(), done.end(), account) != done.end()) continue;
        done.push_back(account);
        std::optional<storage::MessageId> case_id;
        if (kase) case_id = kase->thread_id;
        if (!connections_of(account).empty())
            send_to_account(account, make_frame(p::encode_event(
                                         p::Notification{kind, message.room_id, message.id, case_id})));
        else
            store_.add_notice(account, {kind, message.id, "", message.created_ms});
    }
}

Hub::Outcome Hub::handle(ConnectionId id, Connection& conn, const p::MarkReadRequest& r) {
    if (auto err = require_member(id, r.room_id)) return fail(*err);
    store_.set_read(conn.account->id, r.room_id, r.seq);
    auto room = store_.find_room(r.room_id, conn.account->id);
    return p::ReplyBody{p::MarkReadReply{r.room_id, room->read_seq, room->unread}};
}

}  // namespace vraagbaak::core
