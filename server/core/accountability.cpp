#include "core/accountability.hpp"

#include "core/secrets.hpp"
#include "storage/store.hpp"
#include "vraagbaak/protocol/limits.hpp"

namespace vraagbaak::core {

using protocol::ErrorCode;
using protocol::make_error;
using protocol::Role;

namespace {

std::string message_target(storage::MessageId id) { return "message:" + std::to_string(id); }

}  // namespace

std::optional<Error> check_password_policy(const std::string& handle, const std::string& password) {
    if (password.size() < protocol::kMinPasswordBytes || password.size() > protocol::kMaxPasswordBytes ||
        password == handle)
        return make_error(ErrorCode::weak_password, {}, "password");
    return std::nullopt;
}

Result<IssuedInvite, Error> issue_invite(storage::Store& store, const storage::Account* actor,
                                         std::optional<storage::OrganisationId> organisation,
                                         int max_uses, int valid_hours, storage::TimestampMs now) {
    if (actor && actor->role != Role::admin) {
        if (actor->role != Role::organiser)
            return fail(make_error(ErrorCode::forbidden, "only organisers and admins invite"));
        if (!actor->organisation_id)
            return fail(make_error(ErrorCode::forbidden, "you belong to no organisation"));
        if (organisation && organisation != actor->organisation_id)
            return fail(make_error(ErrorCode::forbidden,
                                   "organisers invite only for their own organisation",
                                   "organisation_id"));
        organisation = actor->organisation_id;
    }
    if (!organisation || !store.find_organisation(*organisation))
        return fail(make_error(ErrorCode::organisation_not_found, {}, "organisation_id"));
    std::string code = new_secret();
    auto invite = store.create_invite(*organisation, secret_hash(code), max_uses,
                                      now + std::int64_t{valid_hours} * 3600 * 1000,
                                      actor ? std::optional(actor->id) : std::nullopt, now);
    store.append_audit({0, now, actor ? std::optional(actor->id) : std::nullopt, "invite_created",
                        "invite:" + std::to_string(invite.id),
                        "organisation " + std::to_string(*organisation) + ", " +
                            std::to_string(max_uses) + " uses"});
    return IssuedInvite{invite, code};
}

Result<storage::Reveal, Error> request_reveal(storage::Store& store, const storage::Account& actor,
                                              storage::MessageId message_id,
                                              const std::string& reason, storage::TimestampMs now) {
    if (actor.role != Role::admin) return fail(make_error(ErrorCode::forbidden, "only admins reveal"));
    if (!store.find_message(message_id))
        return fail(make_error(ErrorCode::message_not_found, {}, "message_id"));
    auto reveal = store.create_reveal(message_id, actor.id, reason, now);
    store.append_audit({0, now, actor.id, "reveal_requested", message_target(message_id), reason});
    return reveal;
}

Result<RevealResult, Error> approve_reveal(storage::Store& store, const storage::Account& actor,
                                           std::int64_t reveal_id, storage::TimestampMs now) {
    if (actor.role != Role::admin) return fail(make_error(ErrorCode::forbidden, "only admins reveal"));
    auto reveal = store.find_reveal(reveal_id);
    if (!reveal) return fail(make_error(ErrorCode::reveal_not_found, {}, "reveal_id"));
    if (reveal->approved_by) return fail(make_error(ErrorCode::reveal_already_approved));
    if (reveal->requested_by == actor.id) return fail(make_error(ErrorCode::four_eyes_required));
    auto message = store.find_message(reveal->message_id);
    if (!message) return fail(make_error(ErrorCode::message_not_found));
    if (!store.approve_reveal(reveal_id, actor.id, now))
        return fail(make_error(ErrorCode::reveal_already_approved));
    reveal->approved_by = actor.id;
    store.append_audit({0, now, actor.id, "reveal_approved", message_target(message->id),
                        "request " + std::to_string(reveal_id) + ": " + reveal->reason});
    store.add_notice(message->author.id, {"identity_revealed", message->id, reveal->reason, now});
    return RevealResult{*reveal, *message};
}

}  // namespace vraagbaak::core
